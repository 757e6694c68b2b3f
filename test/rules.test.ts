/**
 * Every built-in rule proves itself with its own examples (rules/*.toml), like
 * ESLint's RuleTester: adding a rule means adding data, not test code.
 */
import { describe, expect, it } from "vitest";
import { readRuleFiles } from "../src/ruleset/builtin.js";
import { checkRule } from "../src/ruleset/check.js";
import { compileRuleSet } from "../src/engine/compile.js";

const defs = readRuleFiles();

describe("built-in rules", () => {
  it("compile together, with unique ids", () => {
    expect(() => compileRuleSet(defs)).not.toThrow();
  });

  for (const def of defs) {
    it(`${def.id} (${def.origin}) passes its own examples`, () => {
      expect(checkRule(def, { minExamples: 2 }).map((p) => `${p.kind}: ${p.message}`)).toEqual([]);
    });
  }
});
