/**
 * Reusable working arrays for the history fast path (blob-delta.ts,
 * line-match.ts): a fresh typed array per blob version cost an allocation
 * outside the JavaScript heap each, and garbage-collector work for every one
 * of them. Each slot's array is valid until the slot is asked for again, so
 * only working memory of one call may live here, never a summary. Module
 * state; one per thread.
 */
const u8: Uint8Array[] = [];
const i32: Int32Array[] = [];
const u32: Uint32Array[] = [];

/** Room for `n` in `pool[slot]` (grown by doubling), as a view of exactly `n`. */
function take<T extends Uint8Array | Int32Array | Uint32Array>(pool: T[], slot: number, n: number, make: (n: number) => T): T {
  let a = pool[slot];
  if (!a || a.length < n) pool[slot] = a = make(Math.max(n, 2 * (a?.length ?? 0), 256));
  return a.subarray(0, n) as T;
}

/** `n` bytes, all `fill` (default 0), in slot `slot`. */
export const scratchU8 = (slot: number, n: number, fill = 0): Uint8Array => take(u8, slot, n, (k) => new Uint8Array(k)).fill(fill);

/** `n` signed 32-bit integers, all `fill`, in slot `slot`. */
export const scratchI32 = (slot: number, n: number, fill = 0): Int32Array => take(i32, slot, n, (k) => new Int32Array(k)).fill(fill);

/** `n` unsigned 32-bit integers, all 0, in slot `slot`. */
export const scratchU32 = (slot: number, n: number): Uint32Array => take(u32, slot, n, (k) => new Uint32Array(k)).fill(0);
