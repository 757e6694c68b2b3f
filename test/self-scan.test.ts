/**
 * Scanning leakguard's own sources with every built-in rule reports nothing:
 * test secrets are built at run time, and rule examples live under rules/,
 * which the repository's .leakguard.toml allowlists.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compileRuleSet, scanFragment } from "../src/engine/index.js";
import { readRuleFiles } from "../src/ruleset/builtin.js";

const ROOT = join(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".git", "dist", "coverage", "rules"]);

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile() && statSync(p).size < 2_000_000) yield p;
  }
}

describe("self scan", () => {
  it("finds no secrets in this repository outside rules/", () => {
    const rs = compileRuleSet(readRuleFiles());
    const found: string[] = [];
    for (const p of walk(ROOT)) {
      const rel = relative(ROOT, p).split("\\").join("/");
      for (const f of scanFragment(rs, { text: readFileSync(p, "utf8"), path: rel }).findings) {
        found.push(`${rel}:${f.line} ${f.ruleId}`);
      }
    }
    expect(found).toEqual([]);
  });
});
