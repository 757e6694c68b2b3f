/**
 * Looking inside archives: zip (and jar, war, docx… — anything with the zip
 * signature), tar, gzip and tar.gz. Pure bytes in, entries out; nothing is
 * written to disk, so a `../` entry name is only a label.
 *
 * Bounded on every axis, so a zip bomb costs at most the limits: nesting
 * depth, entries per archive, bytes per entry and total bytes per top-level
 * archive. Inflating uses node:zlib with `maxOutputLength`, which stops
 * inflating as soon as the output would pass the cap. Sizes written in
 * headers are not trusted: one only sizes the output buffer, bounded by the
 * cap and by what deflate can make of the compressed bytes, and a buffer
 * much larger than the output is given back (see {@link inflateCapped}).
 */
import { type ZlibOptions, constants as zlibConstants, gunzipSync, inflateRawSync } from "node:zlib";

/** Limits for looking inside archives. */
export interface ArchiveLimits {
  /** Archive levels opened: 1 = entries of the file itself, 2 = also archives inside it (default 2). */
  maxDepth: number;
  /** Entries looked at per top-level archive, all levels together (default 10 000). */
  maxEntries: number;
  /** Largest uncompressed entry, bytes (default 50 MiB). */
  maxEntryBytes: number;
  /** Uncompressed bytes per top-level archive, all levels together (default 256 MiB). */
  maxTotalBytes: number;
}

/** Default archive limits. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 2,
  maxEntries: 10_000,
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

/** Archive formats recognised. */
export type ArchiveKind = "zip" | "tar" | "gzip";

/** Reports from {@link expandArchive}: a file inside, a skipped entry, or a warning. */
export interface ArchiveVisitor {
  /** A regular file inside; `path` is `outer!inner` (nested: `a.zip!b.tar!c.txt`). */
  file(path: string, data: Uint8Array): void;
  /** An entry not looked at, with a skip reason (as in ScanStats.skipped). */
  skip(reason: string, path: string, why?: string): void;
}

/** Zip entries skipped without inflating: formats that are binary by definition. */
const BINARY_NAME = /\.(?:class|dex|so|dll|dylib|exe|o|a|png|jpe?g|gif|ico|webp|bmp|woff2?|ttf|otf|eot|mp[34]|ogg|wav|avif)$/i;

const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
const isGzip = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 8;

/** True when a 512-byte tar header's checksum is right (v7 tars have no magic). */
function tarChecksumOk(h: Uint8Array): boolean {
  if (h.length < 512) return false;
  const stored = parseOctal(h, 148, 8);
  if (stored === undefined) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === stored;
}

/** Which archive `buf` is, from its first bytes (and, for old tars, its name), or undefined. */
export function archiveKind(name: string, buf: Uint8Array): ArchiveKind | undefined {
  if (isZip(buf)) return "zip";
  if (isGzip(buf)) return "gzip";
  if (buf.length >= 512 && buf[257] === 0x75 && buf[258] === 0x73 && buf[259] === 0x74 && buf[260] === 0x61 && buf[261] === 0x72 && tarChecksumOk(buf)) return "tar";
  if (/\.tar$/i.test(name) && tarChecksumOk(buf)) return "tar";
  return undefined;
}

/** Thrown internally when a budget runs out; ends the walk of one archive. */
class LimitReached extends Error {}

interface Budget {
  limits: ArchiveLimits;
  entries: number;
  bytes: number;
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Deflate makes at most this many bytes of one compressed byte. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The output buffer for data that says it inflates to `declared` bytes (a
 * zip entry's size, a gzip trailer's): one buffer when that is true, which
 * node hands back as it is, instead of 16 KiB pieces copied together at the
 * end (git/git's 4 MB test pack: half the page faults, a third of the time).
 * One byte more than the output, because node starts a second buffer of the
 * same size when the first is filled exactly. Only a size: never more output
 * than `cap`, and a false size costs at most what deflate could make of the
 * compressed bytes, for the time of one inflate (see {@link inflateCapped}).
 */
export function outputChunk(declared: number | undefined, compressed: number, cap: number): number | undefined {
  if (declared === undefined || declared <= zlibConstants.Z_DEFAULT_CHUNK) return undefined;
  return Math.max(zlibConstants.Z_DEFAULT_CHUNK, Math.min(declared + 1, cap + 1, compressed * MAX_DEFLATE_RATIO));
}

/** A node:zlib one-shot inflater (inflateRawSync or gunzipSync). */
export type Inflate = (data: Uint8Array, options: ZlibOptions) => Buffer;

const INFLATE: Record<"raw" | "gzip", Inflate> = { raw: inflateRawSync, gzip: gunzipSync };

/**
 * Inflates raw deflate or gzip, never past `cap` bytes; undefined when it
 * would. `declared`: the size the archive gives, which sizes the output
 * buffer (see {@link outputChunk}). node returns a view into that buffer
 * when the output fits, so a small output in a large buffer is copied out
 * (an archive's entries are all held until scanned: 300 small entries
 * declaring 4 GB each held 11.7 GB). When the buffer of the declared size
 * cannot be had (a RangeError other than the cap's), the data is inflated
 * again in pieces: a false size must not turn into "too large".
 * `inflate`: the zlib call, for tests.
 */
export function inflateCapped(kind: "raw" | "gzip", data: Uint8Array, cap: number, declared?: number, inflate: Inflate = INFLATE[kind]): Buffer | undefined {
  const chunkSize = outputChunk(declared, data.length, cap);
  const maxOutputLength = Math.max(1, cap);
  let out: Buffer;
  try {
    out = inflate(data, chunkSize !== undefined ? { maxOutputLength, chunkSize } : { maxOutputLength });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    if (chunkSize === undefined || (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return undefined;
    try {
      out = inflate(data, { maxOutputLength });
    } catch (again) {
      if (again instanceof RangeError) return undefined;
      throw again;
    }
  }
  return out.buffer.byteLength - out.length > zlibConstants.Z_DEFAULT_CHUNK ? Buffer.from(out) : out;
}

/** The room left for one entry: the smaller of the per-entry and the total budget. */
function room(b: Budget): number {
  return Math.min(b.limits.maxEntryBytes, b.limits.maxTotalBytes - b.bytes);
}

/** Counts one entry against the budget; throws LimitReached past the entry limit. */
function countEntry(b: Budget, v: ArchiveVisitor, path: string): void {
  if (++b.entries > b.limits.maxEntries) {
    v.skip("archive-limit", path, `more than ${b.limits.maxEntries} entries; the rest is not scanned`);
    throw new LimitReached();
  }
}

/** Hands an entry's bytes on: into a nested archive when it is one and depth allows, else as a file. */
function deliver(path: string, name: string, data: Uint8Array, depth: number, b: Budget, v: ArchiveVisitor): void {
  b.bytes += data.length;
  const kind = archiveKind(name, data);
  if (kind === undefined) return v.file(path, data);
  if (depth >= b.limits.maxDepth) return v.skip("archive-depth", path, `archive nested deeper than ${b.limits.maxDepth} levels; not opened`);
  walk(kind, path, name, data, depth + 1, b, v);
}

function walkZip(path: string, buf: Uint8Array, depth: number, b: Budget, v: ArchiveVisitor): void {
  // End of central directory: 22 bytes plus a comment of up to 64 KiB, searched backwards.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf[i] === 0x50 && buf[i + 1] === 0x4b && buf[i + 2] === 5 && buf[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return v.skip("archive-corrupt", path, "zip: no central directory");
  const count = u16(buf, eocd + 10);
  let p = u32(buf, eocd + 16);
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || u32(buf, p) !== 0x02014b50) return v.skip("archive-corrupt", path, "zip: damaged central directory");
    const flags = u16(buf, p + 8);
    const method = u16(buf, p + 10);
    const csize = u32(buf, p + 20);
    const usize = u32(buf, p + 24);
    const nameLen = u16(buf, p + 28);
    const extraLen = u16(buf, p + 30);
    const commentLen = u16(buf, p + 32);
    const local = u32(buf, p + 42);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    const name = (flags & 0x800 ? utf8 : latin1).decode(rawName);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith("/")) continue; // a folder
    const inner = `${path}!${name}`;
    countEntry(b, v, inner);
    // Compiled code and media inside jars and wheels: not worth inflating to find NULs.
    if (BINARY_NAME.test(name)) {
      v.skip("binary", inner);
      continue;
    }
    if (flags & 1) {
      v.skip("encrypted", inner);
      continue;
    }
    if (csize === 0xffffffff || local === 0xffffffff) {
      v.skip("archive-unsupported", inner, "zip64 entry");
      continue;
    }
    if (local + 30 > buf.length || u32(buf, local) !== 0x04034b50) {
      v.skip("archive-corrupt", inner, "zip: damaged local header");
      continue;
    }
    const start = local + 30 + u16(buf, local + 26) + u16(buf, local + 28);
    const data = buf.subarray(start, Math.min(buf.length, start + csize));
    const cap = room(b);
    let out: Uint8Array | undefined;
    if (method === 0) out = data.length <= cap ? data : undefined;
    else if (method === 8) {
      try {
        out = inflateCapped("raw", data, cap, usize);
      } catch {
        v.skip("archive-corrupt", inner, "cannot inflate");
        continue;
      }
    } else {
      v.skip("archive-unsupported", inner, `compression method ${method}`);
      continue;
    }
    if (out === undefined) {
      // Past the total budget: stop here. Past only the per-entry cap: skip this one entry.
      if (cap < b.limits.maxEntryBytes) {
        v.skip("archive-limit", inner, `archive holds more than ${b.limits.maxTotalBytes} bytes uncompressed; the rest is not scanned`);
        throw new LimitReached();
      }
      v.skip("too-large", inner, `larger than ${b.limits.maxEntryBytes} bytes uncompressed`);
      continue;
    }
    deliver(inner, name, out, depth, b, v);
  }
}

function parseOctal(h: Uint8Array, off: number, len: number): number | undefined {
  // GNU base-256 for large sizes: high bit of the first byte set.
  if (h[off]! & 0x80) {
    let n = h[off]! & 0x7f;
    for (let i = 1; i < len; i++) n = n * 256 + h[off + i]!;
    return n;
  }
  const s = latin1.decode(h.subarray(off, off + len)).replace(/[\0 ]+$/, "").replace(/^[\0 ]+/, "");
  if (s === "") return 0;
  if (!/^[0-7]{1,22}$/.test(s)) return undefined;
  return parseInt(s, 8);
}

function cString(h: Uint8Array, off: number, len: number): string {
  const end = h.subarray(off, off + len).indexOf(0);
  return utf8.decode(h.subarray(off, end < 0 ? off + len : off + end));
}

/** The `path=` record of a pax extended header, if any. */
function paxPath(data: Uint8Array): string | undefined {
  const text = utf8.decode(data);
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(" ", i);
    if (sp < 0) break;
    const len = Number(text.slice(i, sp));
    if (!Number.isInteger(len) || len <= 0) break;
    const rec = text.slice(sp + 1, i + len - 1); // without the trailing newline
    if (rec.startsWith("path=")) return rec.slice(5);
    i += len;
  }
  return undefined;
}

function walkTar(path: string, buf: Uint8Array, depth: number, b: Budget, v: ArchiveVisitor): void {
  let p = 0;
  let longName: string | undefined;
  while (p + 512 <= buf.length) {
    const h = buf.subarray(p, p + 512);
    if (h.every((x) => x === 0)) break; // end of archive
    if (!tarChecksumOk(h)) return v.skip("archive-corrupt", path, "tar: bad header checksum");
    const size = parseOctal(h, 124, 12);
    if (size === undefined) return v.skip("archive-corrupt", path, "tar: bad size field");
    const type = String.fromCharCode(h[156]!);
    const start = p + 512;
    const data = buf.subarray(start, Math.min(buf.length, start + size));
    p = start + Math.ceil(size / 512) * 512;
    if (type === "L" || type === "x") {
      longName = type === "L" ? cString(data, 0, data.length) : (paxPath(data) ?? longName);
      continue;
    }
    if (type === "g") continue; // pax global header
    const prefix = h[257] === 0x75 ? cString(h, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100));
    longName = undefined;
    if (type !== "0" && type !== "\0" && type !== "7") continue; // folders, links, devices
    const inner = `${path}!${name}`;
    countEntry(b, v, inner);
    if (size > room(b)) {
      if (size > b.limits.maxEntryBytes) {
        v.skip("too-large", inner, `larger than ${b.limits.maxEntryBytes} bytes`);
        continue;
      }
      v.skip("archive-limit", inner, `archive holds more than ${b.limits.maxTotalBytes} bytes uncompressed; the rest is not scanned`);
      throw new LimitReached();
    }
    deliver(inner, name, data, depth, b, v);
  }
}

function walk(kind: ArchiveKind, path: string, name: string, buf: Uint8Array, depth: number, b: Budget, v: ArchiveVisitor): void {
  if (kind === "zip") return walkZip(path, buf, depth, b, v);
  if (kind === "tar") return walkTar(path, buf, depth, b, v);
  // gzip: one stream; a .tar.gz opens as its tar on the same level, so `a.tgz!dir/file`.
  const cap = room(b);
  let out: Buffer | undefined;
  try {
    // The trailer's size (modulo 2^32) of a one-member gzip.
    out = inflateCapped("gzip", buf, cap, buf.length >= 18 ? u32(buf, buf.length - 4) : undefined);
  } catch {
    return v.skip("archive-corrupt", path, "gzip: cannot inflate");
  }
  if (out === undefined) return v.skip("too-large", path, `more than ${cap} bytes uncompressed`);
  const innerName = /\.t(ar\.)?gz$/i.test(name) ? name.replace(/\.t(?:ar\.)?gz$/i, ".tar") : name.replace(/\.gz$/i, "");
  if (archiveKind(innerName, out) === "tar") return walkTar(path, out, depth, b, v);
  const base = innerName.slice(innerName.lastIndexOf("/") + 1) || "data";
  const inner = `${path}!${base}`;
  countEntry(b, v, inner);
  deliver(inner, base, out, depth, b, v);
}

/**
 * Walks the archive `buf` (named `path`, kind from {@link archiveKind}) and
 * reports every regular file inside through `visit`, nested archives opened
 * up to `limits.maxDepth`. Never throws for a damaged or hostile archive: a
 * problem becomes a `skip` report.
 */
export function expandArchive(kind: ArchiveKind, path: string, buf: Uint8Array, visit: ArchiveVisitor, limits: Partial<ArchiveLimits> = {}): void {
  const b: Budget = { limits: { ...DEFAULT_ARCHIVE_LIMITS, ...limits }, entries: 0, bytes: 0 };
  if (b.limits.maxDepth < 1) return visit.skip("archive", path, "archives are not opened");
  try {
    walk(kind, path, path, buf, 1, b, visit);
  } catch (e) {
    if (e instanceof LimitReached) return;
    throw e;
  }
}
