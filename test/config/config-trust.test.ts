/**
 * A repository's own config can no longer silence findings without a word
 * (issue 11, item 14), on real git repositories through the CLI in process:
 * - the summary names every config, extended, ignore and baseline file
 *   applied and how many findings each suppressed (text and json);
 * - a config that turns the built-in rules off or allows every path or
 *   secret gets a warning line;
 * - `--config-from REF` reads the config and ignore files from a trusted
 *   revision (a pull request's own edits do not count), only as regular
 *   files under a size cap; `--no-repo-config` ignores them.
 */
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { REF_FILE_MAX_BYTES } from "../../src/config/from-ref.js";
import { TestRepo } from "../helpers/git-repo.js";
import { buildHistory } from "../helpers/history-fixture.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";

vi.setConfig({ testTimeout: 120_000 });

/** The CLI in process, with LEAKGUARD_FINGERPRINT_KEY cleared unless given: the machine's environment must not leak in. */
const runInProcess = (argv: string[], o: { cwd: string; env?: NodeJS.ProcessEnv }) => runIn(o.cwd, argv, { env: { LEAKGUARD_FINGERPRINT_KEY: "", ...o.env } });

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

interface JsonOut {
  findings: Array<{ ruleId: string; file: string; fingerprint: string }>;
  summary: { warnings: string[]; suppressed: number; configs?: Array<{ path: string; kind: string; suppressed: number; useDefault?: boolean; disabledRules?: number }> };
}

const SILENCE_PATHS = `[allowlist]\ndescription = "tidy"\npaths = ['''.*''']\n`;
const NO_DEFAULTS = `[extend]\nuseDefault = false\n`;

/**
 * main: a secret and a harmless config; branch `pr` (checked out): a commit
 * that adds `extra` to .leakguard.toml (and any other files), like a pull
 * request would.
 */
function prRepo(extraConfig: string, files: Record<string, string> = {}): { r: TestRepo; token: string } {
  const r = new TestRepo();
  repos.push(r);
  const token = githubToken(1401);
  buildHistory(
    r,
    [
      { files: { "app.env": `GITHUB_TOKEN=${token}\n`, ".leakguard.toml": `# team config\n[scan]\nexclude = ["vendor/**"]\n` }, message: "main", date: "2024-01-01T00:00:00Z" },
      { branch: "pr", from: 0, files: { ".leakguard.toml": `# team config\n[scan]\nexclude = ["vendor/**"]\n${extraConfig}`, ...files }, message: "tidy up the config", date: "2024-01-02T00:00:00Z" },
    ],
    { checkout: "pr" },
  );
  return { r, token };
}

async function json(r: TestRepo, ...args: string[]): Promise<{ code: number; out: JsonOut; stderr: string }> {
  const res = await runInProcess(["scan", "--format", "json", ...args, "."], { cwd: r.dir });
  return { code: res.code, out: JSON.parse(res.stdout) as JsonOut, stderr: res.stderr };
}

describe("the repository's own config", () => {
  it("a PR that allowlists every path: the scan warns and names the config with its count; --config-from main and --no-repo-config still report", async () => {
    const { r } = prRepo(SILENCE_PATHS);

    const own = await json(r);
    expect(own.code).toBe(0);
    expect(own.out.findings).toEqual([]);
    expect(own.out.summary.configs).toEqual([{ path: ".leakguard.toml", kind: "config", suppressed: 1 }]);
    expect(own.out.summary.warnings).toEqual([expect.stringMatching(/^\.leakguard\.toml: a global allowlist \("tidy"\) matches every path: it suppresses every finding/)]);

    const text = await runInProcess(["scan", "."], { cwd: r.dir });
    expect(text.stdout).toMatch(/^warning: \.leakguard\.toml: a global allowlist .* matches every path/m);
    expect(text.stdout).toMatch(/^applied: \.leakguard\.toml \(1 suppressed\)$/m);

    const trusted = await json(r, "--config-from", "main");
    expect(trusted.code).toBe(1);
    expect(trusted.out.findings.map((f) => f.file)).toEqual(["app.env"]);
    expect(trusted.out.summary.configs).toEqual([{ path: "main:.leakguard.toml", kind: "config", suppressed: 0 }]);
    expect(trusted.out.summary.warnings).toEqual([]);

    const none = await json(r, "--no-repo-config");
    expect(none.code).toBe(1);
    expect(none.out.findings.map((f) => f.file)).toEqual(["app.env"]);
    expect(none.out.summary.configs).toBeUndefined();

    // The same for the git commands a CI job runs on a pull request.
    for (const argv of [["history", "--format", "json", "--config-from", "main", "."], ["push", "--format", "json", "--config-from", "main", "HEAD"]]) {
      const res = await runInProcess(argv, { cwd: r.dir });
      expect((JSON.parse(res.stdout) as JsonOut).findings.map((f) => f.file), argv.join(" ")).toEqual(["app.env"]);
    }
  });

  it("useDefault = false: a warning line, and the summary says the built-in rules are off", async () => {
    const { r } = prRepo(NO_DEFAULTS);
    const own = await json(r);
    expect(own.out.findings).toEqual([]);
    expect(own.out.summary.warnings).toEqual([expect.stringMatching(/^\.leakguard\.toml: \[extend\] useDefault = false turns every built-in rule off \(0 rules of its own remain\)/)]);
    expect(own.out.summary.configs).toEqual([{ path: ".leakguard.toml", kind: "config", suppressed: 0, useDefault: false }]);
    const text = await runInProcess(["scan", "."], { cwd: r.dir });
    expect(text.stdout).toMatch(/^applied: \.leakguard\.toml \(0 suppressed, built-in rules off\)$/m);
    expect((await json(r, "--config-from", "main")).out.findings).toHaveLength(1);
  });

  it("a PR that adds an ignore entry: counted per file; --config-from reads the ignore file of the revision instead", async () => {
    const { r } = prRepo("# reviewed\n");
    const fp = (await json(r)).out.findings[0]!.fingerprint;
    r.commitFiles({ ".leakguardignore": `${fp} not a real token\n` }, "ignore it");
    const own = await json(r);
    expect(own.out.findings).toEqual([]);
    expect(own.out.summary.configs).toEqual([
      { path: ".leakguard.toml", kind: "config", suppressed: 0 },
      { path: ".leakguardignore", kind: "ignore", suppressed: 1 },
    ]);
    const trusted = await json(r, "--config-from", "main");
    expect(trusted.out.findings).toHaveLength(1);
    expect((await json(r, "--no-repo-config")).out.findings).toHaveLength(1);
    // A revision that has the ignore file applies it, named REF:path.
    const atPr = await json(r, "--config-from", "pr");
    expect(atPr.out.findings).toEqual([]);
    expect(atPr.out.summary.configs).toContainEqual({ path: "pr:.leakguardignore", kind: "ignore", suppressed: 1 });
  });

  it("extended files are listed with their own counts, also from a revision", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.commitFiles({
      "app.env": `GITHUB_TOKEN=${githubToken(1402)}\n`,
      "fixtures/t.env": `GITHUB_TOKEN=${githubToken(1403)}\n`,
      "ci/base.toml": `[allowlist]\npaths = ['''^fixtures/''']\n`,
      ".leakguard.toml": `[extend]\npath = "ci/base.toml"\ndisabledRules = ["slack-webhook-url"]\n`,
    });
    const want = [
      { path: ".leakguard.toml", kind: "config", suppressed: 0, disabledRules: 1 },
      { path: "ci/base.toml", kind: "extends", suppressed: 1 },
    ];
    expect((await json(r)).out.summary.configs).toEqual(want);
    expect((await json(r, "--config-from", "HEAD")).out.summary.configs).toEqual(want.map((c) => ({ ...c, path: `HEAD:${c.path}` })));
  });

  it("disabledRules naming no rule is a warning with a did-you-mean, and only rules really turned off are counted", async () => {
    const r = new TestRepo();
    repos.push(r);
    const token = githubToken(1405);
    r.commitFiles({
      "app.env": `GITHUB_TOKEN=${token}\n`,
      ".leakguard.toml": `[extend]\ndisabledRules = ["github-pat", "generic-secret-assignmnet", "no-such-rule", "github-pat"]\n`,
    });
    const { out } = await json(r);
    expect(out.findings.map((f) => f.ruleId)).not.toContain("github-pat");
    expect(out.summary.configs).toEqual([{ path: ".leakguard.toml", kind: "config", suppressed: 0, disabledRules: 1 }]);
    const warning = `.leakguard.toml: [extend] disabledRules names 2 rules that do not exist, turning nothing off: "generic-secret-assignmnet" (did you mean generic-secret-assignment?), "no-such-rule" (see leakguard rules list)`;
    expect(out.summary.warnings).toEqual([warning]);
    const text = await runInProcess(["scan", "."], { cwd: r.dir });
    expect(text.stdout).toContain(`warning: ${warning}\n`);
    expect(text.stdout).toContain("applied: .leakguard.toml (0 suppressed, 1 built-in rule off)");
    // A built-in id under useDefault = false turns nothing more off, but is no typo: no warning.
    r.commitFiles({ ".leakguard.toml": `[extend]\nuseDefault = false\ndisabledRules = ["github-pat"]\n` });
    const off = await json(r);
    expect(off.out.summary.warnings.filter((w) => w.includes("disabledRules"))).toEqual([]);
    expect(off.out.summary.configs).toEqual([{ path: ".leakguard.toml", kind: "config", suppressed: 0, useDefault: false }]);
  });

  it("--config-from refuses a symlink, an oversized file, a path leaving the revision and an unknown revision, in one line each (exit 2)", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.write("app.env", `GITHUB_TOKEN=${githubToken(1404)}\n`);
    symlinkSync("/dev/zero", join(r.dir, ".leakguard.toml"));
    r.add().commit("symlinked config");
    const link = await runInProcess(["scan", "--config-from", "HEAD", "."], { cwd: r.dir });
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/^leakguard: HEAD:\.leakguard\.toml is a symbolic link in HEAD; config and ignore files are read only as regular files\n$/);

    r.git("rm", "-q", ".leakguard.toml");
    r.commitFiles({ ".leakguard.toml": `# ${"x".repeat(REF_FILE_MAX_BYTES)}\n` }, "huge config");
    const big = await runInProcess(["scan", "--config-from", "HEAD", "."], { cwd: r.dir });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/^leakguard: HEAD:\.leakguard\.toml is \d+ bytes, more than the \d+ a config or ignore file may have\n$/);

    r.commitFiles({ ".leakguard.toml": `[extend]\npath = "../outside.toml"\n` }, "escape");
    const esc = await runInProcess(["scan", "--config-from", "HEAD", "."], { cwd: r.dir });
    expect(esc.code).toBe(2);
    expect(esc.stderr).toMatch(/\[extend\] path \.\.\/outside\.toml leaves HEAD/);

    for (const ref of ["no-such-branch", "--output=/tmp/x"]) {
      const bad = await runInProcess(["scan", `--config-from=${ref}`, "."], { cwd: r.dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^leakguard: --config-from .*: not a commit in this repository/);
    }
    const both = await runInProcess(["scan", "--config-from", "HEAD", "--no-repo-config", "."], { cwd: r.dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exclude each other/);
  });
});
