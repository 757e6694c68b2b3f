/**
 * What a clean `leakguard staged` (the pre-commit hook) loads: start-up is
 * most of what the hook costs, so node's built-ins that only a finding, a
 * report file or a worker needs are loaded on first use. Shown on a real run
 * of bin/leakguard.js (a child process: in this process vitest has loaded
 * them all already), with node's own list of the built-ins it loaded.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const BIN = fileURLToPath(new URL("../../bin/leakguard.js", import.meta.url));
const LAZY = ["crypto", "fs/promises", "worker_threads"];
const scratch = mkdtempSync(join(tmpdir(), "lg-hook-startup-"));
const preload = join(scratch, "list-builtins.cjs");
let repo: TestRepo;

/** Runs `leakguard staged` in the repository; the built-ins it loaded, of those we watch. */
function staged(): { code: number; loaded: string[] } {
  const r = spawnSync(process.execPath, ["--require", preload, BIN, "staged", "--format", "json"], { cwd: repo.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1" }, encoding: "utf8" });
  const line = r.stderr.split("\n").find((l) => l.startsWith("builtins:")) ?? "";
  return { code: r.status ?? -1, loaded: line.slice("builtins:".length).split(",").filter((m) => LAZY.includes(m)) };
}

beforeAll(() => {
  writeFileSync(preload, 'process.on("exit", () => process.stderr.write("builtins:" + process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)).join(",") + "\\n"));\n');
  repo = new TestRepo();
  repo.commitFiles({ "README.md": "# x\n" }, "init");
});
afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe("a clean staged run's start-up", { timeout: 60_000 }, () => {
  it("loads neither node:crypto, node:fs/promises nor node:worker_threads", () => {
    repo.write("clean.js", "export const answer = 42;\n").add("clean.js");
    expect(staged()).toEqual({ code: 0, loaded: [] });
  });

  it("loads node:crypto once there is a finding to fingerprint", () => {
    repo.write("config.js", `const token = "${githubToken(5)}";\n`).add("config.js");
    const r = staged();
    expect(r.code).toBe(1);
    expect(r.loaded).toContain("crypto");
  });
});
