/**
 * Runs the CLI in this process through `run(argv, io)`: same commands, flags
 * and exit codes as the binary, without the cost of starting node. Output is
 * collected from in-memory streams.
 */
import { PassThrough, Readable } from "node:stream";
import { run } from "../../dist/cli/main.js";
import type { CliResult } from "./cli.js";
import { GIT_TEST_ENV } from "./git-repo.js";

/** Runs `leakguard ...args` in `cwd`, in process. */
export async function runInProcess(args: string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  const stdin = Readable.from(opts.input ? [Buffer.from(opts.input)] : []);
  const code = await run(args, {
    stdout,
    stderr,
    stdin,
    cwd: opts.cwd,
    env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...opts.env },
  });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
