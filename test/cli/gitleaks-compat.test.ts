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
    expect(bad.stderr).toContain('--log-opts: leakguard understands --all, A..B, --since=DATE, one branch name, --no-merges and --first-parent; not "--author=x"');
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

describe("gitleaks flags leakguard maps, or accepts with a note", () => {
  const note = (stderr: string, flag: string): string[] => stderr.split("\n").filter((l) => l.startsWith(`leakguard: note: ${flag}`));
  const files = (stdout: string): string[] => (JSON.parse(stdout) as Json).findings.map((f) => f.file).sort();

  it("-i/--gitleaks-ignore-path: a .gitleaksignore file, or a folder holding one, is read as well as the root's", async () => {
    const r = repo();
    r.write("ci/.gitleaksignore", "src/aws.js:aws-access-key-id:1\n");
    for (const argv of [["-i", "ci"], ["--gitleaks-ignore-path", "ci/.gitleaksignore"], ["--gitleaks-ignore-path=ci"]]) {
      const res = await runIn(r.dir, ["detect", "--no-git", "-f", "json", ...argv]);
      expect(res.stderr, argv.join(" ")).toBe("");
      expect(res.code, argv.join(" ")).toBe(0);
      expect(files(res.stdout)).toEqual([]);
    }
    // gitleaks' default, "." (the root's own file, read once), and a path holding none.
    const dot = await runIn(r.dir, ["dir", ".", "-f", "json", "-i", "."]);
    expect(dot.code).toBe(1);
    expect(files(dot.stdout)).toEqual(["src/aws.js"]);
    // In history too, where the root's ignore files apply as well.
    const hist = await runIn(r.dir, ["git", ".", "-f", "json", "-i", "ci"]);
    expect(files(hist.stdout)).toEqual(["deploy/app.env"]);
  });

  it("--ignore-gitleaks-allow: findings on gitleaks:allow (and leakguard's own marker) lines are reported", async () => {
    const r = repo();
    r.commitFiles({ "src/aws.js": `const id = "${key}"; // gitleaks:allow\n`, "src/gh.js": `const t = "${githubToken(106)}"; // leakguard:allow test\n` }, "allow");
    const honoured = await runIn(r.dir, ["dir", ".", "-f", "json"]);
    expect(honoured.code).toBe(0);
    const res = await runIn(r.dir, ["dir", ".", "-f", "json", "--ignore-gitleaks-allow"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    expect(files(res.stdout)).toEqual(["src/aws.js", "src/gh.js"]);
    // History (blob scans) the same way.
    expect(rules(JSON.parse((await runIn(r.dir, ["detect", "-f", "json", "--log-opts", "HEAD~1..HEAD"])).stdout))).toEqual([]);
    const hist = await runIn(r.dir, ["detect", "-f", "json", "--log-opts", "HEAD~1..HEAD", "--ignore-gitleaks-allow"]);
    expect(rules(JSON.parse(hist.stdout))).toEqual(["aws-access-key-id", "github-pat"]);
  });

  it("--follow-symlinks: accepted with a note that links are not followed; the scan is the same", async () => {
    const r = repo();
    const res = await runIn(r.dir, ["dir", ".", "-f", "json", "--follow-symlinks"]);
    expect(res.code).toBe(1);
    expect(files(res.stdout)).toEqual(["src/aws.js"]);
    expect(note(res.stderr, "--follow-symlinks")).toHaveLength(1);
    expect(res.stderr).toMatch(/not applied; leakguard does not follow symbolic links/);
  });

  it("--max-archive-depth N: accepted with a note; archives are opened as leakguard does (0 does not turn them off)", async () => {
    const r = repo();
    for (const n of ["0", "3"]) {
      const res = await runIn(r.dir, ["dir", ".", "-f", "json", "--max-archive-depth", n]);
      expect(res.code, n).toBe(1);
      expect(files(res.stdout)).toEqual(["src/aws.js"]);
      expect(note(res.stderr, `--max-archive-depth ${n}: not applied`), n).toHaveLength(1);
    }
  });

  it("--timeout SECONDS: accepted with a note that there is no whole-scan timeout; the scan runs in full", async () => {
    const r = repo();
    const res = await runIn(r.dir, ["detect", "-f", "json", "--timeout", "60"]);
    expect(res.code).toBe(1);
    expect(rules(JSON.parse(res.stdout))).toEqual(["aws-access-key-id", "github-pat"]);
    expect(note(res.stderr, "--timeout 60: not applied")).toHaveLength(1);
  });

  it("--platform NAME: accepted and ignored, with a note", async () => {
    const r = repo();
    const res = await runIn(r.dir, ["git", "-f", "json", "--platform", "github"]);
    expect(res.code).toBe(1);
    expect(rules(JSON.parse(res.stdout))).toEqual(["aws-access-key-id", "github-pat"]);
    expect(note(res.stderr, "--platform github: ignored")).toHaveLength(1);
  });

  it("git --pre-commit (and git --staged): the staged changes, as protect", async () => {
    const r = repo();
    r.write("new.env", `TOKEN=${githubToken(107)}\n`);
    r.add();
    const staged = await runIn(r.dir, ["git", "--pre-commit", "--staged", "-f", "json"]);
    expect(staged.stderr).not.toMatch(/note:/);
    expect(staged.code).toBe(1);
    expect(files(staged.stdout)).toEqual(["new.env"]);
    expect(files((await runIn(r.dir, ["git", "--staged", "-f", "json"])).stdout)).toEqual(["new.env"]);
    // Without --staged (gitleaks then reads the unstaged diff): the staged changes, and a note.
    const bare = await runIn(r.dir, ["git", "--pre-commit", "-f", "json", r.dir]);
    expect(files(bare.stdout)).toEqual(["new.env"]);
    expect(note(bare.stderr, "git --pre-commit: scans the staged changes")).toHaveLength(1);
  });

  it("--log-opts with gitleaks-action's --no-merges --first-parent A..B: the range is honoured, the two flags are noted as not applied", async () => {
    const r = repo();
    const res = await runIn(r.dir, ["git", "-f", "json", "--log-opts=--no-merges --first-parent HEAD~1..HEAD"]);
    expect(res.code).toBe(1);
    expect(rules(JSON.parse(res.stdout))).toEqual(["aws-access-key-id"]);
    expect(note(res.stderr, "--log-opts --no-merges: not applied")).toHaveLength(1);
    expect(note(res.stderr, "--log-opts --first-parent: not applied")).toHaveLength(1);
  });
});
