/**
 * The built-in rules' keyword automaton, stored by the build in
 * `dist/keywords.bin` (I/O edge). Building the automaton is the largest
 * start-up cost of a scan, and the pre-commit hook pays start-up on every
 * commit; reading the stored tables costs a file read.
 *
 * Layout, little-endian: "LGKW", u32 version, u32 header length, the header
 * (JSON: the keywords joined by NULs, their count, width, states) padded to 4 bytes, then the Int32 arrays
 * delta, own, dict, nextSame, then the bytes classOf and hasOutput.
 */
import { closeSync, fstatSync, openSync, read, readFileSync, readSync, writeFileSync } from "node:fs";
import { aligned4, opensWith } from "./stored-binary.js";
import type { KeywordTables } from "../engine/ahocorasick.js";

const MAGIC = "LGKW";
// 2: delta holds complemented targets for states with output (see ahocorasick.ts).
// 3: the keywords as one string joined by NULs, compared whole (a JSON array of ~1,100
// short strings made V8 intern each on every hook run).
const VERSION = 3;
const STORED = new URL("../keywords.bin", import.meta.url);

interface Header {
  /** The keywords joined by NULs (none holds one) and their count. */
  keywords: string;
  count: number;
  width: number;
  states: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** Serialises an automaton's tables for `keywords`. */
export function encodeKeywordTables(keywords: readonly string[], t: KeywordTables): Buffer {
  if (keywords.some((k) => k.includes("\0"))) throw new Error("keyword tables: a keyword holds a NUL");
  const header = Buffer.from(JSON.stringify({ keywords: keywords.join("\0"), count: keywords.length, width: t.width, states: t.own.length } satisfies Header));
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
  if (!opensWith(bytes, MAGIC, VERSION, 12)) return undefined;
  const hlen = bytes.readUInt32LE(8);
  if (12 + hlen > bytes.length) return undefined;
  let h: Header;
  try {
    h = JSON.parse(bytes.toString("utf8", 12, 12 + hlen)) as Header;
  } catch {
    return undefined;
  }
  // The stored list holds no NUL: the same count and the same joined text mean the same keywords, in order.
  if (typeof h.keywords !== "string" || h.count !== keywords.length || h.keywords !== keywords.join("\0")) return undefined;
  const n = h.states;
  const sizes = [n * h.width, n, n, keywords.length];
  const need = pad4(12 + hlen) + sizes.reduce((a, b) => a + b * 4, 0) + 128 + n;
  if (!Number.isInteger(n) || !Number.isInteger(h.width) || bytes.length !== need) return undefined;
  const buf = aligned4(bytes);
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
/** Memory offered by {@link lendReadBuffer}, until a read of the stored automaton takes it. */
let lent: Buffer | undefined;

/**
 * Offers `buf`, whose bytes its owner no longer needs, for the stored
 * automaton's read to take instead of fresh memory when it is large enough:
 * bin/leakguard.js reads the program's source and then its code cache into one
 * buffer of the automaton's size, so the pages those reads touched are not
 * touched anew (here every page first touched costs a page fault, ~12-15 µs;
 * about 200 fewer a hook run).
 */
export function lendReadBuffer(buf: Buffer): void {
  lent = buf;
}

/** `size` bytes to read the stored automaton into: the lent buffer's first ones when it holds as many, else fresh memory. */
function readBuffer(size: number): Buffer {
  const buf = lent !== undefined && lent.length >= size ? lent.subarray(0, size) : Buffer.allocUnsafe(size);
  lent = undefined;
  return buf;
}
/** True while {@link prefetchKeywordTables}' read is under way. */
let prefetching = false;

/**
 * Starts reading the stored automaton on libuv's thread pool, so that
 * {@link builtinKeywordTables} finds it read: the pre-commit hook calls this
 * once it has started git, and the 1.4 MB (~345 pages first touched, ~5 ms
 * here) are copied on another thread while this one compiles the rules. One
 * read of the whole file (readFile reads in chunks, each waiting for this
 * thread's event loop). Any failure leaves the synchronous read to answer.
 * Resolves when the read is over (callers need not wait).
 */
export function prefetchKeywordTables(): Promise<void> {
  if (stored !== undefined || prefetching) return Promise.resolve();
  let fd: number;
  try {
    fd = openSync(STORED, "r");
  } catch {
    return Promise.resolve();
  }
  let buf: Buffer;
  try {
    buf = readBuffer(fstatSync(fd).size);
  } catch {
    closeSync(fd);
    return Promise.resolve();
  }
  prefetching = true;
  return new Promise((done) => {
    read(fd, buf, 0, buf.length, 0, (err, n) => {
      prefetching = false;
      try {
        closeSync(fd);
      } catch {
        // Nothing to do: the bytes are read.
      }
      if (!err && n === buf.length && stored === undefined) stored = buf;
      done();
    });
  });
}

/** The stored automaton's bytes, read now (into the lent buffer when there is one). */
function readStoredSync(): Buffer {
  if (lent === undefined) return readFileSync(STORED);
  const fd = openSync(STORED, "r");
  try {
    const buf = readBuffer(fstatSync(fd).size);
    let got = 0;
    for (let n; got < buf.length && (n = readSync(fd, buf, got, buf.length - got, null)) > 0; ) got += n;
    if (got !== buf.length) throw new Error("keywords.bin changed while being read");
    return buf;
  } finally {
    closeSync(fd);
  }
}

/**
 * The stored built-in automaton when `keywords` are exactly its keywords;
 * undefined otherwise (custom rules, a source checkout without a build).
 */
export function builtinKeywordTables(keywords: readonly string[]): KeywordTables | undefined {
  if (stored === undefined) {
    try {
      stored = readStoredSync();
    } catch {
      stored = null;
    }
  }
  return stored ? decodeKeywordTables(stored, keywords) : undefined;
}
