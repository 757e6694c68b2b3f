/**
 * bin/leakguard.js runs dist/bundle/cli-staged.cjs for `staged` (the
 * pre-commit hook) and dist/bundle/cli.cjs for every other command, each with
 * a V8 code cache kept beside it. Shown on copies of the package (their own
 * bin/ and dist/bundle/, the rest linked), so each test owns its caches: a
 * `staged` run writes cli-staged.cjs's cache, a completed `push`, `scan`,
 * `history` or `inventory` run its own of cli.cjs, a later run uses it as it is; a cache V8 rejects is replaced and the scan answers
 * the same; without cli-staged.cjs `staged` runs cli.cjs, without either the
 * ES module bundle; and a program that cannot start still blocks a commit.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const PKG = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "lg-bin-cache-"));
let repo: TestRepo;
let copies = 0;
/** What the first staged run found: every other way to start must find the same. */
let expected: [number, string[]] | undefined;

/**
 * A copy of the package: bin/ and the files of dist/bundle/ copied (no caches), everything else linked.
 * Neither the caches nor their temporary files (`<cache>.<pid>.tmp`, renamed away at once): other test
 * files run the real bin meanwhile, and on a fresh build their first runs write its caches.
 */
function packageCopy(): string {
  const dir = join(scratch, `pkg${++copies}`);
  mkdirSync(join(dir, "bin"), { recursive: true });
  mkdirSync(join(dir, "dist", "bundle"), { recursive: true });
  for (const f of ["bin/leakguard.js", "bin/package.json", "package.json"]) copyFileSync(join(PKG, f), join(dir, f));
  symlinkSync(join(PKG, "hooks"), join(dir, "hooks"));
  for (const e of readdirSync(join(PKG, "dist"))) if (e !== "bundle") symlinkSync(join(PKG, "dist", e), join(dir, "dist", e));
  for (const f of readdirSync(join(PKG, "dist", "bundle"))) {
    if (!f.includes(".v8cache")) copyFileSync(join(PKG, "dist", "bundle", f), join(dir, "dist", "bundle", f));
  }
  return dir;
}

const caches = (pkg: string): string[] => readdirSync(join(pkg, "dist", "bundle")).filter((f) => f.endsWith(".v8cache"));
/** The cache file a run of `command` with this node writes for `bundle`. */
function cacheOf(pkg: string, bundle = "cli-staged.cjs", command = "staged"): string {
  const hash = /^\/\/ leakguard-cli ([0-9a-f]+)\n/.exec(readFileSync(join(pkg, "dist", "bundle", bundle), "utf8"))![1];
  return join(pkg, "dist", "bundle", `${bundle}.${hash}-${command}-${process.version}-${process.arch}.v8cache`);
}
const base = (f: string): string => f.split("/").pop()!;

function run(pkg: string, args: string[], cwd = repo.dir): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(pkg, "bin", "leakguard.js"), ...args], { cwd, env: { ...GIT_TEST_ENV, NO_COLOR: "1" }, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
/** `staged --format json` → [exit code, "ruleId fingerprint" of each finding]. */
function staged(pkg: string): [number, string[]] {
  const r = run(pkg, ["staged", "--format", "json"]);
  const findings = r.stdout ? (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; fingerprint: string }> }).findings : [];
  return [r.code, findings.map((f) => `${f.ruleId} ${f.fingerprint}`)];
}

beforeAll(() => {
  repo = new TestRepo();
  repo.commitFiles({ "README.md": "# x\n" }, "init");
  repo.write("config.js", `const token = "${githubToken(11)}";\n`).add("config.js");
});
afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

// In order: the first test's findings are what the others must find.
describe("the code caches of dist/bundle/cli-staged.cjs and cli.cjs", { timeout: 120_000 }, () => {
  it("cli-staged.cjs's is written by the first staged run (not by other commands) and used as it is by the next", () => {
    const pkg = packageCopy();
    expect(run(pkg, ["scan", "--help"]).code).toBe(0);
    expect(caches(pkg)).toEqual([]);
    const first = staged(pkg);
    expect(first[0]).toBe(1);
    expect(first[1].join()).toMatch(/^github-pat /);
    expected = first;
    const cache = cacheOf(pkg);
    expect(caches(pkg)).toEqual([cache.split("/").pop()]);
    const written = statSync(cache);
    // Accepted: a rejected cache would be written anew (a new file renamed into place).
    expect(staged(pkg)).toEqual(first);
    const after = statSync(cache);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it("a cache V8 rejects (damaged, or made by another node) is ignored and replaced; the findings stay the same", () => {
    const pkg = packageCopy();
    const cache = cacheOf(pkg);
    writeFileSync(cache, Buffer.alloc(4096, 7));
    expect(staged(pkg)).toEqual(expected);
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it("cli.cjs keeps one cache per scanning command, written by its first completed run (not by help, a failed run or another command) and used as it is by the next", () => {
    const pkg = packageCopy();
    expect(staged(pkg)).toEqual(expected);
    expect(run(pkg, ["scan", "--help"]).code).toBe(0);
    expect(run(pkg, ["rules", "list"]).code).toBe(0);
    expect(run(pkg, ["scan", "no-such-file"]).code).toBe(2);
    expect(caches(pkg)).toEqual([base(cacheOf(pkg))]);
    expect(run(pkg, ["scan", "README.md"]).code).toBe(0);
    expect(run(pkg, ["push"]).code).toBe(0);
    const scan = cacheOf(pkg, "cli.cjs", "scan");
    const push = cacheOf(pkg, "cli.cjs", "push");
    expect(caches(pkg).sort()).toEqual([cacheOf(pkg), scan, push].map(base).sort());
    const written = [statSync(scan), statSync(push)];
    // Accepted: a rejected cache would be written anew (a new file renamed into place).
    expect(run(pkg, ["scan", "config.js"]).code).toBe(1);
    expect(run(pkg, ["push"]).code).toBe(0);
    const after = [statSync(scan), statSync(push)];
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(written.map((s) => [s.ino, s.mtimeMs]));
  });

  it("without cli-staged.cjs, staged runs cli.cjs (writing no cache); without either, the ES module bundle; the same findings", () => {
    const pkg = packageCopy();
    unlinkSync(join(pkg, "dist", "bundle", "cli-staged.cjs"));
    expect(staged(pkg)).toEqual(expected);
    expect(caches(pkg)).toEqual([]);
    unlinkSync(join(pkg, "dist", "bundle", "cli.cjs"));
    expect(staged(pkg)).toEqual(expected);
    expect(caches(pkg)).toEqual([]);
  });

  it("cli-staged.cjs holds staged alone: another command asked of it is not available, exit 2", () => {
    const script = join(scratch, "start-staged-bundle.cjs");
    writeFileSync(script, `require(${JSON.stringify(join(PKG, "dist", "bundle", "cli-staged.cjs"))}).main();\n`);
    const r = spawnSync(process.execPath, [script, "scan", "."], {
      cwd: repo.dir,
      env: { ...GIT_TEST_ENV, NO_COLOR: "1" },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("leakguard: command 'scan' is not available in this build");
  });

  it("when the program cannot start, the pre-commit hook still blocks the commit", () => {
    const pkg = packageCopy();
    const r = new TestRepo();
    try {
      r.commitFiles({ "README.md": "# x\n" }, "init");
      expect(run(pkg, ["hook", "install"], r.dir).code).toBe(0);
      expect(readFileSync(join(r.dir, ".git", "hooks", "pre-commit"), "utf8")).toContain(join(pkg, "bin", "leakguard.js"));
      writeFileSync(join(pkg, "dist", "bundle", "cli-staged.cjs"), "// leakguard-cli 0123456789abcdef\n)(\n");
      r.write("clean.txt", "nothing to see\n").add("clean.txt");
      const before = r.git("rev-parse", "HEAD");
      const c = spawnSync("git", ["commit", "-m", "change"], { cwd: r.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1" }, encoding: "utf8" });
      expect(c.status).not.toBe(0);
      expect(c.stderr).toContain("leakguard: failed to start");
      expect(c.stderr).toContain("blocked to be safe");
      expect(r.git("rev-parse", "HEAD")).toBe(before);
      expect(existsSync(cacheOf(pkg))).toBe(false);
    } finally {
      r.remove();
    }
  });
});
