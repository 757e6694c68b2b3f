/**
 * Runs the CLI in this process through `run(argv, io)` (src/cli/main.ts),
 * with in-memory streams: what a user would see on stdout and stderr, and
 * the exit code, without spawning a process per case.
 */
import { PassThrough } from "node:stream";
// The built CLI (npm test builds first): its commands load by dynamic import, which needs dist/.
import { run } from "../../dist/cli/main.js";
import { GIT_TEST_ENV } from "./git-repo.js";

/** Output and exit code of one in-process run. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A writable stream collecting text. */
function sink(): PassThrough & { text: () => string } {
  const s = new PassThrough() as PassThrough & { text: () => string };
  const chunks: Buffer[] = [];
  s.on("data", (c: Buffer) => chunks.push(c));
  s.text = () => Buffer.concat(chunks).toString("utf8");
  return s;
}

/** Runs `leakguard ...argv` in `cwd` (stdin: `input`, default empty). */
export async function runInProcess(argv: string[], opts: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv }): Promise<InProcessResult> {
  const stdout = sink();
  const stderr = sink();
  const stdin = new PassThrough();
  stdin.end(opts.input ?? "");
  const code = await run(argv, { stdout, stderr, stdin, cwd: opts.cwd, env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...opts.env } });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
