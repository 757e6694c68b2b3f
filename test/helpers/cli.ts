/**
 * Runs the built CLI (bin/leakguard.js → dist/) as a real process. `npm test`
 * builds first, so these tests exercise what users run.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GIT_TEST_ENV } from "./git-repo.js";

export const BIN = fileURLToPath(new URL("../../bin/leakguard.js", import.meta.url));

/** Result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `leakguard ...args` in `cwd`. */
export function runCli(args: string[], opts: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } ): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? "",
    env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...opts.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
