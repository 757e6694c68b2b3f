/**
 * Start anchors of a rule regex: literal strings one of which every match
 * must begin with. When a regex has them, the engine need not run it over the
 * whole text: it tries the regex (sticky) only where the keyword automaton saw
 * an anchor, which finds exactly the matches the global regex finds (a match
 * can start nowhere else, and the regex matches the same way at a position
 * whichever way it got there).
 *
 * The reading is deliberately narrow: zero-width assertions at the start are
 * skipped (`\b`, `^`, lookarounds), groups and top-level alternations are
 * followed into every branch, and each branch must then start with at least
 * one plain literal character. Anything else (a class, `.`, an escape like
 * `\w`, an optional group or character) gives no anchors, and the rule runs
 * over the whole text as before. Anchors are lower-cased: the automaton
 * matches ASCII case-insensitively, a superset of what a case-sensitive regex
 * (or one with the non-unicode `i` flag) can match.
 *
 * Pure.
 */
import { alternatives, classEnd, closingParen, groupAt, groupBodyStart, lookaroundAt, optionalAt, quantifierAt, quantifierOf, skipAssertions } from "./regex-syntax.js";

/** Shortest anchor worth looking for: shorter ones occur everywhere, and the regex is better run whole. */
export const MIN_ANCHOR = 3;

/** Characters that end a literal run (regex syntax). */
const SYNTAX = "()[]{}|.?*+^$\\";
/** Escaped punctuation stands for itself (`\-`, `\.`, `\$`, …); escaped letters and digits are classes, assertions or references. */
const escapedLiteral = (c: string): boolean => c.length === 1 && c.charCodeAt(0) < 128 && !/[A-Za-z0-9]/.test(c) && c.charCodeAt(0) > 32;

/** Literal prefixes of every branch of `src[from..to)`, or undefined. */
function prefixesOfAlternation(src: string, from: number, to: number, depth: number): string[] | undefined {
  const alts = alternatives(src, from, to);
  if (!alts) return undefined;
  const out: string[] = [];
  for (const [a, b] of alts) {
    const p = prefixesOfSequence(src, a, b, depth);
    if (!p) return undefined;
    out.push(...p);
  }
  return out;
}

/** Literal prefixes of the sequence `src[from..to)`: what every match of it starts with. */
function prefixesOfSequence(src: string, from: number, to: number, depth: number): string[] | undefined {
  if (depth > 8) return undefined;
  // Zero-width assertions at the start do not move where a match begins.
  const at = skipAssertions(src, from, to);
  if (at === undefined || at >= to) return undefined;
  let i = at;
  if (src[i] === "(") {
    const g = groupAt(src, i, to);
    if (!g || optionalAt(src, g.close + 1)) return undefined;
    return prefixesOfAlternation(src, g.body, g.close, depth + 1);
  }
  let lit = "";
  while (i < to) {
    let ch: string;
    let len: number;
    if (src[i] === "\\") {
      const next = src[i + 1];
      if (next === undefined || !escapedLiteral(next)) break;
      ch = next;
      len = 2;
    } else if (SYNTAX.includes(src[i]!)) break;
    else {
      ch = src[i]!;
      len = 1;
    }
    if (optionalAt(src, i + len)) break;
    lit += ch;
    i += len;
    // A repeated character is there at least once; what follows it may vary.
    if (quantifierAt(src, i)) break;
  }
  if (lit.length === 0 || /[^\x00-\x7f]/.test(lit)) return undefined;
  return [lit.toLowerCase()];
}

/**
 * The literals (lower case, deduplicated) that every match of the regex
 * `source` starts with, or undefined when it has none this reading can prove
 * or one of them is shorter than {@link MIN_ANCHOR}. `flags` are the regex's
 * JS flags: only `i`, `g`, `d`, `y` keep the ASCII reading valid.
 */
export function startAnchors(source: string, flags: string): string[] | undefined {
  if (/[^gidy]/.test(flags)) return undefined;
  let out: string[] | undefined;
  try {
    out = prefixesOfAlternation(source, 0, source.length, 0);
  } catch {
    return undefined;
  }
  return usableAnchors(out);
}

/** True when the readings of one sequence apply: flags that keep the ASCII reading valid (as above), and no top-level `|`. */
function oneBranch(source: string, flags: string): boolean {
  return !/[^gidy]/.test(flags) && alternatives(source, 0, source.length)?.length === 1;
}

/** `list` without repeats when its literals can anchor a rule: some, each at least {@link MIN_ANCHOR} long. */
function usableAnchors(list: string[] | undefined): string[] | undefined {
  return list && list.length > 0 && list.every((a) => a.length >= MIN_ANCHOR) ? [...new Set(list)] : undefined;
}

/** Start anchors that may stand one character after where a match begins (see {@link leadAnchors}). */
export interface LeadAnchors {
  anchors: string[];
  /** Characters a match may begin before its anchor: the engine tries each anchor's position and the one before. */
  lead: 1;
}

/** Index just past one character's worth of regex at `i` (a literal, an escaped punctuation mark, or a class), or -1. */
function oneChar(src: string, i: number): number {
  const c = src[i];
  if (c === "[") return classEnd(src, i);
  if (c === "\\") return escapedLiteral(src[i + 1] ?? "") ? i + 2 : -1;
  return c !== undefined && !SYNTAX.includes(c) ? i + 1 : -1;
}

/**
 * Anchors of a regex whose matches begin with at most one character before a
 * literal: an optional character (`["']?name`) or a line start or one
 * character (`(?:^|[\s:/])_auth`). Every match then begins at an anchor or
 * one character before it, and trying the sticky regex at both finds exactly
 * the global regex's matches. Undefined when the regex is not of that shape
 * (or {@link startAnchors} reads it already).
 */
export function leadAnchors(source: string, flags: string): LeadAnchors | undefined {
  if (!oneBranch(source, flags)) return undefined;
  try {
    let rest = -1;
    const one = oneChar(source, 0);
    if (one > 0 && source[one] === "?") {
      // X? or X?? : zero or one character.
      rest = source[one + 1] === "?" ? one + 2 : one + 1;
    } else if (source.startsWith("(?:^|", 0)) {
      const close = closingParen(source, 0);
      const end = oneChar(source, 5);
      if (close < 0 || end !== close || quantifierAt(source, close + 1)) return undefined;
      rest = close + 1;
    }
    if (rest < 0 || rest >= source.length || optionalAt(source, rest)) return undefined;
    const anchors = usableAnchors(prefixesOfSequence(source, rest, source.length, 0));
    return anchors && { anchors, lead: 1 };
  } catch {
    return undefined;
  }
}

/** The line-start assertion `^` becomes under the `m` flag (engine/regex.ts). */
const LINE_START = "(?<![^\\n])";

/** Escapes outside a class that match no line feed: classes, assertions, and single characters (`\t`, `\r`, …). */
const SAFE_ESCAPES = "wdSbBtrfv";

/** The character a class element escape stands for (`\t`, `\r`, …); -1 for a class (`\w`, `\d`, `\S`); undefined when unknown. */
const CLASS_ESCAPES: Record<string, number> = { t: 9, r: 13, f: 12, v: 11, b: 8, w: -1, d: -1, S: -1 };

/**
 * True when no match of `src[from..to)` can hold a line feed: every class
 * excludes it ({@link classHoldsNoLineFeed}), no `\s`, `\W`, `\D`, `\n`,
 * numeric or other unknown escape stands outside one, and lookarounds (which
 * match nothing) are passed over. `.` never matches one without the `s`
 * flag. Conservative: what this reading does not know counts as a line feed.
 */
function holdsNoLineFeed(src: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = src[k]!;
    if (c === "\n") return false;
    if (c === "\\") {
      const next = src[k + 1] ?? "";
      if (!escapedLiteral(next) && !SAFE_ESCAPES.includes(next)) return false;
      k++;
    } else if (c === "[") {
      const e = classEnd(src, k);
      if (e < 0 || e > to) return false;
      if (!classHoldsNoLineFeed(src.slice(k + 1, e - 1))) return false;
      k = e - 1;
    } else if (lookaroundAt(src, k)) {
      const e = closingParen(src, k);
      if (e < 0 || e >= to) return false;
      k = e;
    }
  }
  return true;
}

/**
 * True when the class body `body` (between `[` and `]`) cannot match a line
 * feed: a negated class names `\n` or `\s`; any other holds no control
 * character, no escape but punctuation and {@link CLASS_ESCAPES}, and no
 * range from below a line feed to above it (`\t-~`).
 */
function classHoldsNoLineFeed(body: string): boolean {
  const negated = body.startsWith("^");
  // Element codes in order (-1 for a class escape), and where a raw "-" stood between two of them.
  const codes: number[] = [];
  const dashAfter = new Set<number>();
  for (let k = negated ? 1 : 0; k < body.length; k++) {
    const c = body[k]!;
    if (c === "\\") {
      const next = body[k + 1] ?? "";
      k++;
      if (next === "n" || next === "s") {
        if (negated) return true;
        return false;
      }
      if (escapedLiteral(next)) codes.push(next.charCodeAt(0));
      else if (next in CLASS_ESCAPES) codes.push(CLASS_ESCAPES[next]!);
      else return false;
    } else if (c.charCodeAt(0) < 32) return false;
    else if (c === "-" && codes.length > 0 && k + 1 < body.length) dashAfter.add(codes.length - 1);
    else codes.push(c.charCodeAt(0));
  }
  if (negated) return false;
  for (const i of dashAfter) {
    const lo = codes[i]!;
    const hi = codes[i + 1];
    if (hi !== undefined && lo >= 0 && lo <= 10 && hi >= 10) return false;
  }
  return true;
}

/** Line anchors (see {@link lineAnchors}). */
export interface LineAnchors {
  anchors: string[];
  line: true;
}

/**
 * Anchors of a regex whose every match is one line's start and part of that
 * line: it begins with the line-start assertion, cannot match a line feed
 * ({@link holdsNoLineFeed}), and holds a part that every match has (not
 * optional, at the top level) whose matches start with literals. Every match
 * then begins at the start of a line holding one of those literals, and
 * trying the sticky regex at those line starts finds exactly the global
 * regex's matches (`(?m)^[ \t]*(?:ENV|ARG)…`: the lines holding `env` or
 * `arg`). Undefined when the regex is not of that shape.
 */
export function lineAnchors(source: string, flags: string): LineAnchors | undefined {
  if (!source.startsWith(LINE_START) || !oneBranch(source, flags)) return undefined;
  try {
    if (!holdsNoLineFeed(source, LINE_START.length, source.length)) return undefined;
    for (let i = LINE_START.length; i < source.length; ) {
      const end = itemEnd(source, i);
      if (end < 0) return undefined;
      const optional = optionalAt(source, end);
      let anchors: string[] | undefined;
      if (!optional && source[i] === "(" && !lookaroundAt(source, i)) {
        anchors = prefixesOfSequence(source, i, end, 0);
      } else if (!optional && source[i] !== "(" && source[i] !== "[" && oneChar(source, i) === end) {
        anchors = prefixesOfSequence(source, i, source.length, 0);
      }
      const usable = usableAnchors(anchors);
      if (usable) return { anchors: usable, line: true };
      const q = quantifierOf(source, end);
      if (!q) return undefined;
      i = q.end;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Index just past the item (group, class, escape or character) at `i`, before any quantifier; -1 when unknown. */
function itemEnd(src: string, i: number): number {
  if (src[i] === "(") {
    const e = closingParen(src, i);
    return e < 0 ? -1 : e + 1;
  }
  if (src[i] === "\\") {
    const next = src[i + 1] ?? "";
    return escapedLiteral(next) || SAFE_ESCAPES.includes(next) || "sWDn".includes(next) ? i + 2 : -1;
  }
  if (src[i] === "[") return classEnd(src, i);
  return "|)".includes(src[i]!) ? -1 : i + 1;
}

/** Anchors a bounded distance after a character every match begins with (see {@link beforeAnchors}). */
export interface BeforeAnchors {
  anchors: string[];
  /** The character (code) every match begins with. */
  char: number;
  /** Most characters from that character to where an anchor starts. */
  within: number;
}

/** Most characters `src[from..to)` can match, or undefined when unbounded or not understood. */
function widthOfSequence(src: string, from: number, to: number, depth: number): number | undefined {
  let width = 0;
  for (let i = from; i < to; ) {
    const item = itemWidth(src, i, to, depth);
    if (!item) return undefined;
    const q = quantifierOf(src, item.end);
    if (!q || q.max === Infinity) return undefined;
    width += item.width * q.max;
    i = q.end;
  }
  return width;
}

/** The item at `i`: where it ends (before a quantifier) and the most characters it matches; undefined when not understood. */
function itemWidth(src: string, i: number, to: number, depth: number): { end: number; width: number } | undefined {
  const c = src[i]!;
  if (c === "(") {
    const e = closingParen(src, i);
    if (e < 0 || e >= to || depth > 8) return undefined;
    if (lookaroundAt(src, i)) return { end: e + 1, width: 0 };
    const inner = groupBodyStart(src, i, e);
    if (inner === undefined) return undefined;
    const alts = alternatives(src, inner, e);
    if (!alts) return undefined;
    let most = 0;
    for (const [a, b] of alts) {
      const w = widthOfSequence(src, a, b, depth + 1);
      if (w === undefined) return undefined;
      most = Math.max(most, w);
    }
    return { end: e + 1, width: most };
  }
  if (c === "[") {
    const e = classEnd(src, i);
    return e < 0 || e > to ? undefined : { end: e, width: 1 };
  }
  if (c === "\\") {
    const next = src[i + 1] ?? "";
    if (next === "b" || next === "B") return { end: i + 2, width: 0 };
    return escapedLiteral(next) || "wWdDsStrnfv".includes(next) ? { end: i + 2, width: 1 } : undefined;
  }
  if (c === "^" || c === "$") return { end: i + 1, width: 0 };
  if (c === "." || !SYNTAX.includes(c)) return { end: i + 1, width: 1 };
  return undefined;
}

/** {@link beforeAnchors} of the sequence `src[from..to)`. */
function beforeOfSequence(src: string, from: number, to: number, depth: number): BeforeAnchors | undefined {
  if (depth > 8) return undefined;
  const i = skipAssertions(src, from, to);
  if (i === undefined || i >= to) return undefined;
  if (src[i] === "(") {
    // A group every match starts with: each of its branches must be read so (what follows it is not needed).
    const g = groupAt(src, i, to);
    if (!g || quantifierAt(src, g.close + 1)) return undefined;
    const alts = alternatives(src, g.body, g.close);
    if (!alts) return undefined;
    let out: BeforeAnchors | undefined;
    for (const [a, b] of alts) {
      const r = beforeOfSequence(src, a, b, depth + 1);
      if (!r || (out && out.char !== r.char)) return undefined;
      out = out ? { anchors: [...new Set([...out.anchors, ...r.anchors])], char: r.char, within: Math.max(out.within, r.within) } : r;
    }
    return out;
  }
  // One punctuation character, required and not repeated (no case to fold).
  let char: number;
  let k: number;
  if (src[i] === "\\" && escapedLiteral(src[i + 1] ?? "")) {
    char = src.charCodeAt(i + 1);
    k = i + 2;
  } else if (!SYNTAX.includes(src[i]!) && /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(src[i]!)) {
    char = src.charCodeAt(i);
    k = i + 1;
  } else return undefined;
  if (quantifierAt(src, k)) return undefined;
  // Then bounded items; the last unquantified group whose branches all start with literals gives the anchors.
  let offset = 1;
  let found: BeforeAnchors | undefined;
  while (k < to) {
    const item = itemWidth(src, k, to, depth);
    if (!item) break;
    const q = quantifierOf(src, item.end);
    if (src[k] === "(" && q && q.end === item.end && !lookaroundAt(src, k)) {
      const inner = groupBodyStart(src, k, item.end - 1);
      const anchors = usableAnchors(inner !== undefined ? prefixesOfAlternation(src, inner, item.end - 1, depth + 1) : undefined);
      if (anchors) found = { anchors, char, within: offset };
      // Past a capture comes the secret and what closes it (`</password>`): anchors there are farther away.
      if (src[k + 1] !== "?" || src.startsWith("(?<", k)) break;
    }
    if (!q || q.max === Infinity) break;
    offset += item.width * q.max;
    k = q.end;
  }
  return found;
}

/**
 * Anchors of a regex whose every match begins with one punctuation
 * character (`<`) and holds, a bounded distance after it, a group whose
 * branches all start with literals (generic-secret-xml's
 * `<[a-z0-9_.:-]{0,30}(?:password|…)`: at most 67 characters on). Every match
 * then begins at that character at most `within` characters before where an
 * anchor stands, and trying the sticky regex at those characters finds
 * exactly the global regex's matches. Of several such groups the last one
 * up to the first capture is taken (earlier ones are tag and attribute
 * names, `add`, `key`, `name`: common words; after a capture come the secret
 * and a closing tag, farther away). Undefined when the regex is not of that shape (or one of
 * the other readings reads it).
 */
export function beforeAnchors(source: string, flags: string): BeforeAnchors | undefined {
  if (!oneBranch(source, flags)) return undefined;
  try {
    return beforeOfSequence(source, 0, source.length, 0);
  } catch {
    return undefined;
  }
}

/** Anchors a fixed number of characters into every match (see {@link offsetAnchors}). */
export interface OffsetAnchors {
  anchors: string[];
  /** Characters every match holds before where an anchor starts. */
  offset: number;
}

/** {@link offsetAnchors} of the sequence `src[from..to)`, which `offset` characters of the match come before. */
function offsetOfSequence(src: string, from: number, to: number, offset: number, depth: number): OffsetAnchors | undefined {
  if (depth > 8) return undefined;
  for (let i = from; ; ) {
    const at = skipAssertions(src, i, to);
    if (at === undefined || at >= to) return undefined;
    i = at;
    if (src[i] === "(") {
      // A group every match goes through once, of one branch: read on inside it (what follows it is not needed).
      const g = groupAt(src, i, to);
      if (!g || quantifierAt(src, g.close + 1) || alternatives(src, g.body, g.close)?.length !== 1) return undefined;
      return offsetOfSequence(src, g.body, g.close, offset, depth + 1);
    }
    if (offset > 0) {
      const anchors = usableAnchors(prefixesOfSequence(src, i, to, depth));
      if (anchors) return { anchors, offset };
    }
    // One character (a literal, an escaped punctuation mark, a class), repeated a fixed number of times.
    const end = oneChar(src, i);
    const q = end < 0 ? undefined : quantifierOf(src, end);
    if (!q || q.min !== q.max) return undefined;
    offset += q.min;
    i = q.end;
  }
}

/**
 * Anchors of a regex whose every match holds a fixed number of characters
 * before a literal (azure-devops-pat's `\b([A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})\b`:
 * `azdo` 76 characters in), each one class or character repeated an exact
 * number of times. Every match then begins exactly `offset` characters
 * before where an anchor stands, and trying the sticky regex there finds
 * exactly the global regex's matches (where such a rule ran over the whole
 * text wherever its keyword stood, in a Polish "gniazdo" too). Undefined
 * when the regex is not of that shape (or one of the other readings reads it).
 */
export function offsetAnchors(source: string, flags: string): OffsetAnchors | undefined {
  if (!oneBranch(source, flags)) return undefined;
  try {
    return offsetOfSequence(source, 0, source.length, 0, 0);
  } catch {
    return undefined;
  }
}

/**
 * A regex's anchors as the engine uses them: the literals every match
 * starts with ({@link startAnchors}), or without those, the literals every
 * match has one character in ({@link leadAnchors}), or the literals the line
 * every match begins holds ({@link lineAnchors}), or the literals a bounded
 * distance after its first character ({@link beforeAnchors}), or a fixed
 * number of characters into it ({@link offsetAnchors}). The build stores
 * these; a config's own rule gets them when compiled.
 */
export function regexAnchors(source: string, flags: string): { anchors?: string[]; lead?: LeadAnchors; line?: LineAnchors; before?: BeforeAnchors; offset?: OffsetAnchors } {
  const anchors = startAnchors(source, flags);
  if (anchors) return { anchors };
  const lead = leadAnchors(source, flags);
  if (lead) return { lead };
  const line = lineAnchors(source, flags);
  if (line) return { line };
  const before = beforeAnchors(source, flags);
  if (before) return { before };
  const offset = offsetAnchors(source, flags);
  return offset ? { offset } : {};
}
