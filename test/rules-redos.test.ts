/**
 * Every rule regex is linear-time on hostile input, after Go-syntax
 * translation, exactly as the engine compiles it. Two checkers, both
 * deterministic (no time budget anywhere: a busy machine is slower, never
 * differently judged):
 *
 * 1. the project's own static check (engine/redos.ts, the one the config
 *    loader runs on user regexes) on every regex as written;
 * 2. recheck's automaton checker, exact, with no time limit, on a reduced
 *    form that cannot backtrack less than the original (see `reduced`), for
 *    every regex whose reduced form it supports (no lookaround) and takes in
 *    seconds (at most 150 characters and 16 alternatives: it spends close to
 *    a minute on some big stopword alternations). The rest (about a fifth:
 *    lookaheads, the generic rules' big alternations) rely on the static
 *    check; recheck's fuzzer, seeded and without time limits, took minutes on
 *    them, and with a time limit its verdict depends on the machine's load.
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
import { checkSync, type Diagnostics, type Parameters } from "recheck";
import { describe, expect, it } from "vitest";
import { backtrackingHazard } from "../src/engine/redos.js";
import { translateRegex } from "../src/engine/regex.js";
import { readRuleFiles } from "../src/ruleset/builtin.js";

/** No clocks: every limit below counts steps or characters. */
const NO_TIME_LIMITS = { timeout: null, attackTimeout: null, incubationTimeout: null, seedingTimeout: null } satisfies Parameters;
const AUTOMATON: Parameters = { ...NO_TIME_LIMITS, checker: "automaton" };
/** Beyond these sizes the automaton checker can take tens of seconds. */
const MAX_AUTOMATON_ALTERNATIVES = 16;
const MAX_AUTOMATON_LENGTH = 150;

/** Index of the `)` closing the group opened at `open` (escapes and classes skipped). */
function groupEnd(src: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

/** The top-level alternatives of `src` (split at `|` outside groups and classes). */
function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(src.slice(start, i));
      start = i + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/**
 * Forms of `src` for the automaton checker, each backtracking at least as
 * much as its share of the original, so "all safe" means the original is safe:
 * - a lookbehind whose body has no unbounded repetition is a bounded check
 *   per position; dropping it only removes a constraint (recheck's automaton
 *   does not support lookbehinds);
 * - `^(?:a|b|…)$`, a list of exact values, is tried once, branch by branch,
 *   each branch anchored at both ends: the branches are checked one by one.
 */
function reduced(src: string): string[] {
  let s = src;
  for (let i = s.search(/\(\?<[=!]/); i >= 0; i = s.search(/\(\?<[=!]/)) {
    const end = groupEnd(s, i);
    const body = s.slice(i + 4, end);
    if (end < 0 || /(?<!\\)[*+]|\{\d+,\}/.test(body)) return [src];
    s = s.slice(0, i) + s.slice(end + 1);
  }
  const list = /^\^\(\?:(.*)\)\$$/.exec(s);
  if (list && groupEnd(s, 1) === s.length - 2) return topLevelAlternatives(list[1]!).map((b) => `^(?:${b})$`);
  return [s];
}

const alternatives = (src: string): number => src.split("|").length - 1;

/** Whether recheck's automaton checker takes `source` (reduced), deterministically and in seconds. */
const automatonTakes = (source: string): boolean =>
  source.length <= MAX_AUTOMATON_LENGTH && alternatives(source) <= MAX_AUTOMATON_ALTERNATIVES && !/\(\?<?[=!]/.test(source);

/**
 * recheck's checkSync, asked once more when its synchronous bridge to its
 * worker (synckit 0.9) lost the answer: a race there, seen once in CI, makes
 * it read a message that is not there and throw a TypeError (un-ts/synckit
 * issues 185 and 217). Any other error, and a second loss, still fail the test.
 */
function recheckSync(source: string, flags: string): Diagnostics {
  try {
    return checkSync(source, flags, AUTOMATON);
  } catch (e) {
    if (!(e instanceof TypeError && /reading 'message'/.test(e.message))) throw e;
    return checkSync(source, flags, AUTOMATON);
  }
}

/** recheck on one (reduced) source; polynomial is tolerated when `bounded`. */
function recheckProblem(source: string, flags: string, bounded: boolean): string | undefined {
  const r: Diagnostics = recheckSync(source, flags);
  if (r.status === "vulnerable") {
    if (bounded && r.complexity.type === "polynomial") return undefined;
    const attack = r.attack ? ` e.g. ${JSON.stringify(r.attack.pattern).slice(0, 120)}` : "";
    return `${r.complexity.type} backtracking (recheck ${r.checker})${attack}`;
  }
  if (r.status === "unknown") return `could not be checked: ${r.error.kind}`;
  return undefined;
}

/** Returns a description of the problem, or undefined when the regex is acceptable. */
function redosProblem(pattern: string, bounded = false): string | undefined {
  const { source, flags } = translateRegex(pattern);
  const hazard = backtrackingHazard(source, flags);
  if (hazard) return `static check: ${hazard}`;
  for (const part of reduced(source).filter(automatonTakes)) {
    const problem = recheckProblem(part, flags, bounded);
    if (problem) return problem;
  }
  return undefined;
}

/** Every distinct regex of the built-in rules, with the rules using it; bounded only if every use is. */
function ruleRegexes(): Map<string, { bounded: boolean; rules: string[] }> {
  const all = new Map<string, { bounded: boolean; rules: string[] }>();
  const add = (source: string, bounded: boolean, rule: string): void => {
    const seen = all.get(source);
    if (!seen) all.set(source, { bounded, rules: [rule] });
    else {
      seen.bounded &&= bounded;
      if (!seen.rules.includes(rule)) seen.rules.push(rule);
    }
  };
  for (const def of readRuleFiles()) {
    if (def.regex) add(def.regex, false, def.id);
    if (def.path) add(def.path, false, def.id);
    for (const a of def.allowlists ?? []) {
      const bounded = (a.regexTarget ?? "secret") !== "line";
      for (const r of a.regexes ?? []) add(r, bounded, def.id);
      for (const p of a.paths ?? []) add(p, false, def.id);
    }
  }
  return all;
}

describe("rule regexes are linear-time (static check and recheck)", () => {
  it("the checks catch catastrophic patterns, on both routes (static, automaton) and through the reductions", () => {
    expect(redosProblem("^(a+)+$")).toMatch(/exponential/);
    expect(redosProblem("^(a+)+$", true)).toMatch(/exponential/);
    expect(redosProblem(String.raw`\s*=\s*\S+\s*;`)).toMatch(/polynomial/);
    expect(redosProblem(String.raw`\s*=\s*\S+\s*;`, true)).toMatch(/polynomial/); // the static check refuses it everywhere
    expect(redosProblem(String.raw`\bkey=([A-Za-z0-9]{20})\b`)).toBeUndefined();
    // recheck itself, past the static check, on each route:
    expect(recheckProblem("^(a+)+$", "", false)).toMatch(/exponential.*automaton/);
    expect(recheckProblem(String.raw`\s*=\s*\S+\s*;`, "", false)).toMatch(/polynomial/);
    expect(recheckProblem(String.raw`\s*=\s*\S+\s*;`, "", true)).toBeUndefined();
    // Reductions keep what matters: a lookbehind with an unbounded body is kept, a list's branches are each checked.
    expect(reduced("(?<![a-z])key(?<=y)x")).toEqual(["keyx"]);
    expect(reduced("(?<=a+)b")).toEqual(["(?<=a+)b"]);
    expect(reduced("^(?:none|x{3,}|(a+)+)$")).toEqual(["^(?:none)$", "^(?:x{3,})$", "^(?:(a+)+)$"]);
    expect(reduced("^(?:a|b)(?:c|d)$")).toEqual(["^(?:a|b)(?:c|d)$"]);
    expect(recheckProblem("^(?:(a+)+)$", "", true)).toMatch(/exponential/);
    expect(automatonTakes("^(a+)+$")).toBe(true);
    expect(automatonTakes("(?<=x)(a|a)*$")).toBe(false);
  });

  for (const [source, { bounded, rules }] of ruleRegexes()) {
    it(`${rules.join(", ")}: ${source.length > 80 ? `${source.slice(0, 77)}…` : source}`, () => {
      expect(redosProblem(source, bounded), source).toBeUndefined();
    });
  }
});
