/**
 * The public API, as a program uses it: everything imported from the package
 * barrel, on a real repository, with the README's calls.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import * as lg from "../src/index.js";
import type { Finding, Inventory, ScanReport } from "../src/index.js";
import { TestRepo } from "./helpers/git-repo.js";
import { awsKeyId, githubToken } from "./helpers/secrets.js";

describe("library API (src/index.ts)", () => {
  let repo: TestRepo;
  const token = githubToken(71);
  const keyId = awsKeyId(72);
  beforeAll(() => {
    repo = new TestRepo();
    repo.commitFiles({ "app/.env": `GITHUB_TOKEN=${token}\n` }, "add token", "2024-01-02T00:00:00Z");
    repo.commitFiles({ "app/.env": "GITHUB_TOKEN=\n" }, "remove token", "2024-02-02T00:00:00Z");
    repo.write("deploy.sh", `export AWS_ACCESS_KEY_ID=${keyId}\n`).add("deploy.sh");
  });
  afterAll(() => repo.remove());

  it("exports the contract's functions", () => {
    for (const name of ["scanText", "scanPaths", "scanStaged", "scanHistory", "scanInventory", "loadConfig", "createScanner", "redactFinding"]) {
      expect(typeof (lg as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("scanText returns typed findings with the raw secret", () => {
    const findings = lg.scanText(`token: ${token}`, { path: "ci.yml" });
    expectTypeOf(findings).toEqualTypeOf<Finding[]>();
    expect(findings).toMatchObject([{ ruleId: "github-pat", secret: token, file: "ci.yml", line: 1, column: 8 }]);
    expect(lg.redactFinding(findings[0]!).secret).not.toContain(token.slice(4));
  });

  it("createScanner reuses one compiled configuration", () => {
    const scanner = lg.createScanner(lg.loadConfig({ root: repo.dir }));
    expect(scanner.scanText(`x=${token}`, "a").map((f) => f.ruleId)).toEqual(["github-pat"]);
    expect(scanner.scanText("nothing here", "b")).toEqual([]);
  });

  it("scanPaths scans the working tree", async () => {
    const report: ScanReport = await lg.scanPaths(["."], { root: repo.dir });
    expect(report.findings.map((f) => [f.file, f.ruleId])).toEqual([["deploy.sh", "aws-access-key-id"]]);
  });

  it("scanStaged scans the index", async () => {
    const report = await lg.scanStaged({ cwd: repo.dir });
    expect(report.findings.map((f) => [f.file, f.secret])).toEqual([["deploy.sh", keyId]]);
  });

  it("scanHistory names the commit that introduced a since-deleted secret", async () => {
    const report = await lg.scanHistory({ repo: repo.dir });
    const f = report.findings.find((x) => x.ruleId === "github-pat");
    expect(f).toMatchObject({ file: "app/.env", secret: token, message: "add token", author: "Test Author", pushed: false });
    expect(f?.date?.startsWith("2024-01-02")).toBe(true);
  });

  it("scanInventory has one row per secret, with its removal", async () => {
    const inv: Inventory = await lg.scanInventory({ repo: repo.dir, now: "2024-03-02T00:00:00Z" });
    const row = inv.rows.find((r) => r.ruleId === "github-pat");
    // Removed on 2024-02-02 but not marked rotated: exposure runs on to "now".
    expect(row).toMatchObject({ atHead: false, exposureDays: 60, secret: token, state: "in-history" });
    expect(row?.removed?.commit).toBe(repo.head());
  });

  it("extraIgnoreFiles are read as well as the root's; ignoreInlineAllow makes inline markers suppress nothing", async () => {
    const r = new TestRepo();
    try {
      r.write("a.js", `const t = "${githubToken(73)}"; // gitleaks:allow\n`).write("b.js", `const id = "${awsKeyId(74)}";\n`).write("ci/ignore", "b.js:aws-access-key-id:1\n");
      const plain = await lg.scanPaths(["."], { root: r.dir, extraIgnoreFiles: ["ci/ignore"] });
      expect(plain.findings).toEqual([]);
      const strict = await lg.scanPaths(["."], { root: r.dir, ignoreInlineAllow: true });
      expect(strict.findings.map((f) => f.file).sort()).toEqual(["a.js", "b.js"]);
      await expect(lg.scanPaths(["."], { root: r.dir, extraIgnoreFiles: "ci/ignore" as unknown as string[] })).rejects.toThrow("scanPaths: options.extraIgnoreFiles must be an array of strings");
    } finally {
      r.remove();
    }
  });

  it("errors are typed classes with readable messages", () => {
    expect(() => lg.createScanner({ rules: [{ id: "bad", description: "x", regex: "(" }], allowlists: [], scan: {} })).toThrow(lg.RuleError);
  });
});
