/**
 * The index of the rule bundle (`dist/rules-index.bin`, written by the
 * build): what a scan must know of every built-in rule before it has seen a
 * text, so that the rules a text cannot select are never parsed or compiled.
 * Per rule (a row, in bundle order): its id, where its JSON ends in
 * `dist/rules.json` (one rule a line), the literals that select it and that
 * its matches start at, as numbers into one literal list in the order
 * compiling gives them ids (the stored keyword automaton's order), whether it
 * has a regex, and its parser. Binary columns of numbers, read in place: the
 * hook reads it on every commit (as JSON, parsing it cost ~2 ms). Pure.
 */
import { asciiEscape } from "./ascii.js";
import { aligned4, opensWith } from "./stored-binary.js";
import { ROW_HAS_PATTERN, type CompiledRuleSet, type LazyRuleRows } from "../engine/compile.js";

/** Format of the index; a loader refuses any other. */
// 2: the literals as one string, joined by NULs (a JSON array of ~1,100 short strings made
// V8 intern each, and grow its string table, on every hook run). 3: a row's flags hold only
// whether it has a regex (its lead and line anchors, never read before the rule is compiled
// whole, are no longer stored).
const VERSION = 3;

/** The decoded index: {@link LazyRuleRows} with the rules' ids and the places of their JSON. */
export interface RuleIndex extends LazyRuleRows {
  /** Byte length of the `dist/rules.json` it was written with. */
  size: number;
  ids: string[];
  /** Where row r's JSON ends in the rules file; it starts at {@link rowStart}. */
  ends: Int32Array;
  /** Parser names by row, for the rows that have one. */
  parsers: Map<number, string>;
}

// The rules file's layout, one rule a line: still one JSON array for the loaders that parse
// it whole, and each rule's text has a place of its own that the hook's loader parses alone.
const OPEN = "[\n";
const BETWEEN = ",\n";
const CLOSE = "\n]\n";

/** Where row `r`'s JSON starts: after the rules file's opening, or after the previous row's and the separator. */
export const rowStart = (index: RuleIndex, r: number): number => startAfter(r === 0 ? undefined : index.ends[r - 1]!);

const startAfter = (previousEnd: number | undefined): number => (previousEnd === undefined ? OPEN.length : previousEnd + BETWEEN.length);

/**
 * The rules file (`dist/rules.json`) of `bodies`, the rules' JSON texts (ASCII,
 * so that a character is a byte), and its index, for `compiled`: the same
 * rules compiled in the same order (the build).
 */
export function encodeRuleBundle(compiled: CompiledRuleSet, bodies: readonly string[]): { json: string; index: Buffer } {
  if (bodies.length !== compiled.rules.length) throw new Error("rule index: not one JSON text per rule");
  if (bodies.some((b) => !/^[\x00-\x7f]+$/.test(b))) throw new Error("rule index: a rule's JSON is empty or not ASCII");
  const json = OPEN + bodies.join(BETWEEN) + CLOSE;
  const ends: number[] = [];
  for (const b of bodies) ends.push(startAfter(ends.at(-1)) + b.length);
  return { json, index: encodeRuleIndex(compiled, ends, json.length) };
}

/**
 * The index of `compiled`, with where each rule's JSON ends in a rules file
 * of `size` bytes. Layout, little-endian: "LGRI", u32 version, u32 size, u32
 * rule count n, u32 count of literal numbers m, u32 length of the text part;
 * the Int32 arrays ends[n], kwEnds[n], litEnds[n], lits[m]; the bytes
 * flags[n]; then the text part, ASCII JSON: the ids joined by line feeds, the
 * literals joined by NULs, the parsers by row.
 */
function encodeRuleIndex(compiled: CompiledRuleSet, ends: readonly number[], size: number): Buffer {
  const lits: number[] = [];
  const kwEnds: number[] = [];
  const litEnds: number[] = [];
  const parsers: Array<[number, string]> = [];
  compiled.rules.forEach((r, i) => {
    lits.push(...r.keywordIds);
    kwEnds.push(lits.length);
    lits.push(...(r.anchorIds ?? []));
    litEnds.push(lits.length);
    if (r.def.parser !== undefined) parsers.push([i, r.def.parser]);
  });
  const n = compiled.rules.length;
  const flags = compiled.rules.map((r) => (r.pattern ? ROW_HAS_PATTERN : 0));
  const ids = compiled.rules.map((r) => r.id);
  if (ids.some((id) => id.includes("\n"))) throw new Error("rule index: a rule id holds a line feed");
  if (compiled.keywords.keywords.some((k) => k.length === 0 || k.includes("\0"))) throw new Error("rule index: a literal is empty or holds a NUL");
  const text = Buffer.from(asciiEscape(JSON.stringify({ ids: ids.join("\n"), literals: compiled.keywords.keywords.join("\0"), parsers })), "latin1");
  const out = Buffer.alloc(HEAD + (3 * n + lits.length) * 4 + n + text.length);
  out.write(MAGIC, 0, "latin1");
  [VERSION, size, n, lits.length, text.length].forEach((v, i) => out.writeUInt32LE(v, 4 + i * 4));
  let at = HEAD;
  for (const a of [ends, kwEnds, litEnds, lits]) for (const v of a) at = out.writeInt32LE(v, at);
  for (const f of flags) at = out.writeUInt8(f, at);
  text.copy(out, at);
  return out;
}

const MAGIC = "LGRI";
/** Bytes before the arrays: magic and five u32 (a multiple of 4, so the Int32 arrays are aligned). */
const HEAD = 24;

/** The index in `bytes`, or undefined when it is not one this loader reads (damaged, another version). */
export function decodeRuleIndex(bytes: Buffer): RuleIndex | undefined {
  if (!opensWith(bytes, MAGIC, VERSION, HEAD)) return undefined;
  const size = bytes.readUInt32LE(8);
  const n = bytes.readUInt32LE(12);
  const m = bytes.readUInt32LE(16);
  const textLength = bytes.readUInt32LE(20);
  const textAt = HEAD + (3 * n + m) * 4 + n;
  if (bytes.length !== textAt + textLength) return undefined;
  const buf = aligned4(bytes);
  const ints = (i: number, len: number): Int32Array => new Int32Array(buf.buffer, buf.byteOffset + HEAD + i * 4, len);
  const ends = ints(0, n);
  const kwEnds = ints(n, n);
  const litEnds = ints(2 * n, n);
  const lits = ints(3 * n, m);
  const flags = new Uint8Array(buf.buffer, buf.byteOffset + HEAD + (3 * n + m) * 4, n);
  let text: { ids?: unknown; literals?: unknown; parsers?: unknown };
  try {
    text = JSON.parse(buf.toString("latin1", textAt, textAt + textLength)) as typeof text;
  } catch {
    return undefined;
  }
  const { parsers } = text;
  const ids = typeof text.ids === "string" ? text.ids.split("\n") : [];
  if (ids.length !== n || typeof text.literals !== "string" || !Array.isArray(parsers)) return undefined;
  // Keywords are ASCII (the automaton has no other characters), and each literal is named
  // once: compileRuleSet takes a literal's number for its id, which a repeat would shift.
  if (!/^[\x00-\x7f]*$/.test(text.literals)) return undefined;
  const literals = text.literals === "" ? [] : text.literals.split("\0");
  const distinct = new Set<string>();
  for (let i = 0; i < literals.length; i++) {
    const literal = literals[i]!;
    if (literal === "" || distinct.has(literal)) return undefined;
    distinct.add(literal);
  }
  // One pass (the hook runs it cold, interpreted): each rule's JSON after the one before (a
  // separator between) and inside the file; its literal numbers after the previous rule's and in range,
  // and numbered in the order the rows first name them (compileRuleSet takes a number for
  // its id while it compiles the rows in order).
  const count = literals.length;
  let lastEnd: number | undefined;
  let lastLit = 0;
  let named = 0;
  for (let r = 0; r < n; r++) {
    const end = ends[r]!;
    const kw = kwEnds[r]!;
    const lit = litEnds[r]!;
    if (end <= startAfter(lastEnd) || end > size || kw < lastLit || lit < kw || lit > m || flags[r]! > ROW_HAS_PATTERN) return undefined;
    for (let i = lastLit; i < lit; i++) {
      const k = lits[i]!;
      if (k < 0 || k >= count || k > named) return undefined;
      if (k === named) named++;
    }
    lastEnd = end;
    lastLit = lit;
  }
  const byRow = new Map<number, string>();
  for (const p of parsers as unknown[]) {
    if (!Array.isArray(p) || typeof p[0] !== "number" || typeof p[1] !== "string") return undefined;
    byRow.set(p[0], p[1]);
  }
  return { size, literals, ids, ends, lits, kwEnds, litEnds, flags, parsers: byRow };
}
