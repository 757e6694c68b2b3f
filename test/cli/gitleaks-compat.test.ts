/**
 * gitleaks' command line, unchanged, runs as leakguard: the CI line a team
 * already has, and each gitleaks command and flag mapped onto leakguard's.
 * In process through run(argv, io), real git.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TestRepo } from "../helpers/git-repo.js";
import { buildHistory } from "../helpers/history-fixture.js";
import { runIn } from "../helpers/in-process.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { schemaErrors } from "../helpers/sarif-validate.js";

vi.setConfig({ testTimeout: 120_000 });

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

const token = githubToken(101);
const key = awsKeyId(102);
function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  buildHistory(r, [
    { files: { "README.md": "hello\n" }, message: "initial", date: "2024-01-01T00:00:00Z" },
    { files: { "deploy/app.env": `GITHUB_TOKEN=${token}\n` }, message: "add deploy config", date: "2024-01-02T00:00:00Z" },
    { files: { "deploy/app.env": "GITHUB_TOKEN=\n", "src/aws.js": `const id = "${key}";\n` }, message: "rotate", date: "2024-01-03T00:00:00Z" },
  ]);
  return r;
}
type Json = { findings: Array<{ ruleId: string; file: string; commit?: string }> };
const rules = (j: Json): string[] => [...new Set(j.findings.map((f) => f.ruleId))].sort();

describe("gitleaks compatibility", () => {
  it("a gitleaks CI line runs unchanged: history, SARIF report file, exit code 3, findings in the log with -v, nothing raw", async () => {
    const r = repo();
    const line = "detect --source . --report-format sarif --report-path out.sarif --redact --no-banner -v --exit-code 3".split(" ");
    const res = await runIn(r.dir, line);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(3);
    const sarif = JSON.parse(readFileSync(join(r.dir, "out.sarif"), "utf8"));
    expect(sarif.runs[0].tool.driver.name).toBe("leakguard");
    const ids = sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort();
    expect(ids).toEqual(["aws-access-key-id", "github-pat"]);
    // The token was removed from HEAD but is in history: detect scans the history.
    expect(sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "github-pat").locations[0].physicalLocation.artifactLocation.uri).toBe("deploy/app.env");
    expect(schemaErrors(sarif)).toEqual([]);
    // -v: the findings in the CI log too (as text, redacted).
    expect(res.stdout).toContain("deploy/app.env");
    expect(res.stdout).toMatch(/2 secrets found/);
    for (const raw of [token, key]) expect(readFileSync(join(r.dir, "out.sarif"), "utf8") + res.stdout).not.toContain(raw);
    // Without a report format, a report path gets gitleaks' default: json.
    const json = await runIn(r.dir, ["detect", "-s", ".", "-r", "report.json"]);
    expect(json.code).toBe(1);
    expect(json.stdout).toBe("");
    expect(rules(JSON.parse(readFileSync(join(r.dir, "report.json"), "utf8")))).toEqual(["aws-access-key-id", "github-pat"]);
  });

  it("detect --no-git and dir scan the files; git scans history; --log-opts narrows it", async () => {
    const r = repo();
    const files = JSON.parse((await runIn(r.dir, ["detect", "--no-git", "-f", "json"])).stdout) as Json;
    expect(rules(files)).toEqual(["aws-access-key-id"]);
    expect(rules(JSON.parse((await runIn(r.dir, ["dir", ".", "-f", "JSON"])).stdout))).toEqual(["aws-access-key-id"]);
    expect(rules(JSON.parse((await runIn(r.dir, ["git", ".", "-f", "json"])).stdout))).toEqual(["aws-access-key-id", "github-pat"]);
    const last = JSON.parse((await runIn(r.dir, ["git", "-f", "json", "--log-opts", "HEAD~1..HEAD"])).stdout) as Json;
    expect(rules(last)).toEqual(["aws-access-key-id"]);
    const all = JSON.parse((await runIn(r.dir, ["detect", "-f", "json", "--log-opts=--all --since=2024-01-01"])).stdout) as Json;
    expect(rules(all)).toEqual(["aws-access-key-id", "github-pat"]);
    const bad = await runIn(r.dir, ["detect", "--log-opts", "--author=x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--log-opts: leakguard understands --all, A..B, --since=DATE and one branch name; not "--author=x"');
  });

  it("protect --staged blocks a staged secret (in --source), stdin reads standard input", async () => {
    const r = repo();
    r.write("new.env", `TOKEN=${githubToken(103)}\n`);
    r.add();
    const elsewhere = repo();
    const p = await runIn(elsewhere.dir, ["protect", "--staged", "--source", r.dir, "--no-banner", "-f", "json"]);
    expect(p.code).toBe(1);
    expect((JSON.parse(p.stdout) as Json).findings.map((f) => f.file)).toEqual(["new.env"]);
    const s = await runIn(r.dir, ["stdin", "-f", "json"], { input: `x=${githubToken(104)}\n` });
    expect(s.code).toBe(1);
    expect(rules(JSON.parse(s.stdout))).toEqual(["github-pat"]);
  });

  it("--enable-rule, --max-target-megabytes, -c, --exit-code 0, --baseline-path with a gitleaks report", async () => {
    const r = repo();
    const only = JSON.parse((await runIn(r.dir, ["detect", "-f", "json", "--enable-rule", "github-pat"])).stdout) as Json;
    expect(rules(only)).toEqual(["github-pat"]);
    const typo = await runIn(r.dir, ["detect", "--enable-rule", "github-pta"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("--enable-rule github-pta: no such rule; did you mean github-pat?");
    r.write("big.env", `K=${key}\n` + "x".repeat(2 * 1024 * 1024));
    const size = await runIn(r.dir, ["dir", ".", "-f", "json", "--max-target-megabytes", "1"]);
    expect((JSON.parse(size.stdout) as Json).findings.map((f) => f.file)).toEqual(["src/aws.js"]);
    rmSync(join(r.dir, "big.env"));
    writeFileSync(join(r.dir, "custom.toml"), '[[rules]]\nid = "only-this"\nregex = \'\'\'zzz_[0-9]{8}\'\'\'\nkeywords = ["zzz_"]\n[extend]\nuseDefault = false\n');
    const custom = await runIn(r.dir, ["dir", ".", "-c", "custom.toml", "--exit-code", "0"]);
    expect(custom.code).toBe(0);
    // A gitleaks JSON report as baseline: what it lists is not reported again.
    const gl = [{ RuleID: "aws-access-key-id", File: "src/aws.js", StartLine: 1, Secret: "REDACTED", Fingerprint: "src/aws.js:aws-access-key-id:1" }];
    writeFileSync(join(r.dir, "gitleaks-baseline.json"), JSON.stringify(gl));
    const base = await runIn(r.dir, ["detect", "--no-git", "-f", "json", "--baseline-path", "gitleaks-baseline.json"]);
    expect(base.code).toBe(0);
    expect((JSON.parse(base.stdout) as Json).findings).toEqual([]);
    // --redact=N and --no-color are accepted.
    expect((await runIn(r.dir, ["detect", "--no-git", "--redact=50", "--no-color", "--max-decode-depth", "3", "-l", "warn", "-f", "json"])).code).toBe(1);
    expect(existsSync(join(r.dir, "out.sarif"))).toBe(false);
  });

  it("--max-target-megabytes 0 (or less) means no limit, as in gitleaks: every file is scanned", async () => {
    const r = repo();
    // A config limit of 1 KB and a 2 KB file: no limit scans it too.
    writeFileSync(join(r.dir, ".leakguard.toml"), '[scan]\nmaxFileSize = "1KB"\n');
    r.write("big.env", `K=${key}\n` + "x".repeat(2048));
    for (const n of ["0", "-1"]) {
      const res = await runIn(r.dir, ["dir", ".", "-f", "json", "--max-target-megabytes", n]);
      expect(res.code, n).toBe(1);
      expect((JSON.parse(res.stdout) as Json).findings.map((f) => f.file).sort(), n).toEqual(["big.env", "src/aws.js"]);
    }
    const one = await runIn(r.dir, ["detect", "--no-git", "-f", "json", "--max-target-megabytes=1"]);
    expect((JSON.parse(one.stdout) as Json).findings.map((f) => f.file).sort()).toEqual(["big.env", "src/aws.js"]);
    expect((JSON.parse((await runIn(r.dir, ["dir", ".", "-f", "json"])).stdout) as Json).findings.map((f) => f.file)).toEqual(["src/aws.js"]);
  });

  it("gitleaks' baseline workflow: detect -r base.json, then detect -b base.json reports only what is new; baseline create --from takes the report too", async () => {
    const r = repo();
    const first = await runIn(r.dir, ["detect", "--report-path", "base.json"]);
    expect(first.code).toBe(1);
    const again = await runIn(r.dir, ["detect", "--baseline-path", "base.json", "--report-path", "same.json"]);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect((JSON.parse(readFileSync(join(r.dir, "same.json"), "utf8")) as Json).findings).toEqual([]);
    // A new secret is reported; the ones in the report are not.
    r.commitFiles({ "src/new.js": `const t = "${githubToken(105)}";\n` }, "another");
    const next = await runIn(r.dir, ["detect", "-b", "base.json", "-r", "new.json"]);
    expect(next.code).toBe(1);
    expect((JSON.parse(readFileSync(join(r.dir, "new.json"), "utf8")) as Json).findings.map((f) => f.file)).toEqual(["src/new.js"]);
    // The same for a folder scan, and as the start of a leakguard baseline.
    await runIn(r.dir, ["detect", "--no-git", "-r", "files.json"]);
    expect((await runIn(r.dir, ["detect", "--no-git", "-b", "files.json"])).code).toBe(0);
    const made = await runIn(r.dir, ["baseline", "create", "--from", "files.json"]);
    expect(made.code, made.stderr).toBe(0);
    const entries = (JSON.parse(readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8")) as { entries: Array<{ file: string }> }).entries;
    expect(entries.map((e) => e.file).sort()).toEqual(["src/aws.js", "src/new.js"]);
    // A leakguard baseline still loads as one.
    expect((await runIn(r.dir, ["detect", "--no-git", "-b", ".leakguard-baseline.json"])).code).toBe(0);
  });

  it("the same preflight as leakguard's own commands: a bad --report-path folder, --fail-on or --min-confidence is exit 2 before any scan", async () => {
    // In a folder that is no repository: the error names the flag, so nothing else (the scan) ran first.
    const notRepo = mkdtempSync(join(tmpdir(), "lg-gl-preflight-"));
    try {
      const cases: Array<[string[], RegExp]> = [
        [["detect", "--report-path", "no/such/dir/out.json"], /^leakguard: --report-path no\/such\/dir\/out\.json: folder .* does not exist$/m],
        [["protect", "--staged", "-r", "no/such/dir/out.json"], /^leakguard: -r no\/such\/dir\/out\.json: folder .* does not exist$/m],
        [["detect", "--fail-on", "urgent"], /^leakguard: --fail-on/],
        [["git", "--min-confidence", "sure"], /^leakguard: --min-confidence/],
      ];
      for (const [argv, message] of cases) {
        const r = await runIn(notRepo, argv);
        expect(r.code, argv.join(" ")).toBe(2);
        expect(r.stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
        expect(r.stderr, argv.join(" ")).toMatch(message);
      }
      expect(readdirSync(notRepo)).toEqual([]);
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
  });

  it("--help for a compatibility command lists gitleaks' flags", async () => {
    const r = repo();
    const h = await runIn(r.dir, ["detect", "--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/-r, --report-path FILE/);
    expect(h.stdout).toMatch(/--log-opts OPTS/);
  });
});
