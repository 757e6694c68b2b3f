/**
 * The common start and end of two versions of a file's bytes, found by
 * native comparisons of runs (shrinking fourfold), then byte by byte. History
 * uses them to reuse what it knew of a path's earlier version.
 */

/** The longest run compared at once: runs shrink fourfold down to {@link MIN_RUN}, then bytes are compared one by one. */
const MAX_RUN = 1 << 16;
const MIN_RUN = 16;

/** A Buffer over the same memory (for its native comparison). */
export const view = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Length of the common head of `a` and `b` (equal runs compared natively). */
export function commonHead(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let p = 0;
  for (let run = MAX_RUN; run >= MIN_RUN; run >>= 2) {
    while (p + run <= n && a.compare(b, p, p + run, p, p + run) === 0) p += run;
  }
  while (p < n && a[p] === b[p]) p++;
  return p;
}

/** Length of the common tail of `a` and `b`, at most `max`. */
export function commonTail(a: Buffer, b: Buffer, max: number): number {
  const la = a.length;
  const lb = b.length;
  let q = 0;
  for (let run = MAX_RUN; run >= MIN_RUN; run >>= 2) {
    while (q + run <= max && a.compare(b, lb - q - run, lb - q, la - q - run, la - q) === 0) q += run;
  }
  while (q < max && a[la - 1 - q] === b[lb - 1 - q]) q++;
  return q;
}
