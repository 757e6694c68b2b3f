/**
 * One pass over a text for the history scan's fast path (blob-delta.ts):
 * where each line starts, a 53-bit hash of each line (its break included),
 * and which rule keywords occur anywhere (case-insensitively, as the
 * engine's keyword gate decides), plus any extra markers the caller names
 * (after the keywords in `seen`). Doing it all in one loop costs little more
 * than any one part; the engine's automaton (engine/ahocorasick.ts) is
 * built once per rule set and marker list over its keywords. Pure.
 */
import { KeywordMatcher } from "../engine/ahocorasick.js";
import type { CompiledRuleSet } from "../engine/compile.js";

const ALPHABET = 128;

/** The engine's keyword automaton over the rule keywords plus markers, per rule set and marker list. */
const automata = new WeakMap<CompiledRuleSet, Map<string, KeywordMatcher>>();

function automatonFor(rs: CompiledRuleSet, markers: readonly string[]): KeywordMatcher {
  let byMarkers = automata.get(rs);
  if (!byMarkers) automata.set(rs, (byMarkers = new Map()));
  const key = markers.join("\0");
  let m = byMarkers.get(key);
  if (!m) byMarkers.set(key, (m = new KeywordMatcher([...rs.keywords.keywords, ...markers.map((k) => k.toLowerCase())])));
  return m;
}

/** Line starts (the text's end last), line hashes, and the keywords seen (1 per keyword id). */
export interface LineScan {
  starts: Uint32Array;
  hashes: Float64Array;
  seen: Uint8Array;
}

/**
 * Scans `text` once: lines (broken at `\n`, `\r\n` or a lone `\r`, as
 * engine/lines.ts counts them), their hashes, keywords and `markers`
 * (case-insensitive; `seen[keywords + i]` for marker i).
 */
export function scanLines(rs: CompiledRuleSet, text: string, markers: readonly string[] = []): LineScan {
  const m = automatonFor(rs, markers);
  const { delta, classOf, outputAt } = m.walkTables();
  const seen = new Uint8Array(m.keywords.length);
  const len = text.length;
  let starts = new Uint32Array(Math.max(16, (len >> 5) + 2));
  let hashes = new Float64Array(starts.length);
  let n = 0;
  let s = 0;
  let h1 = 0x811c9dc5;
  let h2 = 0x12345;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    s = c < ALPHABET ? delta[s + classOf[c]!]! : 0;
    if (outputAt[s] === 1) m.markBase(s, seen);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
    if (c !== 10 && c !== 13) continue;
    if (c === 13 && i + 1 < len && text.charCodeAt(i + 1) === 10) {
      i++;
      h1 = Math.imul(h1 ^ 10, 0x01000193);
      s = 0;
    }
    if (n + 2 >= starts.length) [starts, hashes] = [grow(starts), grow(hashes)];
    hashes[n] = (h1 >>> 0) * 2097152 + ((h2 >>> 11) & 0x1fffff);
    starts[++n] = i + 1;
    h1 = 0x811c9dc5;
    h2 = 0x12345;
  }
  hashes[n] = (h1 >>> 0) * 2097152 + ((h2 >>> 11) & 0x1fffff);
  starts[n + 1] = len;
  return { starts: starts.slice(0, n + 2), hashes: hashes.slice(0, n + 1), seen };
}

/** Twice the room, same contents. */
function grow<T extends Uint32Array | Float64Array>(x: T): T {
  const y = new (x.constructor as new (n: number) => T)(x.length * 2);
  y.set(x);
  return y;
}
