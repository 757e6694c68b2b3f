/**
 * Runs of one ASCII character set that the keyword pass lists while it reads a
 * text anyway (see {@link KeywordMatcher.findAll}), so that the decoding pass
 * need not read the text again to find its base64/hex candidates. Pure.
 */

/**
 * Where to list runs: `member[c]` = 1 for the ASCII codes of the set (0 for
 * the others; codes from 128 up are never members); `starts` receives, in
 * ascending order, where each maximal run of members at least `min` long starts.
 */
export interface CharRuns {
  member: Uint8Array;
  min: number;
  starts: number[];
  /** Where each run ends (just past it), once {@link runEnds} has worked them out. */
  ends?: Int32Array | undefined;
}

/** Shortest encoded segment worth decoding (12 bytes of base64). */
export const MIN_BASE64 = 16;

/** The base64 (standard and URL-safe) and hex union alphabet: letters, digits, `+ / - _`. */
export const BASE64_ALPHABET: Uint8Array = (() => {
  const member = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (/[A-Za-z0-9+/_-]/.test(String.fromCharCode(c))) member[c] = 1;
  return member;
})();

const NO_ENDS = new Int32Array(0);

/** Where each run `runs` lists ends (just past its last character), in the same order, worked out once: only the runs are read. */
export function runEnds(text: string, runs: CharRuns): Int32Array {
  return (runs.ends ??= endsOf(text, runs.member, runs.min, runs.starts));
}

/** Where the runs of `member` characters starting at `starts` (each at least `min` long) end. */
export function endsOf(text: string, member: Uint8Array, min: number, starts: readonly number[]): Int32Array {
  // Most texts list no run: one shared empty array (it has nothing to write to) instead of a typed array each.
  if (starts.length === 0) return NO_ENDS;
  const n = text.length;
  // Sized up front (a text can hold thousands of runs): no array grown by copying.
  const ends = new Int32Array(starts.length);
  for (let r = 0; r < starts.length; r++) {
    let j = starts[r]! + min;
    // Never read past the end: charCodeAt out of range cost a deoptimization of the (inlined) caller.
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c >= 128 || member[c] !== 1) break;
      j++;
    }
    ends[r] = j;
  }
  return ends;
}
