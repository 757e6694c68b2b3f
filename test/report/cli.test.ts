/** End to end through the built CLI: --format, --output (atomic), GitHub default. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";
import { schemaErrors } from "../helpers/sarif-validate.js";

describe("CLI report output", { timeout: 120_000 }, () => {
  let dir: string;
  const token = githubToken(21);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lg-report-"));
    writeFileSync(join(dir, "deploy, prod.env"), `GITHUB_TOKEN=${token}\n`);
    writeFileSync(join(dir, "README.md"), "nothing here\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("scan --format sarif --output f.sarif writes a valid log and nothing to stdout", async () => {
    writeFileSync(join(dir, "f.sarif"), "old contents");
    const r = await runIn(dir, ["scan", "--format", "sarif", "--output", "f.sarif", "--", "deploy, prod.env", "README.md"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const text = readFileSync(join(dir, "f.sarif"), "utf8");
    expect(text).not.toContain(token);
    const log = JSON.parse(text);
    expect(schemaErrors(log)).toEqual([]);
    // The multitool (a slow .NET start) checks this same run's log in test/report/sarif.test.ts, in one run with the others.
    const res = log.runs[0].results;
    expect(res).toHaveLength(1);
    expect(res[0].ruleId).toBe("github-pat");
    expect(res[0].locations[0].physicalLocation.artifactLocation.uri).toBe("deploy%2C%20prod.env");
    expect(res[0].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 14, endLine: 1, endColumn: 14 + token.length });
    // Atomic write: the old file was replaced whole and no temporary file is left.
    expect(readdirSync(dir).sort()).toEqual(["README.md", "deploy, prod.env", "f.sarif"]);
  }, 180_000);

  it("--output into a missing folder fails with exit 2 and writes nothing", async () => {
    const r = await runIn(dir, ["scan", "--format", "csv", "--output", "no/such/dir/out.csv", "--", "deploy, prod.env"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toContain(token);
    expect(readdirSync(dir).sort()).toEqual(["README.md", "deploy, prod.env", "f.sarif"]);
  });

  for (const format of ["junit", "csv", "github", "json", "jsonl", "text"]) {
    it(`--format ${format} redacts, and --show-secrets shows`, async () => {
      const r = await runIn(dir, ["scan", "--format", format, "--", "deploy, prod.env"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(token.slice(0, 4) + "…");
      expect(r.stdout + r.stderr).not.toContain(token);
      const shown = await runIn(dir, ["scan", "--format", format, "--show-secrets", "--", "deploy, prod.env"]);
      expect(shown.stdout).toContain(token);
    });
  }

  it("inside GitHub Actions the default format is workflow annotations", async () => {
    const r = await runIn(dir, ["scan", "--", "deploy, prod.env"], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=deploy%2C prod\.env,line=1,endLine=1,col=14,endColumn=54,title=GitHub personal access token \(classic\) \(github-pat\)::critical /);
  });

  it("a clean folder gives a passing JUnit case and exit 0", async () => {
    const r = await runIn(dir, ["scan", "--format", "junit", "--", "README.md"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<testcase classname="leakguard" name="no secrets found"');
  });
});
