/**
 * Drives the CLI in process through `run(argv, io)` with in-memory streams:
 * the code path of the binary, without spawning. `run` defaults to the source
 * (src/cli/main.ts); tests that need the compiled worker threads pass the
 * built one (dist/cli/main.js).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import type { CliIO } from "../../src/cli/context.js";
import { run as srcRun } from "../../src/cli/main.js";
import { GIT_TEST_ENV } from "./git-repo.js";

/** Outcome of one in-process run. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

type RunFn = (argv: readonly string[], io: CliIO) => Promise<number>;

/** A writable that keeps what is written. */
function sink(): PassThrough & { text(): string } {
  const s = new PassThrough() as PassThrough & { text(): string };
  const chunks: Buffer[] = [];
  s.on("data", (c: Buffer) => chunks.push(c));
  s.text = () => Buffer.concat(chunks).toString("utf8");
  return s;
}

/** Runs `leakguard ...argv` in `cwd`; stdin is `input` (default empty, not a TTY). */
export async function runInProcess(
  cwd: string,
  argv: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; run?: RunFn } = {},
): Promise<InProcessResult> {
  const stdout = sink();
  const stderr = sink();
  const stdin = Readable.from([Buffer.from(opts.input ?? "")]);
  const io: CliIO = { stdout, stderr, stdin, cwd, env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...opts.env } };
  const code = await (opts.run ?? srcRun)(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Child processes of this process that are still alive (or unreaped): a
 * structural leak check, independent of timing. Read from /proc where there
 * is one (a child that has exited and been waited for is gone from it at
 * once); elsewhere the libuv process handles this thread still holds.
 */
export function liveChildProcesses(): number {
  if (existsSync("/proc/self/stat")) {
    let n = 0;
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        // Field 4 of /proc/PID/stat is the parent pid (after the parenthesised command name).
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid) n++;
      } catch {
        /* exited meanwhile */
      }
    }
    return n;
  }
  return process.getActiveResourcesInfo().filter((r) => r === "ProcessWrap").length;
}
