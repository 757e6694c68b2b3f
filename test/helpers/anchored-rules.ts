/**
 * Rule sets for the tests of a kind of anchor (test/engine/*-anchors.test.ts):
 * the same rules tried only near their anchors, or with every rule run over
 * the whole text, and the raw matches either way.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { collectMatches, compileRuleSet, type CompiledRule, type CompiledRuleSet, type RawMatch } from "../../src/engine/index.js";
import type { RuleDef } from "../../src/engine/types.js";

/** The rule set of `defs`, or the same one with every rule run over the whole text (no anchors of any kind). */
export function anchoredRuleSet(defs: RuleDef[], anchored: boolean): CompiledRuleSet<CompiledRule> {
  const rs = compileRuleSet(defs);
  if (!anchored) {
    for (const rule of rs.rules) {
      rule.anchorIds = undefined;
      rule.anchorLead = undefined;
      rule.anchorLine = undefined;
      rule.anchorBefore = undefined;
      rule.anchorOffset = undefined;
    }
  }
  return rs;
}

/** A rule's built regexes (read through a call: the tests reset them, which would narrow the field). */
export const builtOf = (rule: CompiledRule): CompiledRule["built"] => rule.built;

/** Every raw match of `rs` in `text` (a file at `path`), as `rule@start-end:secretStart:secret`. */
export function rawMatches(rs: CompiledRuleSet, text: string, path: string): string[] {
  const out: string[] = [];
  const visit = (m: RawMatch) => void out.push(`${m.rule.id}@${m.matchStart}-${m.matchEnd}:${m.secretStart}:${m.secret}`);
  collectMatches(rs, text, path, visit, Infinity, Date.now, new Uint8Array(rs.keywords.keywords.length));
  return out;
}

/** The built-in rules compiled as the hook compiles them and compiled whole, with the built modules' matcher. */
export interface LazyAndWhole {
  /** Compiled lazily from the build's rule index: each rule pending until a text selects it. */
  lazy: CompiledRuleSet;
  /** Compiled whole. */
  whole: CompiledRuleSet;
  /** The matches of `rs` in `text` (a file at `path`), as `rule@start:secret`. */
  found(rs: CompiledRuleSet, text: string, path: string): string[];
}

/** {@link LazyAndWhole} from the build (dist/): the lazy path reads the build's rule index, so the modules come from there too. */
export async function lazyAndWholeBuiltins(): Promise<LazyAndWhole> {
  const dist = new URL("../../dist/", import.meta.url);
  const b = (await import(new URL("ruleset/builtin.js", dist).href)) as typeof import("../../src/ruleset/builtin.js");
  const e = (await import(new URL("engine/index.js", dist).href)) as typeof import("../../src/engine/index.js");
  const defs = b.lazyBuiltinRules();
  const rows = b.lazyRuleRows();
  if (rows === undefined) throw new Error("dist/ has no rule index: run npm run build");
  return {
    lazy: e.compileRuleSet(defs, [], { lazy: rows }),
    whole: e.compileRuleSet(b.builtinRules()),
    found: (rs, text, path) => {
      const out: string[] = [];
      e.collectMatches(rs, text, path, (m) => void out.push(`${m.rule.id}@${m.matchStart}:${m.secret}`), Infinity, Date.now, new Uint8Array(rs.keywords.keywords.length));
      return out;
    },
  };
}

/** How the texts of {@link agreesWithWholeText} went. */
export interface Agreement {
  /** Texts on which the rule ran its sticky regex alone (dense anchors run the whole-text regex instead). */
  sticky: number;
  /** Texts with matches. */
  withMatches: number;
}

/**
 * Checks, on texts joined from up to `maxLength` of `part`, that the first
 * rule of `anchored` finds what the same rule of `whole` finds (and what
 * `also` checks), as a file at `path`.
 */
export function agreesWithWholeText(
  anchored: CompiledRuleSet<CompiledRule>,
  whole: CompiledRuleSet,
  part: fc.Arbitrary<string>,
  opts: { path: string; maxLength: number; seed: number; numRuns: number; also?: (text: string, found: string[]) => void },
): Agreement {
  const out: Agreement = { sticky: 0, withMatches: 0 };
  const rule = anchored.rules[0]!;
  fc.assert(
    fc.property(fc.array(part, { maxLength: opts.maxLength }), (parts) => {
      const text = parts.join("");
      rule.built = undefined;
      const found = rawMatches(anchored, text, opts.path);
      const built = builtOf(rule);
      if (built?.sticky && !built.regex) out.sticky++;
      if (found.length > 0) out.withMatches++;
      expect(found).toEqual(rawMatches(whole, text, opts.path));
      opts.also?.(text, found);
    }),
    { seed: opts.seed, numRuns: opts.numRuns },
  );
  return out;
}
