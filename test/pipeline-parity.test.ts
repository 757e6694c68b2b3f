/**
 * Every scanning command and its library twin on one repository with an
 * ignore file, a baseline and a custom rule: the same findings, the same
 * suppressions (by reason) and the same fingerprints (issue 14, item 1):
 * scan, staged, push, history, inventory and baseline. And SARIF describes a
 * custom rule with its remediation, references and tags, whichever command
 * made the report.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBaseline, scanHistory, scanInventory, scanPaths, scanPush, scanStaged, type ScanReport } from "../src/index.js";
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

  it("push, inventory and baseline match scanPush, scanInventory and makeBaseline", async () => {
    // The last commit holds new.env: two reported secrets, one ignored by fingerprint.
    const push = await cli(repo.dir, ["push", "HEAD~1..HEAD", "--format", "json", "--baseline", ".leakguard-baseline.json"]);
    const pushLib = lib(await scanPush({ cwd: repo.dir, range: "HEAD~1..HEAD", baseline: ".leakguard-baseline.json", env: ENV }));
    expect(pushLib).toEqual({ rows: push.rows, suppressedBy: push.suppressedBy });
    expect(push.suppressedBy).toMatchObject({ "ignore-file": 1 });
    expect(push.rows).toHaveLength(2);

    const inv = await runIn(repo.dir, ["inventory", "--format", "json", "--no-progress"], { env: ENV });
    expect(inv.code, inv.stderr).not.toBe(2);
    const invRows = (x: { rows: Array<{ ruleId: string; fingerprint: string }> }): string[] => x.rows.map((r) => `${r.ruleId} ${r.fingerprint}`).sort();
    const invLib = await scanInventory({ repo: repo.dir, env: ENV });
    expect(invRows(invLib)).toEqual(invRows(JSON.parse(inv.stdout) as { rows: Array<{ ruleId: string; fingerprint: string }> }));
    // Every secret of the history, ignored or baselined: five, with the history's fingerprints.
    expect(invLib.rows).toHaveLength(5);

    const made = await runIn(repo.dir, ["baseline", "create", "--baseline", "cli-baseline.json", "--quiet"], { env: ENV });
    expect(made.code, made.stderr).toBe(0);
    const madeLib = await makeBaseline({ mode: "create", repo: repo.dir, cwd: repo.dir, file: "lib-baseline.json", env: ENV });
    const entries = (text: string): unknown => JSON.parse(text) as unknown;
    expect(entries(readFileSync(madeLib.file, "utf8"))).toEqual(entries(readFileSync(join(repo.dir, "cli-baseline.json"), "utf8")));
    // The ignored secret needs no entry: the baseline holds the four others, under the repository's salt (the history's).
    expect(madeLib.baseline.entries).toHaveLength(4);
    expect(madeLib.salt.kind).toBe("repository");
    const historyFps = (await scanHistory({ repo: repo.dir, env: ENV })).findings.map((f) => f.fingerprint);
    expect(madeLib.baseline.entries.map((e) => e.fingerprint).sort()).toEqual(historyFps.sort());
  });

  it("SARIF describes a custom rule with the config's remediation, references and tags, from every command", async () => {
    repo.write("staged.env", `ACME=${acme(306)}\n`).add("staged.env");
    for (const argv of [["scan", "."], ["staged"], ["push", "HEAD~1..HEAD"], ["history"]]) {
      const r = await runIn(repo.dir, [...argv, "--format", "sarif", "--no-progress"], { env: ENV });
      expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(1);
      const log = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; help: { text: string }; helpUri: string; properties: { tags: string[] } }> } } }> };
      const rule = log.runs[0]!.tool.driver.rules.find((x) => x.id === "acme-token")!;
      expect(rule.help.text, argv[0]).toContain("Revoke it in the Acme console");
      expect(rule.helpUri, argv[0]).toBe("https://acme.example/docs/tokens");
      expect(rule.properties.tags, argv[0]).toEqual(expect.arrayContaining(["acme", "internal"]));
    }
  });
});
