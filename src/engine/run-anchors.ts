/**
 * Run anchors: for a rule regex with no literal to anchor it (see anchors.ts),
 * whose every match begins with `min` to `max` characters of the base64
 * alphabet followed by a character outside it (discord-bot-token's
 * `[MNO][DTjz][A-Za-z0-9_\-]{21,25}\.`, twilio-credential-pair's
 * `(?:AC|SK)[0-9a-f]{32}["'\x60]`), those characters end exactly where the
 * alphabet's maximal run around the match's start ends. So a match can start
 * only `min` to `max` characters before the end of a run at least `min` long,
 * and the keyword pass lists every run from {@link MIN_BASE64} characters up
 * (char-runs.ts): the engine tries the regex (sticky) at those few places
 * instead of running it over the whole text, and finds exactly what the
 * global regex finds.
 *
 * The reading is narrow, like anchors.ts's: zero-width assertions are skipped,
 * a group is followed into when it has no quantifier, an alternation only when
 * each branch is plain characters of the alphabet, and every other item must
 * be a character, class or escape that is wholly inside the alphabet
 * (counted) or wholly outside it (the end of the run; it must be required).
 * Anything else, the `i` flag (Unicode case folding maps `ſ` to `s`) or the
 * `v` flag, gives no run anchor. Pure.
 */
import { alternatives, classEnd, closingParen, groupBodyStart, lookaroundAt, quantifierOf } from "./regex-syntax.js";

/** Characters a run anchor's start may be from the end of its run (see module doc), and what may follow the run. */
export interface RunAnchor {
  min: number;
  max: number;
  /** The characters that may stand right after the run: ASCII codes marked 1, and from 128 up when `endOutside`. */
  end: Uint8Array;
  endOutside: boolean;
}

/**
 * A run anchor as the build stores it with a built-in rule (dist/rules.json):
 * `end` lists the ASCII codes that may follow the run; `false` when the rule
 * has none. See {@link fromStoredRunAnchor}.
 */
export type StoredRunAnchor = { min: number; max: number; end: number[]; endOutside: boolean } | false;

/** `anchor` as the build stores it. */
export function storedRunAnchor(anchor: RunAnchor | undefined): StoredRunAnchor {
  if (anchor === undefined) return false;
  const end: number[] = [];
  for (let c = 0; c < 128; c++) if (anchor.end[c] === 1) end.push(c);
  return { min: anchor.min, max: anchor.max, end, endOutside: anchor.endOutside };
}

/** The run anchor a stored one stands for (what {@link runAnchorOf} gave the build). */
export function fromStoredRunAnchor(stored: StoredRunAnchor): RunAnchor | undefined {
  if (stored === false) return undefined;
  const end = new Uint8Array(128);
  for (const c of stored.end) end[c] = 1;
  return { min: stored.min, max: stored.max, end, endOutside: stored.endOutside };
}

/** Which characters an item stands for, as far as the alphabet is concerned. */
type Side = "in" | "out" | "mixed";

/** What a sequence of items gives: the alphabet characters it starts with, and whether an outside character follows them. */
interface Reading {
  min: number;
  max: number;
  ended: boolean;
  /** The character that ends the run, when `ended`. */
  end?: CharSet;
}

/** Marks the code (or, from 128 up, `outside`) of one class member in `set`. */
interface CharSet {
  ascii: Uint8Array;
  outside: boolean;
}

/** The side of a set of characters. */
function sideOf(set: CharSet, member: Uint8Array): Side {
  let inside = false;
  let outside = set.outside;
  for (let c = 0; c < 128; c++) {
    if (set.ascii[c] === 0) continue;
    if (member[c] === 1) inside = true;
    else outside = true;
  }
  return inside && outside ? "mixed" : inside ? "in" : outside ? "out" : "mixed";
}

/** Adds the shorthand class `\d`, `\w` or `\s` to `set`; false for anything else. */
function addShorthand(letter: string, set: CharSet): boolean {
  if (letter === "d") for (let c = 48; c <= 57; c++) set.ascii[c] = 1;
  else if (letter === "w") {
    for (let c = 0; c < 128; c++) if (/\w/.test(String.fromCharCode(c))) set.ascii[c] = 1;
  } else if (letter === "s") {
    for (let c = 0; c < 128; c++) if (/\s/.test(String.fromCharCode(c))) set.ascii[c] = 1;
    set.outside = true;
  } else return false;
  return true;
}

/** The character an escape `src[i..]` (after the backslash) stands for, with its length; undefined for classes, references and assertions. */
function escapedChar(src: string, i: number): [number, number] | undefined {
  const c = src[i];
  if (c === undefined) return undefined;
  if (c === "x" && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 1, i + 3))) return [parseInt(src.slice(i + 1, i + 3), 16), 3];
  if (c === "u" && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 1, i + 5))) return [parseInt(src.slice(i + 1, i + 5), 16), 5];
  const named: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11 };
  if (named[c] !== undefined) return [named[c]!, 1];
  if (/[A-Za-z0-9]/.test(c)) return undefined;
  return [c.charCodeAt(0), 1];
}

/** Adds code `c` to `set`. */
function addCode(set: CharSet, c: number): void {
  if (c < 128) set.ascii[c] = 1;
  else set.outside = true;
}

/** The class `src[i..end)` as a set, or undefined (negated, or a member it cannot read). */
function readClass(src: string, i: number, end: number): CharSet | undefined {
  const set: CharSet = { ascii: new Uint8Array(128), outside: false };
  let k = i + 1;
  if (src[k] === "^") return undefined;
  const last = end - 1;
  while (k < last) {
    let code: number;
    if (src[k] === "\\") {
      if (addShorthand(src[k + 1] ?? "", set)) {
        k += 2;
        continue;
      }
      const e = escapedChar(src, k + 1);
      if (!e) return undefined;
      code = e[0];
      k += 1 + e[1];
    } else {
      code = src.charCodeAt(k);
      k++;
    }
    if (src[k] === "-" && k + 1 < last) {
      // A range: its upper end.
      let hi: number;
      if (src[k + 1] === "\\") {
        const e = escapedChar(src, k + 2);
        if (!e) return undefined;
        hi = e[0];
        k += 2 + e[1];
      } else {
        hi = src.charCodeAt(k + 1);
        k += 2;
      }
      if (hi < code) return undefined;
      for (let c = code; c <= hi; c++) addCode(set, c);
      continue;
    }
    addCode(set, code);
  }
  return set;
}

/** Reads the sequence `src[from..to)`; undefined when the reading gives up. */
function readSequence(src: string, from: number, to: number, member: Uint8Array): Reading | undefined {
  let min = 0;
  let max = 0;
  let k = from;
  while (k < to) {
    const c = src[k]!;
    if (c === "^" || c === "$" || c === "|" || c === ")" || c === "*" || c === "+" || c === "?" || c === "{") return undefined;
    if (c === "(") {
      const close = closingParen(src, k);
      if (close < 0 || close >= to) return undefined;
      if (lookaroundAt(src, k)) {
        // Zero-width: a lookaround only narrows where a match starts.
        k = close + 1;
        continue;
      }
      const body = groupBodyStart(src, k, close);
      if (body === undefined) return undefined;
      const q = quantifierOf(src, close + 1);
      if (!q || q.end !== close + 1) return undefined;
      const alts = alternatives(src, body, close);
      if (!alts) return undefined;
      if (alts.length === 1) {
        // A plain group: its items continue the sequence.
        const inner = readSequence(src, body, close, member);
        if (!inner) return undefined;
        min += inner.min;
        max += inner.max;
        if (inner.ended) return { min, max, ended: true, end: inner.end! };
        k = close + 1;
        continue;
      }
      // Alternatives: each must be alphabet characters only, the run going on after the group.
      let lo = Infinity;
      let hi = 0;
      for (const [a, b] of alts) {
        const r = readSequence(src, a, b, member);
        if (!r || r.ended) return undefined;
        lo = Math.min(lo, r.min);
        hi = Math.max(hi, r.max);
      }
      min += lo;
      max += hi;
      k = close + 1;
      continue;
    }
    let set: CharSet;
    let next: number;
    if (c === "[") {
      const end = classEnd(src, k);
      if (end < 0 || end > to) return undefined;
      const s = readClass(src, k, end);
      if (!s) return undefined;
      set = s;
      next = end;
    } else if (c === "\\") {
      const letter = src[k + 1] ?? "";
      if (letter === "b" || letter === "B") {
        k += 2;
        continue;
      }
      set = { ascii: new Uint8Array(128), outside: false };
      if (addShorthand(letter, set)) next = k + 2;
      else {
        const e = escapedChar(src, k + 1);
        if (!e) return undefined;
        addCode(set, e[0]);
        next = k + 1 + e[1];
      }
    } else if (c === ".") return undefined;
    else {
      set = { ascii: new Uint8Array(128), outside: false };
      addCode(set, src.charCodeAt(k));
      next = k + 1;
    }
    const q = quantifierOf(src, next);
    if (!q) return undefined;
    const side = sideOf(set, member);
    if (side === "mixed") return undefined;
    if (side === "out") {
      // The run ends here, if a character outside the alphabet must stand here.
      return q.min >= 1 ? { min, max, ended: true, end: set } : undefined;
    }
    min += q.min;
    max += q.max;
    k = q.end;
  }
  return { min, max, ended: false };
}

/**
 * The run anchor of a regex (its source and flags, as compiled), for runs of
 * `member` characters listed from `least` characters up; undefined when it
 * has none (see the module doc).
 */
export function runAnchorOf(source: string, flags: string, member: Uint8Array, least: number): RunAnchor | undefined {
  if (flags.includes("i") || flags.includes("v")) return undefined;
  const r = readSequence(source, 0, source.length, member);
  if (!r || !r.ended || r.min < least) return undefined;
  return { min: r.min, max: r.max, end: r.end!.ascii, endOutside: r.end!.outside };
}

/**
 * Where a match of a rule with run anchor `anchor` can start in `text`,
 * ascending, given the runs of its alphabet (`starts`, and `ends` just past
 * each): from `max` to `min` characters before the end of a run followed by
 * a character that may end it, within the run.
 */
export function runAnchorStarts(anchor: RunAnchor, text: string, starts: readonly number[], ends: ArrayLike<number>): number[] {
  const out: number[] = [];
  const { end, endOutside } = anchor;
  for (let r = 0; r < starts.length; r++) {
    const s = starts[r]!;
    const j = ends[r]!;
    if (j - s < anchor.min || j >= text.length) continue;
    const after = text.charCodeAt(j);
    if (after < 128 ? end[after] === 0 : !endOutside) continue;
    const last = j - anchor.min;
    for (let p = Math.max(s, j - anchor.max); p <= last; p++) out.push(p);
  }
  return out;
}
