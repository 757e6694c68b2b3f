/**
 * The staged diff the pre-commit hook scans: one `git diff-index` command,
 * and its output as the installed hook's script pipes it in.
 *
 * The hook script (hooks/pre-commit.sh) runs this very command itself while
 * node starts, and pipes git's output into `leakguard staged`, followed by a
 * trailer with git's exit status; so a clean commit costs node no process of
 * its own (forking node blocks its thread and copies its pages on write).
 * The script gets the command from {@link stagedDiffArgs} when it is
 * installed, and tells leakguard the words it ran in the environment
 * ({@link STAGED_DIFF_ENV}). leakguard takes the piped bytes only when those
 * words are the ones it would run now and the trailer says git exited 0
 * (past the patch budget, only that the change is very large: its changes
 * are then asked for alone, as for any diff past the budget); anything else
 * (a hook written by another version, no HEAD yet, git failing, a pipe cut
 * short, a terminal) and it asks git itself, as before.
 * An older leakguard ignores the variable and asks git itself.
 */
import { fstatSync, readSync } from "node:fs";
import { GIT_FIXED_ENV } from "./run.js";

/** Files larger than this are left out of the staged diff's patch (git's big-file threshold makes them "binary") and read apart. */
export const PATCH_FILE_LIMIT = 1024 * 1024;
/** Context lines: more than a file of {@link PATCH_FILE_LIMIT} bytes can have, so each hunk holds its whole file. */
const PATCH_CONTEXT = PATCH_FILE_LIMIT + 1;
/** Past this much output (a very large change) git is stopped and the blobs are read apart instead, bounding memory. */
export const PATCH_BUDGET = 32 * 1024 * 1024;

/** `git diff-index` options for the staged changes as raw records, renames detected: both diffs ask them. */
export const RAW_CHANGES = ["--cached", "-z", "--raw", "-M", "--no-abbrev", "--ignore-submodules=none"] as const;

/** The patch that shows every text file whole, asked beside the raw records (see {@link PATCH_CONTEXT}). */
const WHOLE_FILE_PATCH = ["-p", `-U${PATCH_CONTEXT}`, "--full-index", "--irreversible-delete", "--no-color", "--no-ext-diff", "--no-textconv"];

/**
 * git's arguments for the staged changes against `base` ("HEAD" or a tree
 * id), with a patch showing every text file whole. Run with
 * {@link stagedDiffEnv}.
 */
export function stagedDiffArgs(base: string): string[] {
  return ["-c", `core.bigFileThreshold=${PATCH_FILE_LIMIT}`, "diff-index", ...RAW_CHANGES, ...WHOLE_FILE_PATCH, base, "--"];
}

/** Variables the staged diff runs without: GIT_DIFF_OPTS would override -U. */
const STAGED_DIFF_UNSET = ["GIT_DIFF_OPTS"] as const;

/** The staged diff's `extra` environment for git/run.ts (on top of `env`): {@link STAGED_DIFF_UNSET} removed. */
export function stagedDiffEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of STAGED_DIFF_UNSET) out[name] = undefined;
  return out;
}

/**
 * The staged diff against HEAD as the hook script runs it, POSIX sh with
 * `quote` quoting each word: the variables it runs without unset, then git
 * with the environment every leakguard git has (git/run.ts) and
 * {@link stagedDiffArgs}.
 */
export function stagedDiffShell(quote: (word: string) => string): { unset: string; command: string } {
  const assignments = Object.entries(GIT_FIXED_ENV).map(([name, value]) => `${name}=${quote(value)}`);
  return { unset: `unset ${STAGED_DIFF_UNSET.join(" ")}`, command: [...assignments, "git", ...stagedDiffArgs("HEAD").map(quote)].join(" ") };
}

/** The environment variable the hook script sets to the words of the command whose output it pipes in. */
export const STAGED_DIFF_ENV = "LEAKGUARD_STAGED_DIFF";

/**
 * The value of {@link STAGED_DIFF_ENV} for the command the script runs
 * ({@link stagedDiffShell}), one space apart (no word holds a space): a
 * script whose git ran with another environment or other arguments names
 * other words, and its output is not taken.
 */
export function pipedDiffWords(): string {
  const { unset, command } = stagedDiffShell((word) => word);
  return `${unset}; ${command}`;
}

/** What the script writes after git's output: this, git's exit status, a newline. */
export const TRAILER_HEAD = "\nleakguard-staged-diff-exit ";
const ACCEPTED_TRAILER = Buffer.from(`${TRAILER_HEAD}0\n`, "latin1");
/** The longest trailer the script writes (a shell's exit status is at most 255). */
const LONGEST_TRAILER = Buffer.byteLength(`${TRAILER_HEAD}255\n`, "latin1");

/**
 * What {@link readPipedDiff} gives when the script piped in more than its
 * budget: the change is very large, and its changes are asked for alone
 * (what a diff past the budget always leads to: scans/staged.ts), without
 * git making the whole patch again.
 */
export const OVER_BUDGET = "over-budget";

/** What the hook script piped in, when it is taken: git's output, or {@link OVER_BUDGET}. */
export type PipedDiff = Buffer | typeof OVER_BUDGET;

/**
 * Tests only, not part of the interface: a piped diff budget smaller than
 * {@link PATCH_BUDGET} (a number of bytes), so that a test's change through
 * a real `git commit` counts as a very large one.
 */
export const TEST_BUDGET_ENV = "LEAKGUARD_TEST_PATCH_BUDGET";

/** The budget {@link readPipedDiff} reads with in `env`: {@link PATCH_BUDGET}, unless a test set {@link TEST_BUDGET_ENV}. */
export function pipedDiffBudget(env: NodeJS.ProcessEnv): number {
  const test = env[TEST_BUDGET_ENV];
  return test !== undefined && /^\d{1,15}$/.test(test) ? Number(test) : PATCH_BUDGET;
}

/**
 * git's output (`diff-index` against HEAD, {@link stagedDiffArgs}) as the
 * hook script piped it into file descriptor `fd`, read synchronously, or
 * {@link OVER_BUDGET} past `budget` bytes of it; undefined when it is not to
 * be trusted or not there: `words` (the variable's value) are not this
 * version's command, `fd` is not a pipe (a terminal would wait for typing),
 * it cannot be read, or it does not end with the trailer of an exit status 0
 * (git failed, e.g. no HEAD yet, or the pipe was cut short).
 *
 * Past the budget and the longest trailer's length, the rest is not read,
 * nor the trailer waited for: that would wait for git to write the whole
 * patch of a change that may be far larger, and a git that fails past the
 * budget leads to the same request for the changes alone (run again, its
 * output is cut at the budget too).
 */
export function readPipedDiff(fd: number, words: string | undefined, budget = PATCH_BUDGET): PipedDiff | undefined {
  if (words !== pipedDiffWords()) return undefined;
  try {
    if (!fstatSync(fd).isFIFO()) return undefined;
    // Read on through any trailer, so that a failed git whose output is within the budget is seen as such.
    const limit = budget + LONGEST_TRAILER;
    // One buffer, filled before it grows (doubling): a pipe answers ~64 KB a read, so a fresh buffer
    // per read, sized to what came before, allocated the square of the output over 64 KB in all.
    let buf = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, limit + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > limit) return OVER_BUDGET;
    }
    const output = acceptedOutput(buf.subarray(0, total));
    return output !== undefined && output.length > budget ? OVER_BUDGET : output;
  } catch {
    return undefined; // EAGAIN (a non-blocking pipe), EBADF…: git is asked
  }
}

/** git's output from what the script piped in, when it ends with the trailer of exit status 0. */
export function acceptedOutput(piped: Buffer): Buffer | undefined {
  const at = piped.length - ACCEPTED_TRAILER.length;
  if (at < 0 || !piped.subarray(at).equals(ACCEPTED_TRAILER)) return undefined;
  return piped.subarray(0, at);
}
