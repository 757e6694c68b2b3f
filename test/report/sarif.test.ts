import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { pathToUri } from "../../src/report/sarif.js";
import { runIn } from "../helpers/in-process.js";
import { fixtureReport, ODD_FILES } from "../helpers/report-fixture.js";
import { githubToken } from "../helpers/secrets.js";
import { multitoolIssuesMany, schemaErrors, type MultitoolIssue } from "../helpers/sarif-validate.js";

interface Sarif {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, any>> } };
    results: Array<Record<string, any>>;
    invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }>;
  }>;
}

async function render(report = fixtureReport(), showSuppressed = false): Promise<{ text: string; log: Sarif }> {
  const text = await renderReport("sarif", report, { showSecrets: false, showSuppressed });
  return { text, log: JSON.parse(text) as Sarif };
}

describe("sarif", () => {
  // The multitool starts slowly (.NET), so every log it checks goes in one run.
  let issues: Record<string, MultitoolIssue[]>;
  let full: Sarif;
  let empty: Sarif;
  let cli: string;
  beforeAll(async () => {
    const a = await render(fixtureReport(), true);
    const b = await render(emptyReport());
    full = a.log;
    empty = b.log;
    const noLoc = structuredClone(a.log);
    delete noLoc.runs[0]!.results[0]!.locations;
    // The log the CLI writes (test/report/cli.test.ts checks the rest of that run): checked in the same multitool run.
    const dir = mkdtempSync(join(tmpdir(), "lg-sarif-cli-"));
    try {
      writeFileSync(join(dir, "deploy, prod.env"), `GITHUB_TOKEN=${githubToken(21)}\n`);
      writeFileSync(join(dir, "README.md"), "nothing here\n");
      const r = await runIn(dir, ["scan", "--format", "sarif", "--output", "f.sarif", "--", "deploy, prod.env", "README.md"]);
      expect([r.code, r.stderr]).toEqual([1, ""]);
      cli = readFileSync(join(dir, "f.sarif"), "utf8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    issues = multitoolIssuesMany({ full: a.text, empty: b.text, noLoc: JSON.stringify(noLoc), cli });
  }, 180_000);

  it("a log the CLI writes (scan --format sarif --output f.sarif) passes the schema and the multitool's SARIF and GitHub rules", () => {
    expect(JSON.parse(cli).runs[0].results).toHaveLength(1);
    expect(schemaErrors(JSON.parse(cli))).toEqual([]);
    expect(issues.cli).toEqual([]);
  });

  it("is valid against the SARIF 2.1.0 schema and the multitool's SARIF and GitHub rules", () => {
    expect(schemaErrors(full)).toEqual([]);
    expect(issues.full!.filter((i) => i.level === "error")).toEqual([]);
    expect(issues.full).toEqual([]);
  });

  it("an empty report is valid too", () => {
    expect(schemaErrors(empty)).toEqual([]);
    expect(issues.empty).toEqual([]);
    expect(empty.runs[0]!.results).toEqual([]);
    expect(empty.runs[0]!.tool.driver.rules).toEqual([]);
  });

  it("names no absolute path by default: the root's file URI only with sarifRootUri, and valid either way", async () => {
    const root = "/srv/build/checkout";
    const plain = await renderReport("sarif", fixtureReport(), { showSecrets: false, root });
    expect(plain).not.toContain(root);
    expect(JSON.parse(plain).runs[0].originalUriBaseIds).toBeUndefined();
    const named = JSON.parse(await renderReport("sarif", fixtureReport(), { showSecrets: false, root, sarifRootUri: true }));
    expect(named.runs[0].originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///srv/build/checkout/" } });
    expect(schemaErrors(JSON.parse(plain))).toEqual([]);
    expect(schemaErrors(named)).toEqual([]);
  });

  it("the validators do catch a broken log", () => {
    const bad = structuredClone(full);
    bad.runs[0]!.results[0]!.level = "fatal";
    bad.runs[0]!.results[1]!.locations[0].physicalLocation.region.startLine = 0;
    expect(schemaErrors(bad).length).toBe(2);
    expect(issues.noLoc!.some((i) => i.level === "error" && i.ruleId.startsWith("GH"))).toBe(true);
  });

  it("describes the tool and only the rules that fired, with GitHub's severity scale", async () => {
    const { log } = await render();
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe("leakguard");
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r) => r.id)).toEqual(["github-pat", "aws-access-key-id", "aws-secret-access-key", "generic-api-key", "custom-low"]);
    const pat = driver.rules[0]!;
    expect(pat.name).toBe("GithubPat");
    expect(pat.shortDescription.text).toBe("GitHub personal access token (classic).");
    // Built-in rule: remediation text and link in help.
    expect(pat.help.text).toContain("https://github.com/settings/tokens");
    expect(pat.help.markdown).toContain("### What to do");
    expect(pat.helpUri).toMatch(/^https:\/\/docs\.github\.com\//);
    expect(pat.properties).toMatchObject({ "security-severity": "9.5", precision: "high" });
    expect(pat.properties.tags).toContain("security");
    const sev = Object.fromEntries(driver.rules.map((r) => [r.id, r.properties["security-severity"]]));
    expect(sev).toEqual({ "github-pat": "9.5", "aws-access-key-id": "8.0", "aws-secret-access-key": "9.5", "generic-api-key": "5.5", "custom-low": "3.0" });
    // A rule leakguard does not know is described from its findings.
    expect(driver.rules[4]!.shortDescription.text).toBe("Custom low-severity token.");
    expect(driver.rules[4]!.properties.precision).toBe("high");
  });

  it("rules given by the caller (a config's custom rules) win", async () => {
    const text = await renderReport("sarif", fixtureReport(), {
      showSecrets: false,
      rules: [{ id: "custom-low", description: "ACME token", remediation: "Rotate at https://acme.test/keys", references: ["https://acme.test/docs"] }],
    });
    const rule = (JSON.parse(text) as Sarif).runs[0]!.tool.driver.rules[4]!;
    expect(rule.shortDescription.text).toBe("ACME token.");
    expect(rule.help.text).toContain("Rotate at https://acme.test/keys");
    expect(rule.helpUri).toBe("https://acme.test/docs");
  });

  it("results carry level, redacted message, relative percent-encoded location, region and fingerprints", async () => {
    const report = fixtureReport();
    const { log } = await render(report);
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(report.findings.length);
    const rules = log.runs[0]!.tool.driver.rules;
    results.forEach((r, i) => {
      const f = report.findings[i]!;
      expect(r.ruleId).toBe(f.ruleId);
      expect(rules[r.ruleIndex]!.id).toBe(f.ruleId);
      expect(r.level).toBe({ critical: "error", high: "error", medium: "warning", low: "note" }[f.severity]);
      expect(r.partialFingerprints["leakguard/v1"]).toBe(f.fingerprint);
      expect(r.locations[0].physicalLocation.region).toEqual({ startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
      if (f.file) {
        const al = r.locations[0].physicalLocation.artifactLocation;
        expect(al.uriBaseId).toBe("%SRCROOT%");
        // A relative URI reference that resolves back to the exact path.
        const url = new URL(al.uri, "file:///root/");
        expect(decodeURIComponent(url.pathname.slice("/root/".length))).toBe(f.file);
        expect(url.search + url.hash).toBe("");
      }
    });
    expect(results[0]!.message.text).toContain("GitHub personal access token (classic)");
    expect(pathToUri(ODD_FILES.uri)).toBe("web/a%2520b%23frag%3Fq%3A1.js");
    // The same secret in two files: one alert per file on GitHub.
    expect(results[3]!.partialFingerprints["leakguard/v1"]).toBe(results[4]!.partialFingerprints["leakguard/v1"]);
    expect(results[3]!.partialFingerprints["leakguard/place/v1"]).not.toBe(results[4]!.partialFingerprints["leakguard/place/v1"]);
  });

  it("git findings carry commit properties; a commit-message finding gets a pseudo artifact and a logical location", async () => {
    const report = fixtureReport();
    const { log } = await render(report);
    const results = log.runs[0]!.results;
    const git = results[6]!;
    expect(git.properties).toMatchObject({ commit: report.findings[6]!.commit, author: report.findings[6]!.author, date: "2024-03-05T10:11:12Z", pushed: true });
    expect(git.message.text).toContain("in commit 3f1c2a9b8d7e");
    const msg = results[7]!;
    expect(msg.locations[0].physicalLocation.artifactLocation.uri).toBe(`commit-message/${report.findings[7]!.commit}`);
    expect(msg.locations[0].logicalLocations[0].fullyQualifiedName).toBe(`${report.findings[7]!.commit}/commit-message`);
    expect(msg.message.text).toContain("in the commit message of 3f1c2a9b8d7e");
    expect(msg.properties.source).toBe("commit-message");
  });

  it("suppressed candidates appear only with --show-suppressed, marked as suppressed", async () => {
    expect((await render()).log.runs[0]!.results.some((r) => r.suppressions)).toBe(false);
    const shown = (await render(fixtureReport(), true)).log.runs[0]!.results.filter((r) => r.suppressions);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.suppressions).toEqual([{ kind: "inSource", justification: "inline-allow: leakguard:allow" }]);
  });

  it("a finding without a real position still gets a valid region", async () => {
    const report = fixtureReport();
    Object.assign(report.findings[0]!, { line: 0, column: 0, endLine: 0, endColumn: 0 });
    const { log } = await render(report);
    expect(log.runs[0]!.results[0]!.locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(schemaErrors(log)).toEqual([]);
  });

  it("warnings become tool notifications", async () => {
    const { log } = await render();
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text)).toEqual(["shallow clone: history may be incomplete."]);
  });
});
