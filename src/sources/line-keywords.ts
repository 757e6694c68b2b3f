/**
 * Line and keyword bookkeeping for the history scan's fast path
 * (blob-delta.ts), over a text's UTF-8 bytes: where each line starts, how often each rule keyword
 * occurs (case-insensitively, as the engine's keyword gate decides) plus
 * any extra markers the caller names (after the keywords). Line breaks are `\n`,
 * `\r\n` or a lone `\r`, as engine/lines.ts counts them; a final break
 * opens an empty last line.
 *
 * No keyword holds a line break, so the automaton is back at its root after
 * every break and every occurrence lies within one line: a text's counts are
 * the sum of its lines' counts, and a new version's counts follow from the
 * old one's by taking away the lines that went and adding the lines that
 * came (work in proportion to the change, not to the text). The engine's
 * automaton (engine/ahocorasick.ts) is built once per rule set and marker
 * list. Pure.
 */
import { KeywordMatcher } from "../engine/ahocorasick.js";
import type { CompiledRuleSet } from "../engine/compile.js";

const ALPHABET = 128;

/** The engine's keyword automaton over the rule keywords plus markers, per rule set and marker list. */
const automata = new WeakMap<CompiledRuleSet, Map<string, KeywordMatcher>>();

/** The automaton counting `rs`'s keywords, then `markers` (ids after the keywords). */
export function automatonFor(rs: CompiledRuleSet, markers: readonly string[]): KeywordMatcher {
  let byMarkers = automata.get(rs);
  if (!byMarkers) automata.set(rs, (byMarkers = new Map()));
  const key = markers.join("\0");
  let m = byMarkers.get(key);
  if (!m) byMarkers.set(key, (m = new KeywordMatcher([...rs.keywords.keywords, ...markers.map((k) => k.toLowerCase())])));
  return m;
}

const byLine = new WeakMap<KeywordMatcher, boolean>();

/** True when no keyword of `m` holds a line break: counts are then sums over lines (see the module comment). */
export function countsByLine(m: KeywordMatcher): boolean {
  let ok = byLine.get(m);
  if (ok === undefined) byLine.set(m, (ok = !m.keywords.some((k) => k.includes("\n") || k.includes("\r"))));
  return ok;
}

/** Line starts (the text's end last) and keyword counts of a whole text. */
export interface LineScan {
  starts: Uint32Array;
  counts: Int32Array;
}

/**
 * Scans all of `text` once: its line starts and keyword counts. Works on
 * UTF-8 bytes as on their text (offsets are then byte offsets): keywords are
 * ASCII, and every byte of a multi-byte character, like the character, is
 * outside the automaton's alphabet.
 */
export function scanLines(m: KeywordMatcher, text: Uint8Array): LineScan {
  const { delta, classOf } = m.tables();
  const counts = new Int32Array(m.keywords.length);
  const len = text.length;
  let starts: Uint32Array = new Uint32Array(Math.max(16, (len >> 5) + 2));
  let n = 0;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const c = text[i]!;
    s = c < ALPHABET ? delta[s + classOf[c]!]! : 0;
    // A transition into a state with output is stored complemented (as findAll reads it).
    if (s < 0) {
      s = ~s;
      m.countBase(s, counts, 1);
    }
    if (c !== 10 && c !== 13) continue;
    if (c === 13 && i + 1 < len && text[i + 1] === 10) i++;
    s = 0;
    if (n + 2 >= starts.length) starts = grow(starts);
    starts[++n] = i + 1;
  }
  starts[n + 1] = len;
  return { starts: starts.slice(0, n + 2) as Uint32Array, counts };
}

/** Adds `by` to `counts` for every keyword occurring in text[from, to); `from` must start a line. */
export function countKeywords(m: KeywordMatcher, text: Uint8Array, from: number, to: number, counts: Int32Array, by: number): void {
  const { delta, classOf } = m.tables();
  let s = 0;
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    s = c < ALPHABET ? delta[s + classOf[c]!]! : 0;
    if (s < 0) {
      s = ~s;
      m.countBase(s, counts, by);
    }
  }
}

/**
 * The starts of the lines that begin inside text(from, to]: the position
 * after each break in text[from, to) (a `\r\n` across `to` counts at `to`).
 */
export function breaksIn(text: Uint8Array, from: number, to: number): number[] {
  const out: number[] = [];
  const len = text.length;
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    if (c !== 10 && c !== 13) continue;
    if (c === 13 && i + 1 < len && text[i + 1] === 10) i++;
    out.push(i + 1);
  }
  return out;
}

/** Twice the room, same contents. */
function grow(x: Uint32Array): Uint32Array {
  const y = new Uint32Array(x.length * 2);
  y.set(x);
  return y;
}
