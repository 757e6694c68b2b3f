/**
 * Which lines of a new blob version were already in the old one, for the
 * history scan's fast path (blob-delta.ts): per-line hashes, and a matching
 * of the new version's lines to distinct old lines with the same bytes. No
 * alignment runs (no diff): one pass over each side through a hash table, so
 * the work grows with the lines compared, never with their square. Pure.
 *
 * A match is only ever made between lines whose bytes are equal (the hash
 * picks candidates, a byte comparison decides), and each old line is matched
 * at most once: a block copied within the file is new where it was copied.
 */

import { scratchI32, scratchU32, scratchU8 } from "./scratch.js";

/** Working-array slots (scratch.ts) of this module; blob-delta.ts uses higher ones. */
const SLOT_USED = 0;
const SLOT_KEYS = 0;
const SLOT_HEADS = 0;
const SLOT_NEXT = 1;

/** FNV-1a offset basis and prime (32-bit). */
const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** How many equal-hash, unequal-bytes candidates a line looks at before it counts as new (bounds hostile hash collisions). */
const MAX_PROBES = 8;

/** Hashes of lines [from, to) of `text` (line k is text[starts[k], starts[k + 1])), written to out[at + k - from]. */
export function hashLines(text: Uint8Array, starts: Uint32Array, from: number, to: number, out: Uint32Array, at: number): void {
  for (let k = from; k < to; k++) {
    let h = FNV_BASIS;
    const end = starts[k + 1]!;
    for (let i = starts[k]!; i < end; i++) h = Math.imul(h ^ text[i]!, FNV_PRIME);
    out[at + k - from] = h >>> 0;
  }
}

/** One side of a comparison: the bytes, line starts (the end last) and line hashes. */
export interface LineSide {
  text: Uint8Array;
  starts: Uint32Array;
  hashes: Uint32Array;
}

/** True when line `i` of `a` and line `j` of `b` hold the same bytes. */
function sameLine(a: LineSide, i: number, b: LineSide, j: number): boolean {
  if (a.hashes[i] !== b.hashes[j]) return false;
  const sa = a.starts[i]!;
  const sb = b.starts[j]!;
  const len = a.starts[i + 1]! - sa;
  if (b.starts[j + 1]! - sb !== len) return false;
  const x = a.text;
  const y = b.text;
  for (let k = 0; k < len; k++) if (x[sa + k] !== y[sb + k]) return false;
  return true;
}

/**
 * For each line j of `b` in [bFrom, bTo), the line of `a` in [aFrom, aTo)
 * it is kept from, else -1, written to map[j]. A line continuing a run (the
 * line after the one the previous line matched) is preferred, so unchanged
 * blocks map in order; otherwise the first unmatched equal line. `before` is
 * the line of `a` that b's line bFrom - 1 is kept from (-1: none).
 * Returns which lines of a's range were matched (1 at i - aFrom; working
 * memory, valid until the next call).
 */
export function matchLines(a: LineSide, aFrom: number, aTo: number, b: LineSide, bFrom: number, bTo: number, map: Int32Array, before: number): Uint8Array {
  const n = Math.max(0, aTo - aFrom);
  const used = scratchU8(SLOT_USED, n);
  if (n === 0 || bTo <= bFrom) {
    map.fill(-1, bFrom, bTo);
    return used;
  }
  // Open addressing by hash: each slot heads the chain of a's lines with that hash, in order.
  let size = 16;
  while (size < n * 2) size <<= 1;
  const mask = size - 1;
  const keys = scratchU32(SLOT_KEYS, size);
  const heads = scratchI32(SLOT_HEADS, size, -1);
  const next = scratchI32(SLOT_NEXT, n, -1);
  const slotOf = (h: number): number => {
    let s = Math.imul(h, 0x9e3779b1) >>> 0 & mask;
    while (heads[s] !== -1 && keys[s] !== h) s = (s + 1) & mask;
    return s;
  };
  for (let i = aTo - 1; i >= aFrom; i--) {
    const h = a.hashes[i]!;
    const s = slotOf(h);
    keys[s] = h;
    next[i - aFrom] = heads[s]!;
    heads[s] = i - aFrom;
  }
  let last = before;
  for (let j = bFrom; j < bTo; j++) {
    let got = -1;
    const c = last + 1;
    if (last >= 0 && c >= aFrom && c < aTo && used[c - aFrom] === 0 && sameLine(a, c, b, j)) got = c - aFrom;
    else {
      const h = b.hashes[j]!;
      const s = slotOf(h);
      // Walk the chain, unlinking lines already matched (each is passed over once).
      let prev = -1;
      let probes = 0;
      for (let e = heads[s]!; e !== -1 && probes < MAX_PROBES; e = next[e]!) {
        if (used[e] === 1) {
          if (prev === -1) heads[s] = next[e]!;
          else next[prev] = next[e]!;
          continue;
        }
        if (sameLine(a, e + aFrom, b, j)) {
          got = e;
          break;
        }
        probes++;
        prev = e;
      }
    }
    if (got >= 0) {
      used[got] = 1;
      map[j] = last = got + aFrom;
    } else {
      map[j] = -1;
      last = -1;
    }
  }
  return used;
}
