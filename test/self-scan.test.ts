/**
 * Scanning leakguard's own repository the way `leakguard scan .` does reports
 * nothing: test secrets are built at run time, and rule examples live under
 * rules/, which the repository's .leakguard.toml allowlists. Going through
 * scanPaths means .gitignore is honoured, so local artifacts (dist/,
 * bench/.work/ with its planted secrets) are not part of the repository.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanPaths } from "../src/api/paths.js";

const ROOT = join(import.meta.dirname, "..");

describe("self scan", () => {
  it("finds no secrets in this repository outside rules/", async () => {
    const report = await scanPaths(["."], { root: ROOT });
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
    expect(report.stats.files).toBeGreaterThan(100);
  });
});
