/**
 * Issue #11 item 12: the hook's fallbacks. It used to end with
 * `npx --no-install leakguard` (which can reach the network, and whose own
 * exit 1 read as "secrets found"), and with node missing it blamed
 * leakguard.js. Now the hook never runs npx, and each way it can fail says
 * what is missing and how to fix it, still blocking the commit. Fired by
 * real `git commit` runs with a PATH that lacks node.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { runIn } from "../helpers/in-process.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});
const scratch = mkdtempSync(join(tmpdir(), "lg-hook-fallbacks-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Where a tool is on this PATH; asked once per tool (each ask is a shell process). */
const located = new Map<string, string>();
const which = (tool: string): string => {
  let p = located.get(tool);
  if (p === undefined) located.set(tool, (p = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim()));
  return p;
};

/** A folder for PATH holding only `tools` (links to the real ones): no node unless asked. */
function pathWith(name: string, tools: string[]): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const t of tools) if (!existsSync(join(dir, t))) symlinkSync(which(t), join(dir, t));
  return dir;
}
const BASE_TOOLS = ["git", "sh", "dirname", "cat"];

async function repo(): Promise<TestRepo> {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "README.md": "# project\n" }, "init");
  expect((await runIn(r.dir, ["hook", "install"])).code).toBe(0);
  return r;
}

/** Rewrites one of the hook's remembered paths (LEAKGUARD_NODE or LEAKGUARD_BIN). */
function setHookVar(r: TestRepo, name: "LEAKGUARD_NODE" | "LEAKGUARD_BIN", value: string): void {
  const p = join(r.git("rev-parse", "--path-format=absolute", "--git-path", "hooks").trim(), "pre-commit");
  writeFileSync(p, readFileSync(p, "utf8").replace(new RegExp(`^${name}=.*$`, "m"), `${name}='${value}'`));
}

/** A real `git commit` with the given PATH. */
function commit(r: TestRepo, path: string): { code: number; out: string; stderr: string } {
  const res = spawnSync(which("git"), ["commit", "-m", "change"], { cwd: r.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1", PATH: path }, encoding: "utf8" });
  return { code: res.status ?? -1, out: res.stdout + res.stderr, stderr: res.stderr };
}
const head = (r: TestRepo): string => r.head();

describe("hook fallbacks", { timeout: 120_000 }, () => {
  it("node missing: blocks and names node and the fix, not leakguard.js", async () => {
    const r = await repo();
    setHookVar(r, "LEAKGUARD_NODE", join(scratch, "gone", "node"));
    r.write("x.txt", "clean\n").add();
    const before = head(r);
    const res = commit(r, pathWith("no-node", BASE_TOOLS));
    expect(res.code).not.toBe(0);
    expect(head(r)).toBe(before);
    expect(res.stderr).toContain("leakguard: node is not on PATH");
    expect(res.stderr).toContain("Node.js 20");
    expect(res.stderr).toContain("leakguard hook install --force");
    expect(res.stderr).toMatch(/could not run \(exit code 127: the hook cannot run leakguard/);
    expect(res.stderr).toContain("blocked to be safe");
    expect(res.stderr).not.toMatch(/is gone and there is no leakguard/);
  });

  it("leakguard missing: blocks, names the remembered path and the fix, and never runs npx", async () => {
    const r = await repo();
    const gone = join(scratch, "uninstalled", "bin", "leakguard.js");
    setHookVar(r, "LEAKGUARD_BIN", gone);
    const dir = pathWith("with-npx", [...BASE_TOOLS, "node"]);
    const marker = join(scratch, "npx-was-run");
    // An npx that would fetch from the network: here it only leaves a mark and "finds secrets".
    writeFileSync(join(dir, "npx"), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    r.write("x.txt", "clean\n").add();
    const before = head(r);
    const res = commit(r, dir);
    expect(existsSync(marker)).toBe(false);
    expect(res.code).not.toBe(0);
    expect(head(r)).toBe(before);
    expect(res.stderr).toContain(`leakguard: leakguard is not installed at ${gone}`);
    // Not `npm i -D leakguard`: that name is not published by this project yet (README: Install).
    expect(res.stderr).toContain("Fix: install leakguard in this project (its README: Install), then run: ./node_modules/.bin/leakguard hook install --force");
    expect(res.stderr).toContain("blocked to be safe");
  });

  it("the project's node_modules/.bin/leakguard runs with the remembered node when PATH lacks node", async () => {
    const r = await repo();
    setHookVar(r, "LEAKGUARD_BIN", join(scratch, "moved", "leakguard.js"));
    // As npm links a devDependency's bin: a symlink to a script starting with '#!/usr/bin/env node'.
    mkdirSync(join(r.dir, "node_modules", ".bin"), { recursive: true });
    symlinkSync(BIN, join(r.dir, "node_modules", ".bin", "leakguard"));
    const tok = githubToken(1212);
    r.write("k.txt", `k=${tok}\n`).add("k.txt");
    const res = commit(r, pathWith("no-node-2", BASE_TOOLS));
    expect(res.code).toBe(1);
    expect(res.out).toContain("github-pat");
    expect(res.out).not.toContain(tok);
    expect(res.stderr).not.toContain("could not run");
  });

  it("exit codes: 1 is secrets found (no extra words), 2 is leakguard's own could-not-run, others are a crash", async () => {
    const r = await repo();
    r.write("x.txt", "clean\n").add();
    const path = pathWith("node-ok", [...BASE_TOOLS, "node"]);
    const fake = (name: string, body: string): string => {
      const f = join(scratch, name);
      writeFileSync(f, body);
      return f;
    };
    setHookVar(r, "LEAKGUARD_BIN", fake("one.mjs", "process.exit(1);\n"));
    let res = commit(r, path);
    expect(res.code).toBe(1);
    expect(res.stderr).not.toContain("blocked to be safe");
    setHookVar(r, "LEAKGUARD_BIN", fake("two.mjs", "process.stderr.write('leakguard: .leakguard.toml:3: bad regex\\n'); process.exit(2);\n"));
    res = commit(r, path);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("leakguard: .leakguard.toml:3: bad regex");
    expect(res.stderr).toMatch(/could not run \(leakguard exit code 2: leakguard could not run; the line above says why\), so the commit is blocked to be safe/);
    setHookVar(r, "LEAKGUARD_BIN", fake("seventy.mjs", "process.exit(70);\n"));
    res = commit(r, path);
    expect(res.stderr).toMatch(/could not run \(exit code 70: leakguard crashed or was stopped/);
  });

  it("hook doctor names what is missing", async () => {
    const r = await repo();
    setHookVar(r, "LEAKGUARD_BIN", join(scratch, "elsewhere", "leakguard.js"));
    // A real process: what doctor finds depends on the PATH it runs with.
    const res = runCli(["hook", "doctor"], { cwd: r.dir, env: { PATH: pathWith("doctor", [...BASE_TOOLS, "node"]) } });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/FAIL .*leakguard is not installed at .*elsewhere\/leakguard\.js.*Fix: install leakguard in this project \(its README: Install\)/);
  });
});
