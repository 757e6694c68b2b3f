/**
 * Compiling the same rules again (a config that only adds an allowlist, the
 * same config reloaded) reuses what each rule's regex text gives and the
 * keyword automaton, and finds exactly what a first compile finds; a rule
 * whose regex text changed, or a different keyword list, is worked out anew.
 */
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "../../src/engine/compile.js";
import { scanFragment } from "../../src/engine/scan.js";
import type { RuleDef } from "../../src/engine/types.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { fakePassword } from "../helpers/engine.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

const text = `GITHUB_TOKEN=${githubToken(401)}\naws_access_key_id = ${awsKeyId(402)}\npassword = "${fakePassword("compile-reuse")}"\n`;
const found = (rs: ReturnType<typeof compileRuleSet>): string[] => scanFragment(rs, { text, path: "app.env" }).findings.map((f) => `${f.ruleId}@${f.line}:${f.secret}`);

describe("compiling the same rules again", () => {
  it("reuses each rule's pattern and anchors and the keyword automaton, with the same findings", () => {
    const rules = builtinRules();
    const first = compileRuleSet(rules, []);
    const second = compileRuleSet(rules, [{ regexes: ["^never-matches-anything$"] }]);
    expect(second.keywords).toBe(first.keywords);
    for (const r of first.rules) {
      const again = second.byId.get(r.id)!;
      expect(again.pattern).toBe(r.pattern);
      expect([again.anchorIds, again.anchorLead, again.secretGroup]).toEqual([r.anchorIds, r.anchorLead, r.secretGroup]);
    }
    expect(found(second)).toEqual(found(first));
    expect(found(first).length).toBeGreaterThanOrEqual(2);
  });

  it("works a changed regex out anew, and builds a new automaton for other keywords", () => {
    const def: RuleDef = { id: "mine", description: "mine", regex: "key=([a-z]{8})", keywords: ["key="] };
    const a = compileRuleSet([def], []);
    expect(scanFragment(a, { text: "key=qzwmxkvr", path: "x" }).findings.map((f) => f.secret)).toEqual(["qzwmxkvr"]);
    // The same definition object, its regex edited (a config reloaded in place).
    def.regex = "key=([0-9]{8})";
    const b = compileRuleSet([def], []);
    expect(b.rules[0]!.pattern).not.toBe(a.rules[0]!.pattern);
    expect(scanFragment(b, { text: "key=qzwmxkvr key=83920571", path: "x" }).findings.map((f) => f.secret)).toEqual(["83920571"]);
    const c = compileRuleSet([{ id: "other", description: "other", regex: "tok=([a-z]{8})", keywords: ["tok="] }], []);
    expect(c.keywords).not.toBe(b.keywords);
    expect(scanFragment(c, { text: "key=83920571 tok=qzwmxkvr", path: "x" }).findings.map((f) => f.secret)).toEqual(["qzwmxkvr"]);
  });

  it("still refuses a broken regex every time it is compiled", () => {
    const def: RuleDef = { id: "broken", description: "broken", regex: "key=(a" };
    expect(() => compileRuleSet([def], [])).toThrow(/broken: regex/);
    expect(() => compileRuleSet([def], [])).toThrow(/broken: regex/);
  });
});
