/**
 * The built-in rules' keyword automaton, stored by the build in
 * `dist/keywords.bin` (I/O edge). Building the automaton is the largest
 * start-up cost of a scan, and the pre-commit hook pays start-up on every
 * commit; reading the stored tables costs a file read.
 *
 * Layout, little-endian: "LGKW", u32 version, u32 header length, the header
 * (JSON: keywords, width, states) padded to 4 bytes, then the Int32 arrays
 * delta, own, dict, nextSame, then the bytes classOf and hasOutput.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { endianness } from "node:os";
import type { KeywordTables, SparseKeywordTables } from "../engine/ahocorasick.js";

const MAGIC = "LGKW";
// 2: delta holds complemented targets for states with output (see ahocorasick.ts).
const VERSION = 2;
const STORED = new URL("../keywords.bin", import.meta.url);

interface Header {
  keywords: readonly string[];
  width: number;
  states: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** Serialises an automaton's tables for `keywords`. */
export function encodeKeywordTables(keywords: readonly string[], t: KeywordTables): Buffer {
  const header = Buffer.from(JSON.stringify({ keywords, width: t.width, states: t.own.length } satisfies Header));
  const headLen = pad4(12 + header.length);
  const ints = [t.delta, t.own, t.dict, t.nextSame];
  const intBytes = ints.reduce((n, a) => n + a.length * 4, 0);
  const out = Buffer.alloc(headLen + intBytes + t.classOf.length + t.hasOutput.length);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  let at = headLen;
  for (const a of ints) {
    for (let i = 0; i < a.length; i++, at += 4) out.writeInt32LE(a[i]!, at);
  }
  out.set(t.classOf, at);
  out.set(t.hasOutput, at + t.classOf.length);
  return out;
}

/**
 * Reads tables back; undefined when `bytes` is not a stored automaton for
 * exactly `keywords` (in order). Shapes are checked again by the automaton.
 */
export function decodeKeywordTables(bytes: Buffer, keywords: readonly string[]): KeywordTables | undefined {
  if (endianness() !== "LE" || bytes.length < 12 || bytes.toString("latin1", 0, 4) !== MAGIC || bytes.readUInt32LE(4) !== VERSION) return undefined;
  const hlen = bytes.readUInt32LE(8);
  if (12 + hlen > bytes.length) return undefined;
  let h: Header;
  try {
    h = JSON.parse(bytes.toString("utf8", 12, 12 + hlen)) as Header;
  } catch {
    return undefined;
  }
  if (!Array.isArray(h.keywords) || h.keywords.length !== keywords.length || h.keywords.some((k, i) => k !== keywords[i])) return undefined;
  const n = h.states;
  const sizes = [n * h.width, n, n, keywords.length];
  const need = pad4(12 + hlen) + sizes.reduce((a, b) => a + b * 4, 0) + 128 + n;
  if (!Number.isInteger(n) || !Number.isInteger(h.width) || bytes.length !== need) return undefined;
  // Int32Array views need 4-byte alignment within the underlying buffer.
  const buf = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  let at = buf.byteOffset + pad4(12 + hlen);
  const ints = sizes.map((len) => {
    const a = new Int32Array(buf.buffer, at, len);
    at += len * 4;
    return a;
  });
  const classOf = new Uint8Array(buf.buffer, at, 128);
  const hasOutput = new Uint8Array(buf.buffer, at + 128, n);
  return { width: h.width, delta: ints[0]!, own: ints[1]!, dict: ints[2]!, nextSame: ints[3]!, classOf, hasOutput };
}

/** Writes the stored automaton (the build). */
export function writeKeywordTables(file: URL | string, keywords: readonly string[], t: KeywordTables): void {
  writeFileSync(file, encodeKeywordTables(keywords, t));
}

let stored: Buffer | null | undefined;

/**
 * The stored built-in automaton when `keywords` are exactly its keywords;
 * undefined otherwise (custom rules, a source checkout without a build).
 */
export function builtinKeywordTables(keywords: readonly string[]): KeywordTables | undefined {
  if (stored === undefined) {
    try {
      stored = readFileSync(STORED);
    } catch {
      stored = null;
    }
  }
  return stored ? decodeKeywordTables(stored, keywords) : undefined;
}

/*
 * The built-in automaton's sparse form (`dist/keywords-sparse.bin`,
 * engine/ahocorasick.ts SparseKeywordTables): what the pre-commit hook reads
 * instead of the dense tables (~150 KB instead of 1.4 MB). Layout,
 * little-endian: "LGKS", u32 version, u32 header length, the header (JSON:
 * keywords, states) padded to 4 bytes, then the Int32 arrays first, edgeTo,
 * fail, own, dict, nextSame, then the bytes edgeChar and hasOutput.
 */
const SPARSE_MAGIC = "LGKS";
const SPARSE_VERSION = 1;
const STORED_SPARSE = new URL("../keywords-sparse.bin", import.meta.url);

/** Serialises the sparse form of an automaton for `keywords`. */
export function encodeSparseKeywordTables(keywords: readonly string[], t: SparseKeywordTables): Buffer {
  const header = Buffer.from(JSON.stringify({ keywords, states: t.own.length }));
  const headLen = pad4(12 + header.length);
  const ints = [t.first, t.edgeTo, t.fail, t.own, t.dict, t.nextSame];
  const out = Buffer.alloc(headLen + ints.reduce((n, a) => n + a.length * 4, 0) + t.edgeChar.length + t.hasOutput.length);
  out.write(SPARSE_MAGIC, 0, "latin1");
  out.writeUInt32LE(SPARSE_VERSION, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  let at = headLen;
  for (const a of ints) {
    for (let i = 0; i < a.length; i++, at += 4) out.writeInt32LE(a[i]!, at);
  }
  out.set(t.edgeChar, at);
  out.set(t.hasOutput, at + t.edgeChar.length);
  return out;
}

/**
 * Reads the sparse form back; undefined when `bytes` is not one stored for
 * exactly `keywords` (in order). Shapes are checked again by the matcher.
 */
export function decodeSparseKeywordTables(bytes: Buffer, keywords: readonly string[]): SparseKeywordTables | undefined {
  if (endianness() !== "LE" || bytes.length < 12 || bytes.toString("latin1", 0, 4) !== SPARSE_MAGIC || bytes.readUInt32LE(4) !== SPARSE_VERSION) return undefined;
  const hlen = bytes.readUInt32LE(8);
  if (12 + hlen > bytes.length) return undefined;
  let h: { keywords?: unknown; states?: unknown };
  try {
    h = JSON.parse(bytes.toString("latin1", 12, 12 + hlen)) as typeof h;
  } catch {
    return undefined;
  }
  const list = h.keywords;
  if (!Array.isArray(list) || list.length !== keywords.length) return undefined;
  for (let i = 0; i < list.length; i++) if (list[i] !== keywords[i]) return undefined;
  const n = h.states;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return undefined;
  // A trie of n states has n - 1 edges.
  const sizes = [n + 1, n - 1, n, n, n, keywords.length];
  if (bytes.length !== pad4(12 + hlen) + sizes.reduce((a, b) => a + b * 4, 0) + (n - 1) + n) return undefined;
  const buf = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  let at = buf.byteOffset + pad4(12 + hlen);
  const [first, edgeTo, fail, own, dict, nextSame] = sizes.map((len) => {
    const a = new Int32Array(buf.buffer, at, len);
    at += len * 4;
    return a;
  });
  const edgeChar = new Uint8Array(buf.buffer, at, n - 1);
  const hasOutput = new Uint8Array(buf.buffer, at + n - 1, n);
  return { first: first!, edgeTo: edgeTo!, fail: fail!, own: own!, dict: dict!, nextSame: nextSame!, edgeChar, hasOutput };
}

/** Writes the stored sparse form (the build). */
export function writeSparseKeywordTables(file: URL | string, keywords: readonly string[], t: SparseKeywordTables): void {
  writeFileSync(file, encodeSparseKeywordTables(keywords, t));
}

/**
 * The stored built-in automaton's sparse form when `keywords` are exactly
 * its keywords; undefined otherwise (custom rules, a source checkout, a
 * damaged file).
 */
export function builtinSparseKeywordTables(keywords: readonly string[]): SparseKeywordTables | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(STORED_SPARSE);
  } catch {
    return undefined;
  }
  return decodeSparseKeywordTables(bytes, keywords);
}
