/**
 * Drives the CLI in process through `run(argv, io)` (src/cli/main.ts) with
 * in-memory streams: the same code path as the binary, without spawning.
 */
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
export async function runIn(cwd: string, argv: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<RunResult> {
  const stdout = sink(opts.tty ?? false);
  const stderr = sink(false);
  const stdin = Readable.from([Buffer.from(opts.input ?? "")]) as Readable & { isTTY?: boolean };
  const io: CliIO = { stdout, stderr, stdin, cwd, env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...opts.env } };
  const code = await run(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
