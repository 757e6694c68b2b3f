/**
 * Rule examples hold with decoding on: the rule checker passes the default
 * decoders explicitly (it used to depend on whether something had imported
 * the decoding module), and decoding must not turn a negative example into a
 * finding.
 */
import { expect, it } from "vitest";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { checkRules } from "../../src/ruleset/check.js";

it("every built-in rule passes its examples with decoding on", () => {
  expect(checkRules(readRuleFiles(), { minExamples: 2 }).map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
});
