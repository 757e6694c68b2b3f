/**
 * Bytes to scannable text. Decides from the first bytes whether content is
 * binary, decodes UTF-8 (invalid sequences become U+FFFD, one per bad byte
 * sequence, so lines stay right), strips a UTF-8 BOM, and decodes UTF-16 LE/BE
 * with a BOM, or without one when the first bytes look like it (a NUL in
 * nearly every other byte). Pure.
 *
 * Columns: findings count UTF-16 code units of the decoded text. A BOM is
 * not part of the text, so column 1 is the first character after it; an
 * invalid UTF-8 sequence counts as one column (one U+FFFD).
 */

/** Bytes looked at to decide "binary". */
export const SNIFF_BYTES = 8000;

/** What a buffer turned into. */
export type DecodedText =
  | { kind: "text"; text: string; encoding: "utf-8" | "utf-16le" | "utf-16be" }
  | { kind: "binary" }
  | { kind: "lfs-pointer"; text: string };

const LFS_HEAD = "version https://git-lfs.github.com/spec/v1";
const utf16le = new TextDecoder("utf-16le");
const utf16be = new TextDecoder("utf-16be");
const utf8 = new TextDecoder("utf-8");

/** True when the first bytes hold a NUL (and no UTF-16 BOM). */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, SNIFF_BYTES);
  if (n >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return false;
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
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

/** Decodes a buffer for scanning. */
export function decodeBytes(buf: Uint8Array): DecodedText {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { kind: "text", text: utf16le.decode(buf.subarray(2)), encoding: "utf-16le" };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { kind: "text", text: utf16be.decode(buf.subarray(2)), encoding: "utf-16be" };
  if (looksBinary(buf)) {
    const guess = sniffUtf16(buf);
    if (guess === undefined) return { kind: "binary" };
    return { kind: "text", text: (guess === "utf-16le" ? utf16le : utf16be).decode(buf), encoding: guess };
  }
  let body = buf;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) body = buf.subarray(3);
  const text = utf8.decode(body);
  if (text.length < 200 && text.startsWith(LFS_HEAD)) return { kind: "lfs-pointer", text };
  return { kind: "text", text, encoding: "utf-8" };
}
