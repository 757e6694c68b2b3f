/**
 * Drives the CLI in process through `run(argv, io)` (src/cli/main.ts) with
 * in-memory streams: the same code path as the binary, without spawning.
 * Tests that need the compiled worker threads (the watchdog) pass the built
 * `run` (dist/cli/main.js) as `opts.run`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { run } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/context.js";
import { GIT_TEST_ENV } from "./git-repo.js";

/** Outcome of one in-process run. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A writable that collects what is written. */
function sink(tty: boolean): PassThrough & { isTTY?: boolean; columns?: number; text(): string } {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; text(): string };
  const chunks: Buffer[] = [];
  s.on("data", (c: Buffer) => chunks.push(c));
  s.isTTY = tty;
  s.columns = 100;
  s.text = () => Buffer.concat(chunks).toString("utf8");
  return s;
}

/** Runs `leakguard ...argv` in `cwd`; stdin is `input` (or an empty, non-TTY stream). */
export async function runIn(
  cwd: string,
  argv: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; tty?: boolean; run?: (argv: readonly string[], io: CliIO) => Promise<number> } = {},
): Promise<RunResult> {
  const stdout = sink(opts.tty ?? false);
  const stderr = sink(false);
  const stdin = Readable.from([Buffer.from(opts.input ?? "")]) as Readable & { isTTY?: boolean };
  const io: CliIO = { stdout, stderr, stdin, cwd, env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...opts.env } };
  const code = await (opts.run ?? run)(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Child processes of this process that are still alive (or unreaped), by pid,
 * each as "state command": a structural leak check, independent of timing.
 * Read from /proc where there is one (a child that has exited and been
 * waited for is gone from it at once); elsewhere one entry per libuv process
 * handle this thread still holds.
 */
export function childProcesses(): Map<number, string> {
  const out = new Map<number, string>();
  if (!existsSync("/proc/self/stat")) {
    process.getActiveResourcesInfo().forEach((r, i) => r === "ProcessWrap" && out.set(-1 - i, "process handle"));
    return out;
  }
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      // /proc/PID/stat: "pid (command) state ppid ...".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) !== process.pid) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
      out.set(Number(pid), `${state} ${cmd}`.slice(0, 200));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/**
 * The child processes started since `before` (a {@link childProcesses}
 * snapshot) that are still alive: what the code under test left behind. Test
 * files share a worker process, so children that were there before are not
 * this test's.
 */
export function newChildProcesses(before: ReadonlyMap<number, string>): string[] {
  return [...childProcesses()].filter(([pid]) => !before.has(pid)).map(([pid, what]) => `${pid} ${what}`);
}
