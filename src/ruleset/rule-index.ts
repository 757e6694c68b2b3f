/**
 * The index of the rule bundle (`dist/rules-index.json`, written by the
 * build): what a scan must know of every built-in rule before it has seen a
 * text, so that the rules a text cannot select are never parsed or compiled.
 * Per rule (a row, in bundle order): its id, where its JSON ends in
 * `dist/rules.json` (one rule a line), the literals that select it and that
 * its matches start at, as numbers into one literal list in the order
 * compiling gives them ids (the stored keyword automaton's order), whether it
 * has a regex, and its parser. Columns of plain numbers: the hook reads it on
 * every commit, and parsing it must cost little more than reading it. Pure.
 */
import type { CompiledRuleSet, LazyRuleRows } from "../engine/compile.js";

/** Format of the index; a loader refuses any other. */
const VERSION = 2;

/** Flag bits of a row (compile.ts {@link LazyRuleRows.flags}). */
const HAS_PATTERN = 1;
const ANCHOR_LEAD = 2;
const ANCHOR_LINE = 4;

/** The decoded index: {@link LazyRuleRows} with the rules' ids and the places of their JSON. */
export interface RuleIndex extends LazyRuleRows {
  /** Byte length of the `dist/rules.json` it was written with. */
  size: number;
  ids: string[];
  /** Row r's JSON is bytes [ends[r - 1] + 2, ends[r]) of the rules file (from 2 for row 0: after "[\n"). */
  ends: number[];
  /** Parser names by row, for the rows that have one. */
  parsers: Map<number, string>;
}

/** Where row `r`'s JSON starts. */
export const rowStart = (index: RuleIndex, r: number): number => (r === 0 ? 2 : index.ends[r - 1]! + 2);

/**
 * The index of `compiled` (the built-in rules compiled in bundle order), with
 * each rule's byte span in a rules file of `size` bytes (the build).
 */
export function encodeRuleIndex(compiled: CompiledRuleSet, spans: ReadonlyArray<readonly [number, number]>, size: number): object {
  const lits: number[] = [];
  const kwEnds: number[] = [];
  const litEnds: number[] = [];
  const parsers: Array<[number, string]> = [];
  compiled.rules.forEach((r, i) => {
    if (spans[i]![0] !== (i === 0 ? 2 : spans[i - 1]![1] + 2)) throw new Error(`rule index: ${r.id}: its JSON does not follow the previous rule's`);
    lits.push(...r.keywordIds);
    kwEnds.push(lits.length);
    lits.push(...(r.anchorIds ?? []));
    litEnds.push(lits.length);
    if (r.def.parser !== undefined) parsers.push([i, r.def.parser]);
  });
  return {
    version: VERSION,
    size,
    literals: compiled.keywords.keywords,
    ids: compiled.rules.map((r) => r.id),
    ends: spans.map((s) => s[1]),
    lits,
    kwEnds,
    litEnds,
    flags: compiled.rules.map((r) => (r.pattern ? HAS_PATTERN : 0) | (r.anchorLead ? ANCHOR_LEAD : 0) | (r.anchorLine ? ANCHOR_LINE : 0)),
    parsers,
  };
}

/** True when `a` is an array of `n` whole numbers, each in [min, max] and none below the one before it (when `rising`). */
function numbers(a: unknown, n: number, max: number, rising: boolean): a is number[] {
  if (!Array.isArray(a) || (n >= 0 && a.length !== n)) return false;
  let last = 0;
  for (let i = 0; i < a.length; i++) {
    const v: unknown = a[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max || (rising && v < last)) return false;
    if (rising) last = v;
  }
  return true;
}

/** The index in `text`, or undefined when it is not one this loader reads (damaged, another version). */
export function decodeRuleIndex(text: string): RuleIndex | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== "object" || raw.version !== VERSION) return undefined;
  const { size, literals, ids, ends, lits, kwEnds, litEnds, flags, parsers } = raw;
  if (typeof size !== "number" || !Array.isArray(literals) || !Array.isArray(ids) || !Array.isArray(parsers)) return undefined;
  const n = ids.length;
  for (let i = 0; i < n; i++) if (typeof ids[i] !== "string") return undefined;
  for (let i = 0; i < literals.length; i++) if (typeof literals[i] !== "string") return undefined;
  if (!numbers(ends, n, size, true) || !numbers(lits, -1, literals.length - 1, false) || !numbers(flags, n, 7, false)) return undefined;
  if (!numbers(kwEnds, n, lits.length, false) || !numbers(litEnds, n, lits.length, true)) return undefined;
  for (let r = 0; r < n; r++) if (kwEnds[r]! < (r === 0 ? 0 : litEnds[r - 1]!) || kwEnds[r]! > litEnds[r]! || ends[r]! <= (r === 0 ? 2 : ends[r - 1]! + 2)) return undefined;
  const byRow = new Map<number, string>();
  for (const p of parsers as unknown[]) {
    if (!Array.isArray(p) || typeof p[0] !== "number" || typeof p[1] !== "string") return undefined;
    byRow.set(p[0], p[1]);
  }
  return { size, literals: literals as string[], ids: ids as string[], ends, lits, kwEnds, litEnds, flags, parsers: byRow };
}
