/**
 * Every rule regex is checked by a ReDoS checker (recheck): no exponential or
 * polynomial backtracking on hostile input. Built-in and allowlist regexes,
 * after Go-syntax translation, exactly as the engine compiles them.
 */
import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import { translateRegex } from "../src/engine/regex.js";
import { readRuleFiles } from "../src/ruleset/builtin.js";

const defs = readRuleFiles();

/** Returns a description of the problem, or undefined when the regex is safe. */
function redosProblem(source: string): string | undefined {
  const { source: src, flags } = translateRegex(source);
  // The automaton checker is exact and fast for regexes without back-references/lookarounds;
  // the fuzzing checker covers the rest.
  let r = checkSync(src, flags, { checker: "automaton", timeout: 20_000 });
  if (r.status === "unknown") r = checkSync(src, flags, { checker: "fuzz", timeout: 20_000 });
  if (r.status === "vulnerable") {
    const attack = r.attack ? ` e.g. ${JSON.stringify(r.attack.pattern).slice(0, 120)}` : "";
    return `${r.complexity.type} backtracking${attack}`;
  }
  if (r.status === "unknown") return `could not be checked: ${r.error.kind}`;
  return undefined;
}

describe("rule regexes are linear-time (recheck)", () => {
  it("the checker itself catches a catastrophic pattern", () => {
    expect(redosProblem("^(a+)+$")).toMatch(/exponential/);
    expect(redosProblem(String.raw`\s*=\s*\S+\s*;`)).toMatch(/polynomial/);
    expect(redosProblem(String.raw`\bkey=([A-Za-z0-9]{20})\b`)).toBeUndefined();
  });

  for (const def of defs) {
    const sources = [def.regex, def.path, ...(def.allowlists ?? []).flatMap((a) => [...(a.regexes ?? []), ...(a.paths ?? [])])].filter(
      (s): s is string => typeof s === "string",
    );
    it(`${def.id}`, () => {
      for (const s of sources) expect(redosProblem(s), s).toBeUndefined();
    }, 120_000);
  }
});
