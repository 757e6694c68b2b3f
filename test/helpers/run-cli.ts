/**
 * Runs the CLI in process through `run(argv, io)` of the built CLI
 * (dist/cli/main.js, what bin/leakguard.js runs; the build resolves its
 * per-command dynamic imports, which vite cannot for the .ts sources): the
 * same code path as the binary, without a process per case. Streams are
 * string sinks; `env` is the run's whole environment, with
 * LEAKGUARD_FINGERPRINT_KEY cleared unless given.
 */
import { Readable, Writable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CliIO } from "../../src/cli/context.js";
import { GIT_TEST_ENV } from "./git-repo.js";
import type { CliResult } from "./cli.js";

/** A writable that keeps what is written. */
function sink(): Writable & { text: string; isTTY: boolean } {
  const w = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      w.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  w.text = "";
  w.isTTY = false;
  return w;
}

const MAIN = pathToFileURL(fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url))).href;
let runFn: ((argv: readonly string[], io: CliIO) => Promise<number>) | undefined;

/** Runs `leakguard ...argv` in `cwd` in process. */
export async function runInProcess(argv: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<CliResult> {
  const stdout = sink();
  const stderr = sink();
  const stdin = Object.assign(Readable.from([Buffer.from(opts.input ?? "")]), { isTTY: false });
  runFn ??= ((await import(/* @vite-ignore */ MAIN)) as { run: typeof runFn }).run;
  const code = await runFn!(argv, { stdout, stderr, stdin, cwd: opts.cwd, env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", LEAKGUARD_FINGERPRINT_KEY: "", ...opts.env } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
