/**
 * Running git (I/O edge). Small outputs through `git()`, bulk streams through
 * `gitSpawn()`. Every call passes user paths after `--` or through `-z`
 * stdin so that no path is ever read as an option, and every failure becomes
 * a {@link GitError} with one readable line.
 */
import type { ChildProcess, ChildProcessWithoutNullStreams } from "node:child_process";
import { childProcess } from "./child-process.js";
import { GitError } from "../errors.js";

/** Options for one git call. */
export interface GitOptions {
  cwd: string;
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** Extra environment. */
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are not errors (default [0]). */
  okCodes?: number[];
  /** Past this many bytes of output git is stopped, and the result says so ({@link GitResult.truncated}). */
  stdoutLimit?: number;
  /** Stops git when aborted; the call then rejects once git has exited. */
  signal?: AbortSignal;
}

/** Result of a finished git call. */
export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
  /** Set when git was stopped at {@link GitOptions.stdoutLimit}: stdout is a prefix, code means nothing. */
  truncated?: true;
}

/**
 * What every git leakguard runs has in its environment: no pager, no prompts,
 * stable output, no user hooks fired by us; and the real objects, not the
 * ones `git replace` or an `info/grafts` file substitute (what a push sends
 * and a clone holds: a replaced commit's secret was invisible to history and
 * push).
 */
export const GIT_FIXED_ENV = { GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0", GIT_NO_REPLACE_OBJECTS: "1", GIT_GRAFT_FILE: "/dev/null" } as const;

/**
 * Settings a repository's config must not change under us, given as
 * command-line config (GIT_CONFIG_COUNT): no `core.fsmonitor` command run by
 * a read (diff-tree reads the index), and authors and messages in UTF-8
 * whatever `i18n.logOutputEncoding` says.
 */
const FORCED_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ["core.fsmonitor", "false"],
  ["i18n.logOutputEncoding", "UTF-8"],
];

/** Environment for every git call: the process's, {@link GIT_FIXED_ENV}, then `extra`, with {@link FORCED_CONFIG} after any config they pass. */
export function gitEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_FIXED_ENV, ...extra };
  const given = Number(env.GIT_CONFIG_COUNT);
  const n = Number.isInteger(given) && given > 0 ? given : 0;
  FORCED_CONFIG.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${n + i}`] = key;
    env[`GIT_CONFIG_VALUE_${n + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(n + FORCED_CONFIG.length);
  return env;
}

function describe(args: readonly string[]): string {
  return `git ${args.filter((a) => !a.includes("\n")).slice(0, 4).join(" ")}`;
}

/** Runs git to completion. Throws GitError when git is missing or exits with a code not in okCodes. */
export function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      // Without input, stdin is /dev/null (the same end of file, one pipe fewer to set up on the hook's path).
      const stdin = opts.input !== undefined ? "pipe" : "ignore";
      child = childProcess().spawn("git", args as string[], { cwd: opts.cwd, env: gitEnv(opts.env), stdio: [stdin, "pipe", "pipe"] });
    } catch (e) {
      reject(new GitError(`cannot run git: ${(e as Error).message}`));
      return;
    }
    const stop = (): void => {
      child.kill();
    };
    opts.signal?.addEventListener("abort", stop, { once: true });
    if (opts.signal?.aborted) stop();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let truncated = false;
    child.stdout!.on("data", (c: Buffer) => {
      if (truncated) return;
      out.push(c);
      outBytes += c.length;
      if (opts.stdoutLimit !== undefined && outBytes > opts.stdoutLimit) {
        truncated = true;
        child.kill();
      }
    });
    child.stderr!.on("data", (c: Buffer) => err.push(c));
    child.on("error", (e: NodeJS.ErrnoException) => {
      reject(new GitError(e.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git: ${e.message}`));
    });
    child.on("close", (code) => {
      opts.signal?.removeEventListener("abort", stop);
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (opts.signal?.aborted) {
        reject(new GitError(`${describe(args)} was stopped`));
        return;
      }
      if (truncated) {
        resolve({ stdout: Buffer.concat(out), stderr, code: code ?? 128, truncated: true });
        return;
      }
      const c = code ?? 128;
      if (!(opts.okCodes ?? [0]).includes(c)) {
        reject(new GitError(`${describe(args)} failed in ${opts.cwd}: ${stderr.split("\n").pop() || `exit code ${c}`}`));
        return;
      }
      resolve({ stdout: Buffer.concat(out), stderr, code: c });
    });
    if (opts.input !== undefined) {
      child.stdin!.on("error", () => {
        /* git may exit before reading all input; the close handler reports */
      });
      child.stdin!.end(opts.input);
    }
  });
}

/** Runs git and returns stdout as UTF-8 text. */
export async function gitText(args: readonly string[], opts: GitOptions): Promise<string> {
  return (await git(args, opts)).stdout.toString("utf8");
}

/** Spawns git for streaming; the caller consumes stdout. Errors surface as GitError on `error`. */
export function gitSpawn(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams {
  return childProcess().spawn("git", args as string[], { cwd: opts.cwd, env: gitEnv(opts.env) });
}

/** Splits NUL-separated output, dropping the empty tail. */
export function splitZ(s: string): string[] {
  const parts = s.split("\0");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}
