/**
 * Every rule regex is checked by a ReDoS checker (recheck): no exponential or
 * polynomial backtracking on hostile input, after Go-syntax translation,
 * exactly as the engine compiles it.
 *
 * Policy:
 * - a rule's `regex` and `path` run over whole files: they must be safe
 *   (neither polynomial nor exponential);
 * - allowlist regexes with `regexTarget = "line"` also run over unbounded
 *   lines (minified code): same bar;
 * - allowlist regexes on the `secret` or the `match` only ever see text the
 *   rule regex already bounded (at most a few hundred characters), so
 *   polynomial worst cases are tolerated there; exponential ones are not.
 */
import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import { translateRegex } from "../src/engine/regex.js";
import { readRuleFiles } from "../src/ruleset/builtin.js";

const defs = readRuleFiles();

/** Returns a description of the problem, or undefined when the regex is acceptable. */
function redosProblem(source: string, bounded = false): string | undefined {
  const { source: src, flags } = translateRegex(source);
  // The automaton checker is exact and fast for most regexes; it gives up on
  // lookbehinds and on very large alternations, where the fuzzing checker takes over.
  let r = checkSync(src, flags, { checker: "automaton", timeout: bounded ? 3_000 : 10_000 });
  // The fuzzer runs with a fixed seed; its time limit only bounds how far it
  // explores (a busier machine explores less, never differently).
  if (r.status === "unknown") r = checkSync(src, flags, { checker: "fuzz", randomSeed: 20261130, timeout: 10_000 });
  if (r.status === "vulnerable") {
    if (bounded && r.complexity.type === "polynomial") return undefined;
    const attack = r.attack ? ` e.g. ${JSON.stringify(r.attack.pattern).slice(0, 120)}` : "";
    return `${r.complexity.type} backtracking${attack}`;
  }
  if (r.status === "unknown") return `could not be checked: ${r.error.kind}`;
  return undefined;
}

describe("rule regexes are linear-time (recheck)", () => {
  it("the checker itself catches catastrophic patterns", () => {
    expect(redosProblem("^(a+)+$")).toMatch(/exponential/);
    expect(redosProblem(String.raw`\s*=\s*\S+\s*;`)).toMatch(/polynomial/);
    expect(redosProblem(String.raw`\s*=\s*\S+\s*;`, true)).toBeUndefined();
    expect(redosProblem("^(a+)+$", true)).toMatch(/exponential/);
    expect(redosProblem(String.raw`\bkey=([A-Za-z0-9]{20})\b`)).toBeUndefined();
  });

  for (const def of defs) {
    const sources: Array<[string, boolean]> = [];
    if (def.regex) sources.push([def.regex, false]);
    if (def.path) sources.push([def.path, false]);
    for (const a of def.allowlists ?? []) {
      const bounded = (a.regexTarget ?? "secret") !== "line";
      for (const r of a.regexes ?? []) sources.push([r, bounded]);
      for (const p of a.paths ?? []) sources.push([p, false]);
    }
    it(`${def.id}`, () => {
      for (const [s, bounded] of sources) expect(redosProblem(s, bounded), s).toBeUndefined();
    }, 120_000);
  }
});
