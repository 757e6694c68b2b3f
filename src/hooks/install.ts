/**
 * Installing and removing leakguard's git hooks (I/O edge).
 *
 * A hook is rendered from a template in the package's `hooks/` folder with
 * the absolute paths of the node binary and `bin/leakguard.js` that ran the
 * install, so the hook finds the same leakguard later. It is written
 * atomically with mode 0755 into the folder git really runs hooks from
 * (`git rev-parse --git-path hooks`: honours core.hooksPath and worktrees).
 * A hook already there is never replaced silently: `chain` keeps it as
 * `<name>.local` and runs it (before leakguard; pre-push: after); `force` replaces it (a copy is
 * kept as `<name>.leakguard-backup`); otherwise installing refuses.
 */
import { writeFileAtomic } from "../util/atomic-write.js";
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LeakguardError } from "../errors.js";
import { VERSION } from "../version.js";
import { gitText } from "../git/run.js";
import { pipedDiffWords, stagedDiffShell } from "../git/staged-diff.js";

/** The hooks leakguard can install. */
export const HOOK_TYPES = ["pre-commit", "pre-push", "commit-msg"] as const;
export type HookType = (typeof HOOK_TYPES)[number];

/** First-lines marker of a hook leakguard wrote. */
export const HOOK_MARKER = "# leakguard-hook:";

/** A hook that cannot be installed or removed as asked (exit 2). */
export class HookError extends LeakguardError {
  constructor(message: string) {
    super(message);
    this.name = "HookError";
  }
}

/** The package folder (two levels above this module in both src/ and dist/). */
const PKG = fileURLToPath(new URL("../../", import.meta.url));
/** Folder of the hook templates. */
export const TEMPLATE_DIR = join(PKG, "hooks");
/** The CLI entry the installed hook runs. */
export const BIN_PATH = join(PKG, "bin", "leakguard.js");

/** Where git runs hooks from, absolute; created if missing is left to the installer. `env`: extra environment for git. */
export async function hooksDir(cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const out = await gitText(["rev-parse", "--path-format=absolute", "--git-path", "hooks"], { cwd, okCodes: [0, 128], ...(env ? { env } : {}) });
  const dir = out.trim();
  if (!dir) throw new HookError(`${cwd}: not a git repository`);
  return dir;
}

/** Single-quotes a string for POSIX sh. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** True when `text` is a hook leakguard wrote. */
export function isLeakguardHook(text: string): boolean {
  return text.split("\n", 4).some((l) => l.startsWith(HOOK_MARKER));
}

/** The hook script for `type`, with the given node and CLI paths. */
export function renderHook(type: HookType, node: string, bin: string, templateDir = TEMPLATE_DIR): string {
  const tpl = readFileSync(join(templateDir, `${type}.sh`), "utf8");
  const runner = readFileSync(join(templateDir, "run.sh"), "utf8").trimEnd();
  const diff = stagedDiffShell(shellQuote);
  const values: Record<string, string> = {
    "@LEAKGUARD_NODE@": shellQuote(node),
    "@LEAKGUARD_BIN@": shellQuote(bin),
    "@LEAKGUARD_VERSION@": VERSION,
    "@LEAKGUARD_RUN@": runner,
    // The pre-commit script runs the staged diff itself (git/staged-diff.ts): the command comes from there.
    "@LEAKGUARD_STAGED_DIFF_UNSET@": diff.unset,
    "@LEAKGUARD_STAGED_DIFF_COMMAND@": diff.command,
    "@LEAKGUARD_STAGED_DIFF_WORDS@": shellQuote(pipedDiffWords()),
  };
  return tpl.replace(/@LEAKGUARD_[A-Z_]+@/g, (k) => values[k] ?? k);
}

/** Writes an executable file atomically: temp file, fsync, chmod 0755, rename. */
export function writeExecutableAtomic(file: string, data: string): void {
  writeFileAtomic(file, data, 0o755);
}

/** True when something stands at `path`, a dangling symbolic link included (existsSync follows links). */
const present = (path: string): boolean => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

/** A hook file's text; undefined when nothing is there; "" for a link whose target is missing (someone's hook, not checked out yet). */
function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return present(path) ? "" : undefined;
    throw new HookError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** `<hook>.leakguard-backup`, or the first `.leakguard-backup.N` free: an earlier backup is never overwritten. */
function freeBackupName(path: string): string {
  const base = `${path}.leakguard-backup`;
  if (!present(base)) return base;
  for (let n = 1; ; n++) if (!present(`${base}.${n}`)) return `${base}.${n}`;
}

/** Options for {@link installHook}. */
export interface InstallOptions {
  type: HookType;
  /** Replace a hook that is not leakguard's (kept as `<name>.leakguard-backup`). */
  force?: boolean;
  /** Keep a hook that is not leakguard's as `<name>.local` and run it too (before leakguard; pre-push: after). */
  chain?: boolean;
  /** Node binary the hook runs (default: this process's). */
  node?: string;
  /** CLI entry the hook runs (default: this package's bin/leakguard.js). */
  bin?: string;
  /** Extra environment for the git that finds the hooks folder (e.g. an in-process CLI's `io.env`). */
  env?: NodeJS.ProcessEnv;
}

/** What installing did. */
export interface InstallResult {
  path: string;
  action: "installed" | "updated" | "chained" | "replaced";
  /** The other hook kept (chained) or backed up (replaced). */
  kept?: string;
}

/** Installs leakguard's `type` hook into the repository at `cwd`. */
export async function installHook(cwd: string, opts: InstallOptions): Promise<InstallResult> {
  const dir = await hooksDir(cwd, opts.env);
  const path = join(dir, opts.type);
  try {
    return writeHook(path, opts);
  } catch (e) {
    if (e instanceof HookError) throw e;
    throw new HookError(`${path}: cannot install (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function writeHook(path: string, opts: InstallOptions): InstallResult {
  mkdirSync(dirname(path), { recursive: true });
  const script = renderHook(opts.type, opts.node ?? process.execPath, opts.bin ?? BIN_PATH);
  const existing = readIfExists(path);
  let result: InstallResult = { path, action: "installed" };
  if (existing !== undefined && isLeakguardHook(existing)) {
    result = { path, action: "updated" };
  } else if (existing !== undefined) {
    if (opts.chain) {
      const local = `${path}.local`;
      if (present(local)) throw new HookError(`${path} is not leakguard's and ${local} exists already; move one of them away first`);
      renameSync(path, local);
      result = { path, action: "chained", kept: local };
    } else if (opts.force) {
      const backup = freeBackupName(path);
      renameSync(path, backup);
      result = { path, action: "replaced", kept: backup };
    } else {
      throw new HookError(
        `${path} already exists and was not written by leakguard; use --chain to keep running it beside leakguard, or --force to replace it`,
      );
    }
  }
  try {
    writeExecutableAtomic(path, script);
  } catch (e) {
    if (result.kept && !existsSync(path)) renameSync(result.kept, path); // put theirs back
    throw e;
  }
  return result;
}

/** What uninstalling did. */
export interface UninstallResult {
  path: string;
  action: "removed" | "restored" | "absent";
  /** The chained hook put back in place. */
  restored?: string;
}

/** Removes leakguard's `type` hook (only one leakguard wrote) and puts a chained hook back. `env`: extra environment for git. */
export async function uninstallHook(cwd: string, type: HookType, env?: NodeJS.ProcessEnv): Promise<UninstallResult> {
  const dir = await hooksDir(cwd, env);
  const path = join(dir, type);
  const existing = readIfExists(path);
  if (existing === undefined) return { path, action: "absent" };
  if (!isLeakguardHook(existing)) throw new HookError(`${path} was not written by leakguard; left as it is`);
  const local = `${path}.local`;
  if (present(local)) {
    renameSync(local, path); // atomic: replaces ours with theirs
    return { path, action: "restored", restored: local };
  }
  unlinkSync(path);
  return { path, action: "removed" };
}

/** State of one hook file. */
export interface HookState {
  path: string;
  exists: boolean;
  ours: boolean;
  executable: boolean;
  chained: boolean;
  /** The script, when there is one. */
  text?: string;
}

/** Reads the state of the `type` hook in `dir`. */
export function hookState(dir: string, type: HookType): HookState {
  const path = join(dir, type);
  const text = readIfExists(path);
  let executable = false;
  if (text !== undefined) {
    try {
      executable = (statSync(path).mode & 0o111) !== 0;
    } catch {
      executable = false;
    }
  }
  return { path, exists: text !== undefined, ours: text !== undefined && isLeakguardHook(text), executable, chained: existsSync(`${path}.local`), ...(text !== undefined ? { text } : {}) };
}
