/**
 * The credential-file pass: for every rule that names a parser (and whose
 * `path` matches the fragment, and one of whose keywords occurs in it), the
 * parser reads the text and each credential field becomes a candidate of
 * that rule, with the field's exact span. The candidates then go through the
 * same filters, allowlists and suppressions as regex matches. They count as
 * a derived view of the text: where a regex rule already reported the same
 * span, that report stands and this one is dropped (no double report); a
 * generic rule's report on the span gives way to it. A decoder in the
 * engine's sense (see scan.ts): one of the default passes in passes.ts. Pure.
 *
 * @example
 *   // rules/credential-files.toml
 *   // [[rules]]  id = "pgpass-password"  parser = "pgpass"  path = '''(?:^|/)\.pgpass$'''
 */
import { keywordsSelect, readyRule, type CompiledRule, type CompiledRuleSet, type SetRule } from "../compile.js";
import type { DecoderContext, RawMatch } from "../scan.js";
import { PARSERS } from "./registry.js";

/** The line around [start, end), as the match text of a parsed field. */
function lineAround(text: string, start: number, end: number): [number, number] {
  const a = text.lastIndexOf("\n", start - 1) + 1;
  let b = text.indexOf("\n", end);
  if (b < 0) b = text.length;
  if (b > a && text[b - 1] === "\r") b--;
  return [a, Math.max(b, end)];
}

const keywordRegexes = new WeakMap<CompiledRule, RegExp | null>();
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A case-insensitive search for any of the rule's keywords (no copy of the text), or null without keywords. */
function keywordTest(rule: CompiledRule): RegExp | null {
  let re = keywordRegexes.get(rule);
  if (re === undefined) {
    const kws = rule.def.keywords ?? [];
    re = kws.length > 0 ? new RegExp(kws.map(escape).join("|"), "i") : null;
    keywordRegexes.set(rule, re);
  }
  return re;
}

const parserRules = new WeakMap<readonly SetRule[], SetRule[]>();

/** The rules of `rules` that name a parser, in order (looked up once per rule list: a few among hundreds). */
function withParser(rules: readonly SetRule[]): SetRule[] {
  let list = parserRules.get(rules);
  if (!list) {
    list = rules.filter((r) => r.parser !== undefined);
    parserRules.set(rules, list);
  }
  return list;
}

/** Runs every parser-backed rule of `rs` on `text`; see the module comment. */
export function credentialFilePass(
  rs: CompiledRuleSet,
  text: string,
  path: string,
  emit: (m: RawMatch, spanStart: number, spanEnd: number, encoding: string) => void,
  context?: DecoderContext,
): void {
  for (const chosen of withParser(rs.rules)) {
    const parse = PARSERS[chosen.parser!];
    if (!parse) continue;
    // The direct pass's keyword automaton already knows (the same case-insensitive test), and
    // asking it first is cheaper than the path regex; alone, a regex asks after the path.
    const seen = context?.seen;
    const known = seen !== undefined && seen.length === rs.keywords.keywords.length;
    if (known && !keywordsSelect(chosen, seen)) continue;
    const rule = readyRule(chosen);
    if (rule.pathRegex && !rule.pathRegex.test(path)) continue;
    if (!known) {
      const kw = keywordTest(rule);
      if (kw && !kw.test(text)) continue;
    }
    for (const f of parse(text, path)) {
      const [a, b] = lineAround(text, f.start, f.end);
      const m: RawMatch = { rule, secret: f.secret, secretStart: f.start, secretEnd: f.end, matchStart: a, matchEnd: b, match: text.slice(a, b) };
      // "" marks a derived view without an encoding (see the module comment).
      emit(m, f.start, f.end, f.encoding ?? "");
    }
  }
}
