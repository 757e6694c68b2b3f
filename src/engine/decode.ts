/**
 * Decoding pass: secrets hidden one or two encodings deep. A {@link Decoder}
 * (see scan.ts), handed to the engine in `EngineOptions.decoders`: every
 * scanner passes `DEFAULT_DECODERS` (passes.ts) unless told otherwise.
 *
 * What it does, in one linear sweep per encoding:
 * - base64 (standard and URL-safe, padded or not): maximal runs of the base64
 *   alphabet, 16..16384 characters, whose length is a possible base64 length;
 * - hex: runs of hex digits of even length >= 32 (an optional `0x` is skipped);
 * - percent-encoding: stretches of URL characters around `%XX` escapes.
 * A segment is decoded only when the result is mostly printable UTF-8 text;
 * the rules then run on the decoded text, and once more on segments found
 * inside it (depth 2). A hit is reported with the span of the OUTERMOST
 * encoded segment in the original text, so the finding points at what is in
 * the file.
 *
 * `encoding` on such a finding names the chain from the outside in, joined by
 * `>`: `"base64"`, `"hex"`, `"percent"`, `"base64>base64"` (base64 whose
 * decoding holds base64 that holds the secret), `"percent>base64"`, …
 *
 * Cost limits, per fragment: segments longer than 16384 characters are skipped
 * (images, fonts, bundles, source maps), as are `data:` URIs of images, fonts,
 * audio and video; at most 2 MiB of decoded text in total.
 *
 * Two more views undo easy disguises of a token in source code, and keep
 * the exact span (line, column, end column) of the original text because
 * every character of the view maps back to where it came from:
 * - `escape`: JSON/JS/C escapes of token characters (`\u0041KIA…`, `\x41…`)
 *   decoded in place;
 * - `concat`: adjacent string literals joined by `+` on one line
 *   (`"ghp_abc" + "def…"`) read as one literal.
 * Both are found by an indexOf scan for their trigger (`\u`, `\x`; for a
 * concat, a `+` that stands in `" + "`, `' + '`, `"+"` or `'+'`), so text
 * without one costs one pass of indexOf per trigger and nothing else.
 *
 * Pure (Buffer and TextDecoder are computations).
 */
import { BASE64_ALPHABET, MIN_BASE64, runEnds, type CharRuns } from "./char-runs.js";
import type { CompiledRuleSet } from "./compile.js";
import { collectMatches, type DecoderContext, type RawMatch } from "./scan.js";

export { MIN_BASE64 };
/** Shortest hex segment worth decoding (16 bytes). */
export const MIN_HEX = 32;
/** Longest encoded segment decoded. */
export const MAX_SEGMENT = 16384;
/** Decoded bytes per fragment, all depths together. */
export const MAX_DECODED_PER_FRAGMENT = 2 * 1024 * 1024;
/** How deep encodings are unwrapped. */
export const MAX_DEPTH = 2;

/** One encoded segment of a text and what it decodes to. */
export interface DecodedSegment {
  start: number;
  end: number;
  encoding: "base64" | "hex" | "percent";
  text: string;
}

// Character classes: 1 = base64 std only (+ /), 2 = base64url only (- _), 3 = both alphabets (alnum).
// Filled from the alphabet's text: a regex tested per code was compiled twice at every start (V8's regex tier-up).
const B64 = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") B64[ch.charCodeAt(0)] = 3;
B64[43] = B64[47] = 1; // + /
B64[45] = B64[95] = 2; // - _
// Base64 digit values (both alphabets), -1 elsewhere.
const B64VAL = new Int8Array(128).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach((ch, v) => (B64VAL[ch.charCodeAt(0)] = v));
B64VAL[45] = 62; // '-'
B64VAL[95] = 63; // '_'

/**
 * Cheap test, without decoding, that base64 `text[i..j)` can hold ASCII text:
 * in every 4-character group the bits that become the top bit of a decoded
 * byte must be 0 (first char < 32, second char bit 3 clear, third char bit 1
 * clear). Random bytes violate in 7 of 8 groups, ASCII text in none; allows half (UTF-8 letters). Looks at 48 groups at most.
 * Long identifiers, paths and binary blobs fail within a few groups.
 */
function mayBeText(text: string, i: number, j: number): boolean {
  let groups = 0;
  let bad = 0;
  for (let k = i; k + 3 < j && groups < 48; k += 4, groups++) {
    const a = B64VAL[text.charCodeAt(k)]!;
    const b = B64VAL[text.charCodeAt(k + 1)]!;
    const c = B64VAL[text.charCodeAt(k + 2)]!;
    if (a >= 32 || (b & 8) !== 0 || (c & 2) !== 0) {
      bad++;
      if (bad * 2 > groups + 4) return false;
    }
  }
  return bad * 2 <= groups + 1 || bad <= 1;
}

/** Cheap test that hex `text[i..j)` can hold ASCII text: looks at 64 bytes at most, allows 1 in 8 others. */
function hexMayBeText(text: string, i: number, j: number): boolean {
  let bad = 0;
  let pairs = 0;
  for (let k = i; k + 1 < j && pairs < 64; k += 2, pairs++) {
    const byte = (hexValue(text.charCodeAt(k)) << 4) | hexValue(text.charCodeAt(k + 1));
    if (!((byte >= 0x20 && byte < 0x7f) || byte === 9 || byte === 10 || byte === 13)) {
      bad++;
      if (bad * 8 > pairs + 8) return false;
    }
  }
  return bad * 8 <= pairs + 1 || bad <= 1;
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** The value of a hex digit's code (callers have checked {@link isHex}). */
const hexValue = (c: number): number => (c <= 57 ? c - 48 : (c | 32) - 87);

/** Made on first use (a decoded run that is not ASCII): the first TextDecoder of a process costs ~0.3 ms. */
let utf8: InstanceType<typeof TextDecoder> | undefined;

/** The text `bytes` hold when it is mostly printable UTF-8, else undefined. */
export function printable(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const ascii = asciiPrintable(bytes);
  if (ascii !== null) return ascii;
  if (!mayBeMostlyLetters(bytes) || !wellFormedUtf8(bytes)) return undefined;
  let text: string;
  try {
    text = (utf8 ??= new TextDecoder("utf-8", { fatal: true })).decode(bytes);
  } catch {
    return undefined;
  }
  let bad = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) bad++;
    else if (c === 0x7f || c === 0xfffd) bad++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) letters++;
  }
  return mostlyText(bad, letters, text.length) ? text : undefined;
}

/**
 * The verdict of {@link printable}: few control characters, and mostly
 * letters and digits (mostly symbols is noise, e.g. decoded binary that
 * happens to be valid UTF-8).
 */
function mostlyText(bad: number, letters: number, n: number): boolean {
  return bad <= n * 0.05 && letters >= n * 0.4;
}

/**
 * False when `bytes`, were they valid UTF-8, could not decode to mostly
 * letters and digits, told from the bytes alone: in valid UTF-8 every ASCII
 * byte is one character and every byte from 0xC0 up starts one (a BOM at the
 * start, which the decoder drops, aside), so the text has at least that many
 * characters, and its letters and digits are exactly the ASCII ones among the
 * bytes. Most segments that get here are base64 of binary data, which fail
 * this without the decoder (and without the exception it throws on them).
 */
function mayBeMostlyLetters(bytes: Uint8Array): boolean {
  let letters = 0;
  let chars = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c < 0x80) {
      chars++;
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) letters++;
    } else if (c >= 0xc0) chars++;
  }
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) chars--;
  return letters >= chars * 0.4;
}

/**
 * True when `bytes` are well-formed UTF-8 (Unicode table 3-7: no overlong
 * form, no surrogate, nothing past U+10FFFF, no cut sequence), exactly when
 * the fatal decoder accepts them; telling it first spares the exception the
 * decoder throws otherwise (tens of microseconds each).
 */
export function wellFormedUtf8(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) more = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      more = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return false;
    if (i + more >= n) return false;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return false;
    for (let k = 2; k <= more; k++) {
      const b = bytes[i + k]!;
      if (b < 0x80 || b > 0xbf) return false;
    }
    i += more + 1;
  }
  return true;
}

/**
 * {@link printable} for bytes that are all ASCII (most decoded segments), judged
 * on the bytes before any string is made: the same verdict, without the
 * UTF-8 decoder. Null when some byte is not ASCII (the caller decodes).
 */
function asciiPrintable(bytes: Uint8Array): string | undefined | null {
  let bad = 0;
  let letters = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return null;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) bad++;
    else if (c === 0x7f) bad++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) letters++;
  }
  return mostlyText(bad, letters, n) ? Buffer.from(bytes.buffer, bytes.byteOffset, n).toString("latin1") : undefined;
}

/** Is `text[start..]` inside a data: URI of a binary media type? Looks back at most 100 characters. */
function inBinaryDataUri(text: string, start: number): boolean {
  const back = text.slice(Math.max(0, start - 100), start);
  return /data:(?:image|font|audio|video|application\/(?:octet-stream|font|x-font|wasm|pdf|zip))[^,;]{0,60}(?:;[^,;]{0,40}){0,3};base64,$/i.test(back);
}

function decodeBase64Run(run: string, urlSafe: boolean): string | undefined {
  let body = run;
  let pad = 0;
  while (body.endsWith("=")) {
    body = body.slice(0, -1);
    pad++;
  }
  if (body.length % 4 === 1) return undefined;
  if (pad > 0 && (body.length + pad) % 4 !== 0) return undefined;
  const bytes = Buffer.from(body, urlSafe ? "base64url" : "base64");
  return printable(bytes);
}

/**
 * Finds the encoded segments of `text` that decode to printable text. Linear:
 * every character is classified at most once; decoding is bounded by `budget`.
 * `runs`, when given, must be the maximal runs of the base64/hex alphabet at
 * least {@link MIN_BASE64} long in `text` (the keyword pass lists them: see
 * char-runs.ts), which spares reading the text for them.
 */
export function findEncodedSegments(text: string, budget: { bytes: number }, runs?: CharRuns): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  base64AndHexSegments(text, budget, out, runs);
  percentSegments(text, budget, out);
  return out;
}

/** Is `c` a character of the base64/hex union alphabet (the one the keyword pass lists runs of)? */
const inAlphabet = (c: number): boolean => c < 128 && BASE64_ALPHABET[c] === 1;

/**
 * base64 and hex: maximal runs of the union alphabet (see {@link alphabetRuns}),
 * then the few of them that may hold text (see {@link worthDecoding}), then
 * those decoded in order while the budget lasts. Three steps, not one loop:
 * each step's loop stays small, so the optimizing compiler compiles it once,
 * cheaply, instead of recompiling one loop with all of the decoding inlined
 * each time a rare decoding branch is first taken (a large share of a file
 * scan's start-up, paid again by every worker thread).
 */
function base64AndHexSegments(
  text: string,
  budget: { bytes: number },
  out: DecodedSegment[],
  listed: CharRuns | undefined,
): void {
  let worth: number[];
  if (listed) worth = worthDecoding(text, listed.starts, runEnds(text, listed));
  else {
    const runs = alphabetRuns(text);
    worth = worthDecoding(text, runs.starts, runs.ends);
  }
  for (let w = 0; w < worth.length && budget.bytes > 0; w += 3) decodeRun(text, worth[w]!, worth[w + 1]!, worth[w + 2]!, budget, out);
}

/** What {@link worthDecoding} found a run to be. */
const HEX = 0;
const BASE64 = 1;
const BASE64URL = 2;

/**
 * The maximal runs of the base64/hex union alphabet at least MIN_BASE64
 * characters long: where each starts and ends. Such a run covers every window
 * of MIN_BASE64 characters it starts in: so look at the window's last
 * character first, and when it is not in the alphabet skip the whole window
 * unread. (A text's own runs come from the keyword pass: this is for the
 * decoded views, and for callers that scan without it.)
 */
function alphabetRuns(text: string): { starts: number[]; ends: Int32Array } {
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    // Invariant: no run of the alphabet starting before i reaches i.
    const p = i + MIN_BASE64 - 1;
    if (p >= n) break;
    if (!inAlphabet(text.charCodeAt(p))) {
      i = p + 1;
      continue;
    }
    let start = p;
    while (start > i && inAlphabet(text.charCodeAt(start - 1))) start--;
    let j = p + 1;
    while (j < n && inAlphabet(text.charCodeAt(j))) j++;
    if (j - start < MIN_BASE64) {
      i = j;
      continue;
    }
    starts.push(start);
    ends.push(j);
    i = j;
  }
  // A typed array, as runEnds gives: worthDecoding handed both kinds was compiled for the first it met and deoptimized at the other.
  return { starts, ends: new Int32Array(ends) };
}

/**
 * The runs (from {@link alphabetRuns}, or the keyword pass) that may hold
 * text, each taken with its `=` padding (at most two), as flat triples:
 * start, end, and {@link HEX}, {@link BASE64} or {@link BASE64URL}.
 * The cheap tests come first: most runs are identifiers (`get_oid_with_context`),
 * which the first character that is no hex digit and then {@link mayBeText}
 * turn away unread. Nothing is decoded here.
 */
function worthDecoding(text: string, starts: readonly number[], ends: Int32Array): number[] {
  const worth: number[] = [];
  const n = text.length;
  for (let r = 0; r < starts.length; r++) {
    const i = starts[r]!;
    const j = ends[r]!;
    let end = j;
    while (end < n && end - j < 2 && text.charCodeAt(end) === 61) end++; // '=' padding
    if (end - i > MAX_SEGMENT) continue;
    // Past an "0x". Every operation here runs for every run: one reached only after a "0" had
    // no type feedback when this loop was compiled, and a scan's first "0x" deoptimized it.
    const zero = text.charCodeAt(i) === 48;
    const x = (text.charCodeAt(i + 1) | 32) === 120;
    const hexStart = i + (zero && x ? 2 : 0);
    let hexOk = true;
    for (let k = hexStart; k < j; k++) {
      if (!isHex(text.charCodeAt(k))) {
        hexOk = false;
        break;
      }
    }
    // Hex digits (and an 0x) belong to both base64 alphabets: a hex run is never one of mixed alphabets.
    if (hexOk && j - hexStart >= MIN_HEX && (j - hexStart) % 2 === 0 && end === j) {
      if (hexMayBeText(text, hexStart, j)) worth.push(hexStart, j, HEX);
    } else if (!hexOk && mayBeText(text, i, j) && !inBinaryDataUri(text, i)) {
      let kinds = 0;
      for (let k = i; k < j && kinds !== 3; k++) {
        const d = B64[text.charCodeAt(k)]!;
        kinds |= d === 3 ? 0 : d;
      }
      // Both alphabets' extra characters (kinds 3): neither encoding.
      if (kinds !== 3) worth.push(i, end, kinds === 2 ? BASE64URL : BASE64);
    }
  }
  return worth;
}

/** Decodes `text[start..end)` (a run {@link worthDecoding} kept) and keeps it when it is text; counts the decoded bytes against `budget`. */
function decodeRun(text: string, start: number, end: number, kind: number, budget: { bytes: number }, out: DecodedSegment[]): void {
  if (kind === HEX) {
    const bytes = Buffer.from(text.slice(start, end), "hex");
    budget.bytes -= bytes.length;
    const t = printable(bytes);
    if (t !== undefined) out.push({ start, end, encoding: "hex", text: t });
  } else {
    const run = text.slice(start, end);
    budget.bytes -= (run.length * 3) >> 2;
    const t = decodeBase64Run(run, kind === BASE64URL);
    if (t !== undefined) out.push({ start, end, encoding: "base64", text: t });
  }
}

/** percent-encoding: expand around each %XX over URL characters. */
function percentSegments(text: string, budget: { bytes: number }, out: DecodedSegment[]): void {
  const n = text.length;
  let from = 0;
  while (budget.bytes > 0) {
    const p = text.indexOf("%", from);
    if (p < 0 || p + 2 >= n) break;
    if (!isHex(text.charCodeAt(p + 1)) || !isHex(text.charCodeAt(p + 2))) {
      from = p + 1;
      continue;
    }
    let s = p;
    while (s > 0 && p - s < 512 && isUrlChar(text.charCodeAt(s - 1))) s--;
    let e = p;
    let escapes = 0;
    while (e < n && e - p < MAX_SEGMENT && isUrlChar(text.charCodeAt(e))) {
      if (text.charCodeAt(e) === 37) escapes++;
      e++;
    }
    from = e > p ? e : p + 1;
    if (e - s < MIN_BASE64 || escapes === 0) continue;
    const seg = text.slice(s, e);
    let dec: string;
    try {
      dec = decodeURIComponent(seg.replace(/\+/g, " "));
    } catch {
      continue;
    }
    budget.bytes -= dec.length;
    if (dec !== seg) out.push({ start: s, end: e, encoding: "percent", text: dec });
  }
}

/** URL characters that can surround a percent escape (no quotes, spaces, brackets). */
function isUrlChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
    c === 37 || c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 58 ||
    c === 64 || c === 61 || c === 38 || c === 63 || c === 59 || c === 44 || c === 33 || c === 42
  );
}

/** Characters a token is made of; an escape decoding to one of them may be a disguise. */
const isTokenChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 43 || c === 47 || c === 61 || c === 46 || c === 58;

/** Raw text kept before a decoded run, so that key-name rules (`password = "…"`) still see their key. */
const VIEW_CONTEXT = 80;
/** Longest run of escapes and token characters, or of joined literals, that is decoded. */
const MAX_VIEW_RUN = 1024;
/** Shortest decoded run worth scanning (shorter than any token). */
const MIN_VIEW_RUN = 8;
/** Longest single string literal joined by the concat view. */
const MAX_LITERAL = 300;

/**
 * A view of part of a text with every character mapped back to its place:
 * view character `i` came from `text[starts[i]..ends[i])`.
 */
export interface MappedView {
  encoding: "escape" | "concat";
  text: string;
  starts: number[];
  ends: number[];
  /** View characters before this index are raw context, not decoded. */
  decodedFrom: number;
}

/** Builds a {@link MappedView} piece by piece. */
class ViewBuilder {
  chars: string[] = [];
  starts: number[] = [];
  ends: number[] = [];
  push(ch: string, start: number, end: number): void {
    this.chars.push(ch);
    this.starts.push(start);
    this.ends.push(end);
  }
  raw(text: string, from: number, to: number): void {
    for (let k = from; k < to; k++) this.push(text[k]!, k, k + 1);
  }
  done(encoding: MappedView["encoding"], decodedFrom: number): MappedView {
    return { encoding, text: this.chars.join(""), starts: this.starts, ends: this.ends, decodedFrom };
  }
}

/** Start of the line holding `text[i]`, but at most {@link VIEW_CONTEXT} characters back. */
function contextStart(text: string, i: number): number {
  const nl = text.lastIndexOf("\n", i - 1);
  return Math.max(nl + 1, i - VIEW_CONTEXT);
}

/** The escape at `text[i]` (`\uXXXX`, `\u{X…}`, `\xXX`) when it decodes to a token character: [char code, length]. */
function tokenEscapeAt(text: string, i: number): [number, number] | undefined {
  if (text.charCodeAt(i) !== 92) return undefined;
  const kind = text.charCodeAt(i + 1);
  let hex: string;
  let len: number;
  if (kind === 117 /* u */ && text.charCodeAt(i + 2) === 123 /* { */) {
    const close = text.indexOf("}", i + 3);
    if (close < 0 || close - i > 10) return undefined;
    hex = text.slice(i + 3, close);
    len = close + 1 - i;
  } else if (kind === 117) {
    hex = text.slice(i + 2, i + 6);
    len = 6;
  } else if (kind === 120 /* x */) {
    hex = text.slice(i + 2, i + 4);
    len = 4;
  } else return undefined;
  if (hex.length === 0 || hex.length > 6) return undefined;
  for (let k = 0; k < hex.length; k++) if (!isHex(hex.charCodeAt(k))) return undefined;
  if (kind === 117 && text.charCodeAt(i + 2) !== 123 && hex.length !== 4) return undefined;
  if (kind === 120 && hex.length !== 2) return undefined;
  const code = parseInt(hex, 16);
  return isTokenChar(code) ? [code, len] : undefined;
}

/** Next index of `\u` or `\x` at or after `from`, or -1. */
function nextEscape(text: string, from: number): number {
  const u = text.indexOf("\\u", from);
  const x = text.indexOf("\\x", from);
  return u < 0 ? x : x < 0 ? u : Math.min(u, x);
}

/**
 * Views of `text` with escaped token characters decoded: each maximal run of
 * token characters and escapes holding at least one escape of a token
 * character, plus the raw line context before it and two characters after it.
 */
export function findEscapeViews(text: string): MappedView[] {
  const out: MappedView[] = [];
  let from = 0;
  for (let p = nextEscape(text, from); p >= 0; p = nextEscape(text, from)) {
    if (!tokenEscapeAt(text, p)) {
      from = p + 2;
      continue;
    }
    let runStart = p;
    while (runStart > 0 && p - runStart < MAX_VIEW_RUN && isTokenChar(text.charCodeAt(runStart - 1))) runStart--;
    const ctx = contextStart(text, runStart);
    const b = new ViewBuilder();
    b.raw(text, ctx, runStart);
    const decodedFrom = b.chars.length;
    b.raw(text, runStart, p);
    let k = p;
    while (k < text.length && k - runStart < MAX_VIEW_RUN) {
      const esc = tokenEscapeAt(text, k);
      if (esc) {
        b.push(String.fromCharCode(esc[0]), k, k + esc[1]);
        k += esc[1];
      } else if (isTokenChar(text.charCodeAt(k))) {
        b.push(text[k]!, k, k + 1);
        k++;
      } else break;
    }
    from = k > p ? k : p + 2;
    if (b.chars.length - decodedFrom < MIN_VIEW_RUN) continue;
    b.raw(text, k, Math.min(text.length, k + 2));
    out.push(b.done("escape", decodedFrom));
  }
  return out;
}

/** Index of the closing quote of the literal opened at `open`, on the same line; -1 if none near. */
function closingQuote(text: string, open: number): number {
  const q = text.charCodeAt(open);
  for (let k = open + 1; k < text.length && k - open <= MAX_LITERAL; k++) {
    const c = text.charCodeAt(k);
    if (c === 92) k++;
    else if (c === q) return k;
    else if (c === 10 || c === 13) return -1;
  }
  return -1;
}

/** Index of the opening quote of the literal closed at `close`, on the same line; -1 if none near. */
function openingQuote(text: string, close: number): number {
  const q = text.charCodeAt(close);
  for (let k = close - 1; k >= 0 && close - k <= MAX_LITERAL; k--) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return -1;
    if (c === q && text.charCodeAt(k - 1) !== 92) return k;
  }
  return -1;
}

/** After the literal closed at `close`: the opening quote of the next literal joined by `+`, or -1. */
function joinedNext(text: string, close: number): number {
  let k = close + 1;
  while (text.charCodeAt(k) === 32) k++;
  if (text.charCodeAt(k) !== 43) return -1;
  k++;
  while (text.charCodeAt(k) === 32) k++;
  const c = text.charCodeAt(k);
  return c === 34 || c === 39 ? k : -1;
}

/**
 * Where the first of the concat view's triggers (`" + "`, `' + '`, `"+"`,
 * `'+'`) at or after `from` starts, or -1. One search for `+` and a look at
 * its neighbours, instead of one search of the whole text per trigger: the
 * first `+` that is part of a trigger gives the first trigger (a trigger
 * starts one or two characters before its `+`, and two triggers cannot
 * start at one place).
 */
export function nextConcatTrigger(text: string, from: number): number {
  for (let q = text.indexOf("+", from + 1); q >= 0; q = text.indexOf("+", q + 1)) {
    const before = text.charCodeAt(q - 1);
    if (before === 32) {
      const quote = text.charCodeAt(q - 2);
      if ((quote === 34 || quote === 39) && q - 2 >= from && text.charCodeAt(q + 1) === 32 && text.charCodeAt(q + 2) === quote) return q - 2;
    } else if ((before === 34 || before === 39) && q - 1 >= from && text.charCodeAt(q + 1) === before) return q - 1;
  }
  return -1;
}

/**
 * Views of `text` where adjacent string literals joined by `+` on one line
 * are read as one literal: the raw line context, the opening quote, the joined
 * contents, the closing quote.
 */
export function findConcatViews(text: string): MappedView[] {
  const out: MappedView[] = [];
  let from = 0;
  for (;;) {
    const p = nextConcatTrigger(text, from);
    if (p < 0) break;
    const open = openingQuote(text, p);
    if (open < 0) {
      from = p + 1;
      continue;
    }
    const literals: Array<[number, number]> = [[open, p]];
    let close = p;
    for (let o = joinedNext(text, close); o >= 0 && literals.length < 64; o = joinedNext(text, close)) {
      const c = closingQuote(text, o);
      if (c < 0) break;
      literals.push([o, c]);
      close = c;
    }
    from = close + 1;
    if (literals.length < 2) continue;
    const b = new ViewBuilder();
    b.raw(text, contextStart(text, open), open + 1);
    const decodedFrom = b.chars.length;
    for (const [o, c] of literals) b.raw(text, o + 1, c);
    if (b.chars.length - decodedFrom < MIN_VIEW_RUN || b.chars.length - decodedFrom > MAX_VIEW_RUN) continue;
    b.raw(text, close, close + 1);
    out.push(b.done("concat", decodedFrom));
  }
  return out;
}

/** Runs the rules on mapped views and reports hits that touch decoded characters, with their exact original span. */
function scanMappedViews(
  rs: CompiledRuleSet,
  views: readonly MappedView[],
  path: string,
  emit: (m: RawMatch, spanStart: number, spanEnd: number, encoding: string) => void,
): void {
  for (const v of views) {
    collectMatches(rs, v.text, path, (m) => {
      if (m.secretEnd <= v.decodedFrom) return;
      emit(m, v.starts[m.secretStart]!, v.ends[m.secretEnd - 1]!, v.encoding);
    });
  }
}

/**
 * Runs the rules on the decoded views of `text` and reports each hit with the
 * span of the outermost encoded segment. Exported for tests.
 */
export function decodePass(
  rs: CompiledRuleSet,
  text: string,
  path: string,
  emit: (m: RawMatch, spanStart: number, spanEnd: number, encoding: string) => void,
  context?: DecoderContext,
): void {
  if (text.length < MIN_BASE64) return;
  const budget = { bytes: MAX_DECODED_PER_FRAGMENT };
  const walk = (view: string, depth: number, outer: { start: number; end: number } | undefined, chain: string): void => {
    // The keyword pass listed the runs of the text itself (not of a decoded view).
    for (const seg of findEncodedSegments(view, budget, depth === 1 ? context?.base64Runs : undefined)) {
      const span = outer ?? { start: seg.start, end: seg.end };
      const enc = chain ? `${chain}>${seg.encoding}` : seg.encoding;
      collectMatches(rs, seg.text, path, (m) => emit(m, span.start, span.end, enc));
      if (depth < MAX_DEPTH && budget.bytes > 0) walk(seg.text, depth + 1, span, enc);
    }
  };
  walk(text, 1, undefined, "");
  if (text.includes("\\")) scanMappedViews(rs, findEscapeViews(text), path, emit);
  scanMappedViews(rs, findConcatViews(text), path, emit);
}
