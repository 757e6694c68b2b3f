/**
 * Reading a regex's source text: the few syntax steps the anchor readings
 * (anchors.ts, run-anchors.ts) share. Each works on the pattern as written
 * (no `v` flag) and answers -1 or undefined where the text is not what it
 * expects, so a reading gives up rather than guesses. Pure.
 */

/** Index just past the character class starting at `i` (`[` … `]`), or -1. */
export function classEnd(src: string, i: number): number {
  let k = i + 1;
  if (src[k] === "^") k++;
  if (src[k] === "]") k++;
  for (; k < src.length; k++) {
    if (src[k] === "\\") k++;
    else if (src[k] === "]") return k + 1;
  }
  return -1;
}

/** Index of the `)` closing the group opened at `i`, or -1 (classes and escapes skipped). */
export function closingParen(src: string, i: number): number {
  let depth = 0;
  for (let k = i; k < src.length; k++) {
    const c = src[k];
    if (c === "\\") k++;
    else if (c === "[") {
      const e = classEnd(src, k);
      if (e < 0) return -1;
      k = e - 1;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return k;
  }
  return -1;
}

/** Splits `src[from..to)` at its top-level `|`; undefined when a class or group there is malformed. */
export function alternatives(src: string, from: number, to: number): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  let start = from;
  for (let k = from; k < to; k++) {
    const c = src[k];
    if (c === "\\") k++;
    else if (c === "[") {
      const e = classEnd(src, k);
      if (e < 0 || e > to) return undefined;
      k = e - 1;
    } else if (c === "(") {
      const e = closingParen(src, k);
      if (e < 0 || e >= to) return undefined;
      k = e;
    } else if (c === "|") {
      out.push([start, k]);
      start = k + 1;
    }
  }
  out.push([start, to]);
  return out;
}

/** True when a quantifier that allows zero repetitions stands at `i`. */
export function optionalAt(src: string, i: number): boolean {
  const c = src[i];
  if (c === "?" || c === "*") return true;
  if (c !== "{") return false;
  // {0}, {0,n}, {,n}: the minimum is zero (leading zeros allowed).
  let k = i + 1;
  while (src[k] === "0") k++;
  return src[k] === "," || src[k] === "}";
}

/** A quantifier: the fewest and most repetitions (Infinity: unbounded), and the index just past it (and its lazy `?`). */
export interface Quantifier {
  min: number;
  max: number;
  end: number;
}

/** `{n}`, `{n,}` or `{n,m}`, read where it stands (sticky). */
const BOUNDS = /\{(\d+)(,(\d*))?\}/y;

/**
 * The quantifier at `i` (`?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`, each maybe
 * lazy); none there reads as once, ending at `i`. Undefined when a `{` there
 * opens no quantifier (the pattern as written would take it as a character).
 */
export function quantifierOf(src: string, i: number): Quantifier | undefined {
  const c = src[i];
  let q: Quantifier;
  if (c === "?") q = { min: 0, max: 1, end: i + 1 };
  else if (c === "*") q = { min: 0, max: Infinity, end: i + 1 };
  else if (c === "+") q = { min: 1, max: Infinity, end: i + 1 };
  else if (c === "{") {
    BOUNDS.lastIndex = i;
    const m = BOUNDS.exec(src);
    if (!m) return undefined;
    const min = Number(m[1]);
    q = { min, max: m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]), end: i + m[0].length };
  } else return { min: 1, max: 1, end: i };
  if (src[q.end] === "?") q.end++;
  return q;
}

/** True when any quantifier stands at `i`. */
export const quantifierAt = (src: string, i: number): boolean => src[i] === "?" || src[i] === "*" || src[i] === "+" || src[i] === "{";

/** True when a lookahead or lookbehind opens at `i`. */
export const lookaroundAt = (src: string, i: number): boolean =>
  src.startsWith("(?=", i) || src.startsWith("(?!", i) || src.startsWith("(?<=", i) || src.startsWith("(?<!", i);

/**
 * Index past the zero-width assertions starting at `i` (`\b`, `\B`, `^`,
 * lookarounds), which do not move where a match begins; undefined when a
 * lookaround is malformed, reaches `to` or has a quantifier.
 */
export function skipAssertions(src: string, i: number, to: number): number | undefined {
  for (;;) {
    if (src.startsWith("\\b", i) || src.startsWith("\\B", i)) i += 2;
    else if (src[i] === "^") i++;
    else if (lookaroundAt(src, i)) {
      const e = closingParen(src, i);
      if (e < 0 || e >= to || quantifierAt(src, e + 1)) return undefined;
      i = e + 1;
    } else return i;
  }
}

/**
 * Where the body of the group opened at `open` (closed at `close`) starts:
 * after `(`, `(?:` or `(?<name>`; undefined for any other `(?` group.
 */
export function groupBodyStart(src: string, open: number, close: number): number | undefined {
  const inner = open + 1;
  if (src.startsWith("?:", inner)) return inner + 2;
  if (src.startsWith("?<", inner)) {
    const gt = src.indexOf(">", inner);
    return gt < 0 || gt >= close ? undefined : gt + 1;
  }
  return src[inner] === "?" ? undefined : inner;
}

/**
 * The group opened at `i`, ending before `to`: its `)` and where its body
 * starts; undefined when it is malformed, reaches `to`, or is a `(?` group
 * other than `(?:` and a named one (test for lookarounds first).
 */
export function groupAt(src: string, i: number, to: number): { close: number; body: number } | undefined {
  const close = closingParen(src, i);
  if (close < 0 || close >= to) return undefined;
  const body = groupBodyStart(src, i, close);
  return body === undefined ? undefined : { close, body };
}
