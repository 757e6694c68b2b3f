/**
 * Bytes to scannable text: the one decoder every source uses (files, stdin,
 * archive entries, staged and pushed blobs, history blobs). Decides from the
 * first bytes whether content is binary, decodes UTF-8 (invalid sequences
 * become U+FFFD, one per bad byte sequence, so lines stay right), strips a
 * UTF-8 BOM, and decodes UTF-16 LE/BE on evidence only: a BOM followed by
 * valid UTF-16 that holds ASCII-range characters (a NUL high byte), or, without
 * a BOM, a NUL in nearly every other byte. Two leading bytes FF FE or FE FF
 * alone never turn a file into UTF-16: an ASCII file starting with them is
 * scanned as UTF-8 (with those two bytes as U+FFFD each), so its secrets are
 * still found. Pure.
 *
 * Columns: findings count UTF-16 code units of the decoded text. A BOM is
 * not part of the text, so column 1 is the first character after it; an
 * invalid UTF-8 sequence (also a stray FF FE that is no BOM) counts as one
 * column per U+FFFD.
 */
import { isAscii, isUtf8 } from "node:buffer";

/** Bytes looked at to decide "binary". */
export const SNIFF_BYTES = 8000;

/** What a buffer turned into. */
export type DecodedText =
  | { kind: "text"; text: string; encoding: "utf-8" | "utf-16le" | "utf-16be" }
  | { kind: "binary" }
  | { kind: "lfs-pointer"; text: string };

const LFS_HEAD = "version https://git-lfs.github.com/spec/v1";
// Made on first use: ASCII and valid UTF-8 (nearly every text) need none, and the first
// TextDecoder a process makes costs ~0.3 ms (the hook pays start-up on every commit).
let utf16le: InstanceType<typeof TextDecoder> | undefined;
let utf16be: InstanceType<typeof TextDecoder> | undefined;
let utf8: InstanceType<typeof TextDecoder> | undefined;
let utf16leStrict: InstanceType<typeof TextDecoder> | undefined;
let utf16beStrict: InstanceType<typeof TextDecoder> | undefined;

/** True when the first bytes hold a NUL. */
function hasNul(buf: Uint8Array): boolean {
  // Buffer's indexOf is memchr: a typed array's read ~1-2 ns a byte (~7 µs a blob of history), and
  // a byte loop here ran in the interpreter on every short scan (the hook).
  return Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, SNIFF_BYTES)).indexOf(0) !== -1;
}

/**
 * True when the first bytes hold a NUL and no UTF-16 BOM (a quick look at a
 * file's head before reading it all; {@link decodeBytes} has the last word).
 */
export function looksBinary(buf: Uint8Array): boolean {
  return utf16Bom(buf) === undefined && hasNul(buf);
}

/**
 * UTF-16 without a BOM, guessed from the first bytes: text in a Latin script
 * has a NUL as the high byte of (nearly) every character, so NULs sit at odd
 * offsets (LE) or even offsets (BE) and almost never at the other ones.
 */
export function sniffUtf16(buf: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(buf.length, SNIFF_BYTES) & ~1;
  if (n < 8) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) even++;
    if (buf[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  // A pair of NULs is "U+0000", which no text holds; a real UTF-16 text has almost none.
  if (odd >= pairs * 0.7 && even <= pairs * 0.02) return "utf-16le";
  if (even >= pairs * 0.7 && odd <= pairs * 0.02) return "utf-16be";
  return undefined;
}

/** The UTF-16 byte order a BOM names, if the buffer starts with one. */
function utf16Bom(buf: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (buf.length < 2) return undefined;
  if (buf[0] === 0xff && buf[1] === 0xfe) return "utf-16le";
  if (buf[0] === 0xfe && buf[1] === 0xff) return "utf-16be";
  return undefined;
}

/**
 * `body` (after a BOM) decoded as UTF-16 when it really is UTF-16: an even
 * length, no unpaired surrogate, and in the first bytes some characters of
 * the ASCII/Latin-1 range (high byte NUL: newlines, spaces, and every
 * character a secret is made of) but hardly any U+0000. ASCII text read as
 * UTF-16 has no NUL byte at all, so it fails here; a UTF-16 text without a
 * single ASCII-range character cannot hold a secret either way.
 */
function strictUtf16(body: Uint8Array, order: "utf-16le" | "utf-16be"): string | undefined {
  if (body.length % 2 !== 0) return undefined;
  const n = Math.min(body.length, SNIFF_BYTES) & ~1;
  const hi = order === "utf-16le" ? 1 : 0;
  let latin = 0;
  let nul = 0;
  for (let i = 0; i < n; i += 2) {
    if (body[i + hi] !== 0) continue;
    if (body[i + 1 - hi] === 0) nul++;
    else latin++;
  }
  const units = n / 2;
  if (units > 0 && (latin === 0 || latin < units * 0.01 || nul > units * 0.02)) return undefined;
  try {
    const strict = order === "utf-16le" ? (utf16leStrict ??= new TextDecoder("utf-16le", { fatal: true })) : (utf16beStrict ??= new TextDecoder("utf-16be", { fatal: true }));
    return strict.decode(body);
  } catch {
    return undefined; // an unpaired surrogate: not UTF-16 text
  }
}

/**
 * UTF-8 bytes as text. ASCII (most source files) is copied byte for byte
 * (latin1: the same string, without the UTF-8 decoder's work); other valid
 * UTF-8 goes through Buffer's decoder, about a quarter cheaper than
 * TextDecoder; anything else through TextDecoder, whose replacement of
 * invalid bytes is the reference.
 */
export function utf8Text(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buf)) return buf.toString("latin1");
  if (!isUtf8(buf)) return (utf8 ??= new TextDecoder("utf-8")).decode(bytes);
  return buf.toString("utf8");
}

/** Decodes a buffer for scanning. */
export function decodeBytes(buf: Uint8Array): DecodedText {
  const bom = utf16Bom(buf);
  if (bom) {
    const text = strictUtf16(buf.subarray(2), bom);
    if (text !== undefined) return { kind: "text", text, encoding: bom };
    // Not UTF-16 after all: the two bytes are content; fall through to the byte view.
  }
  if (hasNul(buf)) {
    const guess = sniffUtf16(buf);
    if (guess === undefined) return { kind: "binary" };
    return { kind: "text", text: (guess === "utf-16le" ? (utf16le ??= new TextDecoder("utf-16le")) : (utf16be ??= new TextDecoder("utf-16be"))).decode(buf), encoding: guess };
  }
  let body = buf;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) body = buf.subarray(3);
  const text = utf8Text(body);
  if (text.length < 200 && text.startsWith(LFS_HEAD)) return { kind: "lfs-pointer", text };
  return { kind: "text", text, encoding: "utf-8" };
}

/** Below this many bytes a UTF-8 body is decoded to tell an LFS pointer (under 200 characters) from text. */
const LFS_MAX_BYTES = 1024;

/**
 * The bytes {@link decodeBytes} would decode as UTF-8 text (after a UTF-8
 * BOM), told without decoding them (but for short ones, which could be an
 * LFS pointer); undefined for anything else (binary, UTF-16, a pointer), for
 * which decodeBytes decides. Its text is `utf8Text(body)`.
 */
export function utf8Body(buf: Uint8Array): Uint8Array | undefined {
  if (utf16Bom(buf) !== undefined || hasNul(buf)) return undefined;
  const body = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  if (body.length < LFS_MAX_BYTES) {
    const text = utf8Text(body);
    if (text.length < 200 && text.startsWith(LFS_HEAD)) return undefined;
  }
  return body;
}
