/**
 * One pass over a text for the history scan's fast path (blob-delta.ts):
 * where each line starts, a 53-bit hash of each line (its break included),
 * and which rule keywords occur anywhere (case-insensitively, as the
 * engine's keyword gate decides), plus any extra markers the caller names
 * (after the keywords in `seen`). Doing it all in one loop costs little more
 * than any one part; the automaton is built once per rule set and marker
 * list from the engine's own keyword list. Pure.
 */
import type { CompiledRuleSet } from "../engine/compile.js";

const ALPHABET = 128;
const fold = (c: number): number => (c >= 65 && c <= 90 ? c | 0x20 : c);

/** A keyword automaton as a flat table (targets pre-multiplied by the row width). */
interface Automaton {
  delta: Int32Array;
  classOf: Uint8Array;
  /** Keyword ids ending in each (pre-multiplied) state; empty for most. */
  outputs: Map<number, Int32Array>;
  hasOutput: Uint8Array;
  count: number;
}

const automata = new WeakMap<CompiledRuleSet, Map<string, Automaton>>();

/** Aho-Corasick over `keywords`, folded to a DFA on a compact alphabet (as engine/ahocorasick.ts builds it). */
function build(keywords: readonly string[]): Automaton {
  const classOf = new Uint8Array(ALPHABET);
  let width = 1;
  for (const kw of keywords) for (let i = 0; i < kw.length; i++) if (classOf[fold(kw.charCodeAt(i))] === 0) classOf[fold(kw.charCodeAt(i))] = width++;
  for (let c = 65; c <= 90; c++) classOf[c] = classOf[c | 0x20]!;
  const max = keywords.reduce((n, k) => n + k.length, 0) + 1;
  const delta = new Int32Array(max * width).fill(-1);
  const out: number[][] = [[]];
  let n = 1;
  keywords.forEach((kw, id) => {
    let s = 0;
    for (let i = 0; i < kw.length; i++) {
      const k = s * width + classOf[fold(kw.charCodeAt(i))]!;
      if (delta[k]! < 0) (delta[k] = n++), out.push([]);
      s = delta[k]!;
    }
    out[s]!.push(id);
  });
  for (let st = 0; st < n; st++) delta[st * width] = 0;
  const fail = new Int32Array(n);
  const queue: number[] = [];
  for (let c = 1; c < width; c++) {
    if (delta[c]! < 0) delta[c] = 0;
    else queue.push(delta[c]!);
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const st = queue[qi]!;
    out[st]!.push(...out[fail[st]!]!);
    for (let c = 1; c < width; c++) {
      const t = delta[st * width + c]!;
      if (t >= 0) (fail[t] = delta[fail[st]! * width + c]!), queue.push(t);
      else delta[st * width + c] = delta[fail[st]! * width + c]!;
    }
  }
  const dfa = delta.subarray(0, n * width).map((t) => t * width);
  const outputs = new Map<number, Int32Array>();
  const hasOutput = new Uint8Array(n * width);
  out.forEach((o, st) => {
    if (o.length === 0) return;
    outputs.set(st * width, Int32Array.from(new Set(o)));
    hasOutput[st * width] = 1;
  });
  return { delta: dfa, classOf, outputs, hasOutput, count: keywords.length };
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
  let byMarkers = automata.get(rs);
  if (!byMarkers) automata.set(rs, (byMarkers = new Map()));
  let a = byMarkers.get(markers.join("\0"));
  if (!a) byMarkers.set(markers.join("\0"), (a = build([...rs.keywords.keywords, ...markers.map((m) => m.toLowerCase())])));
  const { delta, classOf, hasOutput, outputs } = a;
  const seen = new Uint8Array(a.count);
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
    if (hasOutput[s] === 1) for (const id of outputs.get(s)!) seen[id] = 1;
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
