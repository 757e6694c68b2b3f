/**
 * The bundled command-line program (dist/bundle/, what bin/leakguard.js runs),
 * both builds: the ES module chunks (cli.js) and the single CommonJS file
 * (cli.cjs, which bin/leakguard.js compiles with a code cache). Each answers
 * like the unbundled modules, finds its data files (rules, hook templates,
 * package.json) from its own folder, and starts its worker threads (the
 * watchdog for a configured regex) from bundled worker scripts.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/context.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";
import { SLOW_RULE_TOML, slowText, WATCHDOG_TEST_BUDGET_MS } from "../helpers/slow-regex.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

type RunFn = (argv: readonly string[], io: CliIO) => Promise<number>;
const bundle = fileURLToPath(new URL("../../dist/bundle/cli.js", import.meta.url));
const cjsBundle = fileURLToPath(new URL("../../dist/bundle/cli.cjs", import.meta.url));
const stagedBundle = fileURLToPath(new URL("../../dist/bundle/cli-staged.cjs", import.meta.url));
const BUILDS: Array<[string, () => Promise<RunFn>]> = [
  ["cli.js (ES modules)", async () => ((await import(bundle)) as { run: RunFn }).run],
  ["cli.cjs (one CommonJS file)", async () => (createRequire(import.meta.url)(cjsBundle) as { run: RunFn }).run],
];

const repos: TestRepo[] = [];
afterAll(removeTempFolders);
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

describe("the bundled CLI", () => {
  it("is what bin/leakguard.js starts", () => {
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(cjsBundle)).toBe(true);
    expect(existsSync(stagedBundle)).toBe(true);
    const bin = readFileSync(new URL("../../bin/leakguard.js", import.meta.url), "utf8");
    expect(bin).toMatch(/import\("\.\.\/dist\/bundle\/cli\.js"\)/);
    expect(bin).toContain('path.join(ROOT, "dist", "bundle", "cli.cjs")');
    expect(bin).toContain('path.join(ROOT, "dist", "bundle", "cli-staged.cjs")');
  });

  it("cli.cjs, cli-staged.cjs and dist/rules.json are pure ASCII (read on node's fast path, one-byte strings) and each bundle names the hash of its content", async () => {
    const rules = readFileSync(new URL("../../dist/rules.json", import.meta.url), "utf8");
    expect(/[^\x00-\x7f]/.test(rules)).toBe(false);
    // The escapes stand for the same text: a description with an ellipsis, read back.
    expect((JSON.parse(rules) as Array<{ description?: string }>).some((r) => r.description?.includes("\u2026"))).toBe(true);
    const { createHash } = await import("node:crypto");
    for (const file of [cjsBundle, stagedBundle]) {
      const cjs = readFileSync(file, "utf8");
      expect(/[^\x00-\x7f]/.test(cjs)).toBe(false);
      const [first, ...rest] = cjs.split("\n");
      expect(first).toBe(`// leakguard-cli ${createHash("sha256").update(rest.join("\n")).digest("hex").slice(0, 16)}`);
    }
  });

  it("carries the package's version, written in by the build: a bundle does not read package.json (a failed open and a parse on every run)", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    // A copy of cli-staged.cjs under a package.json that says otherwise still says the built version.
    const dir = tempFolder({ "dist/bundle/cli-staged.cjs": readFileSync(stagedBundle, "latin1"), "package.json": JSON.stringify({ name: "leakguard", version: "9.9.9" }) }, "lg-bundle-version-");
    const copy = (createRequire(import.meta.url)(join(dir, "dist/bundle/cli-staged.cjs")) as { run: RunFn }).run;
    const res = await runIn(dir, ["--version"], { run: copy });
    expect(res.stdout.trim()).toBe(pkg.version);
  });

  it("cli-staged.cjs, the hook's program, is the smaller: the other commands' modules are left out", () => {
    const staged = readFileSync(stagedBundle, "utf8");
    expect(staged.length).toBeLessThan(readFileSync(cjsBundle, "utf8").length * 0.75);
    expect(staged).toContain("./commands/scan.js is not in cli-staged.cjs");
  });
});

describe("the bundled CLI, cli-staged.cjs (staged alone)", { timeout: 120_000 }, () => {
  const stagedRun = (): RunFn => (createRequire(import.meta.url)(stagedBundle) as { run: RunFn }).run;

  it("blocks a staged secret, and a slow configured regex times out in the watchdog worker it starts", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.commitFiles({ "README.md": "# x\n" }, "init");
    r.write(".leakguard.toml", SLOW_RULE_TOML);
    r.write("config.js", `const token = "${githubToken(8)}";\n`);
    r.write("slow.txt", slowText());
    r.add("config.js", "slow.txt");
    const res = await runIn(r.dir, ["staged", "--timeout-per-file", String(WATCHDOG_TEST_BUDGET_MS), "--format", "json"], { run: stagedRun() });
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { findings: Array<{ ruleId: string }>; summary: { skipped: Record<string, number> } };
    expect(report.findings.map((f) => f.ruleId)).toContain("github-pat");
    expect(report.summary.skipped.timeout).toBe(1);
  });
});

describe.each(BUILDS)("the bundled CLI, %s", { timeout: 120_000 }, (_name, bundledRun) => {
  it("reports its version from package.json", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const r = new TestRepo();
    repos.push(r);
    const res = await runIn(r.dir, ["--version"], { run: await bundledRun() });
    expect(res.stdout.trim()).toBe(pkg.version);
  });

  it("blocks a staged secret and installs a hook from the package's templates", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.commitFiles({ "README.md": "# x\n" }, "init");
    r.write("config.js", `const token = "${githubToken(7)}";\n`);
    r.add("config.js");
    const run = await bundledRun();
    const staged = await runIn(r.dir, ["staged", "--format", "json"], { run });
    expect(staged.code).toBe(1);
    expect((JSON.parse(staged.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId)).toContain("github-pat");
    const hook = await runIn(r.dir, ["hook", "install"], { run });
    expect(hook.code).toBe(0);
    expect(readFileSync(`${r.dir}/.git/hooks/pre-commit`, "utf8")).toMatch(/leakguard-hook: pre-commit/);
  });

  it("starts the watchdog worker from the bundle: a slow configured regex times out instead of running on", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.commitFiles({ "README.md": "# x\n" }, "init");
    r.write(".leakguard.toml", SLOW_RULE_TOML);
    r.write("slow.txt", slowText());
    r.write("ok.txt", "mail x@\n");
    r.add("slow.txt", "ok.txt");
    const res = await runIn(r.dir, ["staged", "--timeout-per-file", String(WATCHDOG_TEST_BUDGET_MS), "--format", "json"], { run: await bundledRun() });
    const report = JSON.parse(res.stdout) as { findings: Array<{ file: string }>; summary: { skipped: Record<string, number> } };
    expect(report.findings.map((f) => f.file)).toEqual(["ok.txt"]);
    expect(report.summary.skipped.timeout).toBe(1);
  });
});
