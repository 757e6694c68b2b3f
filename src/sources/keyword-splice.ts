/**
 * The keyword pass of a blob version, spliced from the version scanned before
 * it at the same path (the history scan). Most versions differ from the last
 * one in a few lines, yet the keyword pass (engine/ahocorasick.ts) walked the
 * automaton over every byte of each; spliced, express's history walks 43 of
 * its 181 MB of ASCII blob text. Pure: no I/O.
 *
 * Exact, whatever the two texts are: after a line feed the automaton is back
 * at its root and no base64/hex run goes on (no keyword holds a line feed,
 * and it is not in the run alphabet: checked, else nothing is spliced), so
 * what the pass finds after a line feed depends only on the text after it.
 * With A the earlier text and B the new one, equal in their first h bytes and
 * their last t:
 * - up to the last line feed within the common head, B's pass is A's;
 * - from the first line feed within the common tail on, B's pass is A's,
 *   moved by the difference in length;
 * - between the two, the pass is walked afresh from the root.
 * Joined in order, the three are the pass over B (a record: every keyword
 * hit and run start in order, see KeywordMatcher.record), which the engine
 * replays instead of walking the text (EngineOptions.keywordPass): the same
 * keywords seen, anchor positions and runs, so the same findings.
 *
 * Only ASCII texts: there a byte offset is a character offset (the engine
 * works on the decoded string). Records are kept per path, for the last
 * version scanned there, within a byte budget (least recently used first).
 */
import { IntList as List, type KeywordMatcher, type KeywordPass, type PassBuilder } from "../engine/ahocorasick.js";
import { BASE64_ALPHABET, MIN_BASE64 } from "../engine/char-runs.js";
import { commonHead, commonTail, view } from "./common-ends.js";

/**
 * Records kept per thread at most: texts and their passes, bytes. Express
 * walks the same bytes with 4 MB as with 24; on git/git a 12 MB budget took
 * the largest process from ~260 to ~284 MB (the limit is 300).
 */
export const MAX_SPLICE_BYTES = 4 << 20;
/** A text longer than this is not kept (it would push out many small ones). */
export const MAX_KEPT_TEXT = 1 << 20;

const LF = 10;

/** An earlier version's bytes with its pass. */
interface Kept {
  bytes: Uint8Array;
  pass: KeywordPass;
  size: number;
}

/** The last version's pass per path, least recently used first. */
export class SpliceCache {
  private readonly map = new Map<string, Kept>();
  private bytes = 0;

  constructor(private readonly budget = MAX_SPLICE_BYTES) {}

  /** The entry for `path`, marked recently used. */
  take(path: string): Kept | undefined {
    const e = this.map.get(path);
    if (e === undefined) return undefined;
    this.map.delete(path);
    this.map.set(path, e);
    return e;
  }

  /** Forgets the version kept for `path`, if any. */
  drop(path: string): void {
    const old = this.map.get(path);
    if (old === undefined) return;
    this.bytes -= old.size;
    this.map.delete(path);
  }

  /** Keeps `bytes` and its pass for `path` (replacing the earlier one), dropping the least recently used past the budget. */
  put(path: string, bytes: Uint8Array, pass: KeywordPass): void {
    this.drop(path);
    if (bytes.length > MAX_KEPT_TEXT) return;
    const size = bytes.byteLength + 4 * (2 * pass.ends.length + pass.runs.length) + 128;
    this.map.set(path, { bytes, pass, size });
    this.bytes += size;
    for (const [k, e] of this.map) {
      if (this.bytes <= this.budget) break;
      this.map.delete(k);
      this.bytes -= e.size;
    }
  }
}

/** The first index k in [lo, n) with xs[k] >= x (xs ascending), n when none. */
function firstAtLeast(xs: Int32Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The walked part's record, reused from text to text (a few typed arrays per blob kept the collector busy). */
let scratch: PassBuilder = { ends: new List(1024), states: new List(1024), runs: new List(256) };

/** Past this many entries a list of `scratch` is not kept for the next text (a dense text's record, at most {@link MAX_KEPT_TEXT} hits). */
const SCRATCH_KEPT = 1 << 16;

/** `scratch`, emptied; fresh small lists when a dense text made it large. */
function builder(): PassBuilder {
  if (scratch.ends.a.length > SCRATCH_KEPT || scratch.runs.a.length > SCRATCH_KEPT) {
    scratch = { ends: new List(1024), states: new List(1024), runs: new List(256) };
  }
  scratch.ends.n = 0;
  scratch.states.n = 0;
  scratch.runs.n = 0;
  return scratch;
}

const EMPTY = new Int32Array(0);
const NOTHING: KeywordPass = { ends: EMPTY, states: EMPTY, runs: EMPTY };

/** Copies src[from, to) to dst at `at`, each plus `by`. */
function copyShifted(dst: Int32Array, at: number, src: Int32Array, from: number, to: number, by: number): void {
  if (by === 0) dst.set(src.subarray(from, to), at);
  else for (let k = from; k < to; k++) dst[at++] = src[k]! + by;
}

/**
 * One record in one exact-length array (three views of it): `prev`'s hits
 * [0, h0) and runs [0, r0), the walked part in `mid`, then `prev`'s hits from
 * h1 and runs from r1, moved by `by`.
 */
function join(prev: KeywordPass, h0: number, r0: number, mid: PassBuilder, h1: number, r1: number, by: number): KeywordPass {
  const nMid = mid.ends.n;
  const hits = h0 + nMid + (prev.ends.length - h1);
  const runs = r0 + mid.runs.n + (prev.runs.length - r1);
  if (hits + runs === 0) return NOTHING;
  const all = new Int32Array(2 * hits + runs);
  const ends = all.subarray(0, hits);
  const states = all.subarray(hits, 2 * hits);
  const starts = all.subarray(2 * hits);
  ends.set(prev.ends.subarray(0, h0));
  ends.set(mid.ends.a.subarray(0, nMid), h0);
  copyShifted(ends, h0 + nMid, prev.ends, h1, prev.ends.length, by);
  states.set(prev.states.subarray(0, h0));
  states.set(mid.states.a.subarray(0, nMid), h0);
  states.set(prev.states.subarray(h1), h0 + nMid);
  starts.set(prev.runs.subarray(0, r0));
  starts.set(mid.runs.a.subarray(0, mid.runs.n), r0);
  copyShifted(starts, r0 + mid.runs.n, prev.runs, r1, prev.runs.length, by);
  return { ends, states, runs: starts };
}

/** True when the pass over any text starts afresh after a line feed (see the module comment). */
export function splices(m: KeywordMatcher): boolean {
  return m.resetsAt(LF, BASE64_ALPHABET);
}

/**
 * The pass over `text` (the ASCII decoding of `bytes`: one character per
 * byte), the part shared with `prev` taken from `prev`'s pass and the rest
 * walked; the whole text walked when there is no `prev`.
 */
export function passOf(m: KeywordMatcher, text: string, bytes: Uint8Array, prev?: { bytes: Uint8Array; pass: KeywordPass }): KeywordPass {
  const lb = bytes.length;
  const mid = builder();
  if (prev === undefined) {
    m.record(text, 0, lb, BASE64_ALPHABET, MIN_BASE64, mid);
    return join(NOTHING, 0, 0, mid, 0, 0, 0);
  }
  const a = view(prev.bytes);
  const b = view(bytes);
  const la = a.length;
  const h = commonHead(a, b);
  const t = commonTail(a, b, Math.min(la, lb) - h);
  // B (and A) start afresh at `hb`: just past the last line feed of the common head (0: the start).
  const hb = h === 0 ? 0 : b.lastIndexOf(LF, h - 1) + 1;
  // ...and at `yb`: just past the first line feed of the common tail (lb: no tail to reuse).
  const lf = t === 0 ? -1 : b.indexOf(LF, lb - t);
  const yb = lf < 0 ? lb : lf + 1;
  const ya = yb - (lb - la);
  const p = prev.pass;
  // The middle, walked; the head is A's hits ending and runs starting before hb (both lie wholly
  // before it), the tail A's from ya on (none when yb is the end).
  m.record(text, hb, yb, BASE64_ALPHABET, MIN_BASE64, mid);
  const tail = yb < lb;
  return join(p, firstAtLeast(p.ends, hb), firstAtLeast(p.runs, hb), mid, tail ? firstAtLeast(p.ends, ya) : p.ends.length, tail ? firstAtLeast(p.runs, ya) : p.runs.length, yb - ya);
}

/**
 * The keyword pass for an ASCII text at `path`, spliced from the last one kept
 * there when there is one, and kept for the next version; undefined when the
 * automaton does not start afresh after a line feed (nothing is spliced then)
 * or the text is too large to keep ({@link MAX_KEPT_TEXT}: walked whole).
 */
export function splicedPass(m: KeywordMatcher, cache: SpliceCache, path: string, text: string, bytes: Uint8Array): KeywordPass | undefined {
  if (!splices(m)) return undefined;
  // A text too large to keep is walked by the engine as before: its record (8 bytes a keyword hit) could
  // not serve a next version, and a dense one (a hit every few characters) cost far more than the walk.
  if (bytes.length > MAX_KEPT_TEXT) {
    cache.drop(path);
    return undefined;
  }
  const pass = passOf(m, text, bytes, cache.take(path));
  cache.put(path, bytes, pass);
  return pass;
}
