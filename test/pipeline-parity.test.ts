/**
 * Every scanning command and its library twin on one repository with an
 * ignore file, a baseline and a custom rule: the same findings, the same
 * suppressions (by reason) and the same fingerprints (issue 14, item 1). And
 * SARIF describes a custom rule with its remediation, references and tags.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanHistory, scanPaths, scanStaged, type ScanReport } from "../src/index.js";
import { summarize } from "../src/report/summary.js";
import { TestRepo } from "./helpers/git-repo.js";
import { runIn } from "./helpers/in-process.js";
import { githubToken, randomToken } from "./helpers/secrets.js";

const ENV = { LEAKGUARD_FINGERPRINT_KEY: "" };
const acme = (seed: number): string => "acme_" + randomToken(24, seed).toLowerCase().replace(/[^a-z0-9]/g, "a");

interface Row {
  ruleId: string;
  file: string;
  line: number;
  fingerprint: string;
  commit?: string;
}
const rows = (findings: ReadonlyArray<Row>): string[] =>
  findings.map((f) => [f.ruleId, f.file, f.line, f.fingerprint, f.commit ?? ""].join(" ")).sort();

async function cli(dir: string, argv: string[]): Promise<{ rows: string[]; suppressedBy: Record<string, number>; stdout: string }> {
  const r = await runIn(dir, argv, { env: ENV });
  expect(r.code, r.stderr).not.toBe(2);
  const out = JSON.parse(r.stdout) as { findings: Row[]; summary: { suppressedBy: Record<string, number> } };
  return { rows: rows(out.findings), suppressedBy: out.summary.suppressedBy, stdout: r.stdout };
}

const lib = (report: ScanReport): { rows: string[]; suppressedBy: Record<string, number> } => ({ rows: rows(report.findings), suppressedBy: summarize(report).suppressedBy });

describe("one pipeline: each command and its library twin agree", { timeout: 120_000 }, () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = new TestRepo();
    repo.write(
      ".leakguard.toml",
      [
        "[[rules]]",
        'id = "acme-token"',
        'description = "Acme API token"',
        "regex = '''\\b(acme_[a-z0-9]{24})\\b'''",
        'keywords = ["acme_"]',
        'severity = "high"',
        'remediation = "Revoke it in the Acme console (Settings > Tokens)."',
        'references = ["https://acme.example/docs/tokens"]',
        'tags = ["acme", "internal"]',
        "",
      ].join("\n"),
    );
    // Baselined: an old token. Ignored: a second one, by fingerprint. Reported: the rest.
    repo.write("old.env", `GITHUB_TOKEN=${githubToken(301)}\nACME=${acme(302)}\n`);
  });
  afterAll(() => repo.remove());

  it("scan, staged and history match scanPaths, scanStaged and scanHistory", async () => {
    repo.add(".leakguard.toml", "old.env").commit("old secrets");
    const base = await runIn(repo.dir, ["baseline", "create"], { env: ENV });
    expect(base.code).toBe(0);
    repo.write("new.env", `GITHUB_TOKEN=${githubToken(303)}\nACME=${acme(304)}\nOTHER=${githubToken(305)}\n`);
    // Ignore one of the new secrets by its fingerprint, as a user would from a report.
    const first = await scanPaths(["."], { root: repo.dir, baseline: ".leakguard-baseline.json" });
    const ignored = first.findings.find((f) => f.secret === githubToken(305))!;
    writeFileSync(join(repo.dir, ".leakguardignore"), `${ignored.fingerprint} test fixture\n`);
    repo.add(".leakguardignore", ".leakguard-baseline.json").commit("ignore and baseline");
    repo.add("new.env");

    const scan = await cli(repo.dir, ["scan", ".", "--format", "json", "--baseline", ".leakguard-baseline.json", "--no-progress"]);
    const scanLib = lib(await scanPaths(["."], { root: repo.dir, baseline: ".leakguard-baseline.json" }));
    expect(scanLib).toEqual({ rows: scan.rows, suppressedBy: scan.suppressedBy });
    expect(scan.suppressedBy).toMatchObject({ baseline: 2, "ignore-file": 1 });
    expect(scan.rows.map((r) => r.split(" ")[0]).sort()).toEqual(["acme-token", "github-pat"]);

    const staged = await cli(repo.dir, ["staged", "--format", "json", "--baseline", ".leakguard-baseline.json"]);
    const stagedLib = lib(await scanStaged({ cwd: repo.dir, baseline: ".leakguard-baseline.json" }));
    expect(stagedLib).toEqual({ rows: staged.rows, suppressedBy: staged.suppressedBy });
    expect(staged.suppressedBy).toMatchObject({ "ignore-file": 1 });

    repo.commit("new secrets");
    const history = await cli(repo.dir, ["history", "--format", "json", "--baseline", ".leakguard-baseline.json", "--no-progress"]);
    const historyLib = lib(await scanHistory({ repo: repo.dir, baseline: ".leakguard-baseline.json" }));
    expect(historyLib).toEqual({ rows: history.rows, suppressedBy: history.suppressedBy });
    expect(history.suppressedBy).toMatchObject({ baseline: 2, "ignore-file": 1 });
  });

  it("SARIF describes a custom rule with the config's remediation, references and tags", async () => {
    const r = await runIn(repo.dir, ["scan", ".", "--format", "sarif", "--no-progress"], { env: ENV });
    const log = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; help: { text: string }; helpUri: string; properties: { tags: string[] } }> } } }> };
    const rule = log.runs[0]!.tool.driver.rules.find((x) => x.id === "acme-token")!;
    expect(rule.help.text).toContain("Revoke it in the Acme console");
    expect(rule.helpUri).toBe("https://acme.example/docs/tokens");
    expect(rule.properties.tags).toEqual(expect.arrayContaining(["acme", "internal"]));
  });
});
