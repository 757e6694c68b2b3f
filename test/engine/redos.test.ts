/**
 * The static backtracking check (engine/redos.ts) that refuses catastrophic
 * regexes in config files: what it refuses, what it accepts, and that every
 * built-in rule passes it (they are proven linear by recheck in
 * rules-redos.test.ts, so a complaint here would be a false alarm).
 */
import { describe, expect, it } from "vitest";
import { backtrackingHazard } from "../../src/engine/redos.js";
import { translateRegex } from "../../src/engine/regex.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";

/** The check as the config loader runs it: on the translated (JavaScript) regex. */
function hazard(pattern: string): string | undefined {
  const { source, flags } = translateRegex(pattern);
  return backtrackingHazard(source, flags);
}

describe("backtrackingHazard", () => {
  it.each([
    ["(a+)+$", /exponential/],
    ["(a*)*", /exponential/],
    [String.raw`(\w+\s?)*$`, /exponential/],
    ["(?:a+|b)+c", /exponential/],
    ["(?:[a-z]{1,5})+!", /exponential/],
    ["(?i)(?:A+)+$", /exponential/],
    ["(x+x+)+y", /exponential/],
    ["(?=(a+)+$)b", /exponential/],
    ["(a|a)*$", /alternatives/],
    ["(a|ab)*$", /alternatives/],
    [String.raw`"(?:\\n|[^"])+$`, /alternatives/],
    [String.raw`\d+\d+`, /polynomial/],
    [".*.*=", /polynomial/],
    [String.raw`\w+_?\w+;`, /polynomial/],
    [String.raw`[a-z]*\w*$`, /polynomial/],
    [String.raw`(?:a\d+)\d+`, /polynomial/],
  ])("refuses %s", (pattern, why) => {
    expect(hazard(pattern)).toMatch(why);
  });

  it.each([
    "(?:a|b)+",
    "(?:a|bc)+",
    "(?:ab|ac)+",
    String.raw`(?:[a-z0-9]+\.)+[a-z]{2,}`,
    String.raw`(?:\s*,\s*\w+)*`,
    String.raw`[\w.-]+\.[a-z]+`,
    String.raw`\s*=\s*`,
    "(?:[a-z]{1,5}){1,3}",
    "(?:[A-Za-z0-9+/]{4})*",
    String.raw`key=([A-Za-z0-9]{20})\b`,
    // Quadratic over the search on a long run of letters, yet accepted: the watchdog's case.
    "[a-z]+@",
  ])("accepts %s", (pattern) => {
    expect(hazard(pattern)).toBeUndefined();
  });

  it("leaves patterns it cannot parse to the regex compiler", () => {
    expect(backtrackingHazard("(a")).toBeUndefined();
  });

  it("never quotes the pattern (it may hold a literal secret)", () => {
    const why = hazard("(tokenvaluet+)+$");
    expect(why).toMatch(/exponential/);
    expect(why).not.toContain("tokenvalue");
  });
});

describe("every built-in rule passes the check", () => {
  const defs = readRuleFiles();
  it(`${defs.length} rules`, () => {
    const complaints: string[] = [];
    for (const d of defs) {
      const sources = [d.regex, d.path, ...(d.allowlists ?? []).flatMap((a) => [...(a.regexes ?? []), ...(a.paths ?? [])])];
      for (const s of sources) if (s !== undefined && hazard(s)) complaints.push(`${d.id}: ${hazard(s)}`);
    }
    expect(complaints).toEqual([]);
  });
});
