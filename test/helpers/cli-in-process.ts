/**
 * Runs the CLI in this process through `run(argv, io)`, with captured
 * streams: fast, and what a program embedding leakguard's CLI would get.
 */
import { PassThrough, Writable } from "node:stream";
// The built CLI: vite cannot follow the lazy `./commands/${name}.js` imports in src/.
import { run } from "../../dist/cli/main.js";
import { GIT_TEST_ENV } from "./git-repo.js";

/** Result of one in-process run. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(c: Buffer | string, _e, cb) {
      chunks.push(typeof c === "string" ? Buffer.from(c) : c);
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** Runs `leakguard ...argv` in `cwd` in process. */
export async function runInProcess(argv: string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Promise<InProcessResult> {
  const out = sink();
  const err = sink();
  const stdin = new PassThrough();
  stdin.end(opts.input ?? "");
  const code = await run(argv, {
    stdout: out.stream,
    stderr: err.stream,
    stdin,
    cwd: opts.cwd,
    env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...opts.env },
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
