/**
 * Rule examples hold with the decoding pass registered too (the CLI imports
 * the whole engine): decoding must not turn a negative example into a finding.
 */
import { expect, it } from "vitest";
import "../../src/engine/index.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { checkRules } from "../../src/ruleset/check.js";

it("every built-in rule passes its examples with decoding on", () => {
  expect(checkRules(readRuleFiles(), { minExamples: 2 }).map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
});
