/**
 * One file of the tree to scannable text (I/O edge), synchronously: the same
 * code runs in the scanning thread for small scans and in the scan pool's
 * workers for large ones, so both give the same answer. A file the listing
 * saw as a regular file costs an open, its reads (the last one finding the
 * end) and a close when it is shorter than {@link FIRST_READ} bytes (most
 * source files); a longer one also an fstat and the reads for the rest. A
 * failed open alone costs an lstat, to say why.
 *
 * The open is non-blocking and does not follow symlinks: a FIFO swapped in
 * after the listing must not block it, and a symlink swapped in must not be
 * followed. A first read that ends before {@link FIRST_READ} bytes has read a
 * regular file whole (the caller's listing said it is one): an fstat per
 * file, with its Stats object, cost about a third of the reading. A first
 * read that fails (a FIFO or socket swapped in: ESPIPE), finds nothing, or
 * fills its bytes, is checked on the open descriptor (type and size), so a
 * FIFO, a device or a file over the size limit is told as before. The first
 * bytes decide "binary" before a longer file is read whole. A longer file is
 * read until a read returns nothing, whatever size the descriptor gave: procfs
 * and some FUSE file systems give less than they hold, and a file may grow
 * while it is read; it is never taken whole from a part.
 */
import { closeSync, constants as fsc, fstatSync, lstatSync, openSync, readSync } from "node:fs";
import type { EngineResult } from "../engine/scan.js";
import type { Fragment } from "../engine/types.js";
import { archiveKind, type ArchiveKind } from "./archive.js";
import { decodeBytes, looksBinary, SNIFF_BYTES, sniffUtf16 } from "./text.js";

/** What became of one file before any rule ran. */
export type FilePrep =
  /** Not a regular file (FIFO, device, socket) when opened. */
  | { kind: "special" }
  | { kind: "too-large"; size: number }
  /** Binary: `bytes` is set when the whole file was read (decoding decided), unset when its head sufficed. */
  | { kind: "binary"; bytes?: number }
  /** Could not be read: `code` is the errno name; `stat` false when even lstat failed. */
  | { kind: "unreadable"; code: string; stat: boolean }
  /** An archive: its bytes, unless the caller does not look inside archives. */
  | { kind: "archive"; archive: ArchiveKind; bytes?: Uint8Array }
  | { kind: "lfs-pointer"; bytes: number }
  /** Text to scan, and the file's size in bytes. */
  | { kind: "text"; text: string; bytes: number };

// Absent flags (Windows) are 0.
const OPEN_FLAGS = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOFOLLOW ?? 0);

const codeOf = (e: unknown): string | undefined => {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
};

/**
 * Why a file could not be opened, told the way the tree walk always told it:
 * a path that cannot even be lstat'ed is "cannot stat"; one over the size
 * limit is too large before it is unreadable.
 */
function openFailure(abs: string, max: number, code: string): FilePrep {
  try {
    const st = lstatSync(abs);
    if (st.size > max) return { kind: "too-large", size: st.size };
  } catch {
    return { kind: "unreadable", code, stat: false };
  }
  return { kind: "unreadable", code, stat: true };
}

/**
 * Bytes read before anything else is known about a file: a file shorter than
 * this needs no fstat (see the module comment). Large enough for nearly every
 * source file, small enough that a large binary file is not read whole
 * before its first bytes are looked at. The price: a binary file at least
 * this long has this much read where {@link SNIFF_BYTES} would tell it (a tree
 * of many large images reads 32 times more of them), against a second read
 * for every text file longer than the sniff.
 */
export const FIRST_READ = 256 * 1024;

/**
 * Reads, sniffs and decodes the file at `abs` (at most `max` bytes), which
 * the caller listed as a regular file. `archives` false: an archive's bytes
 * are not kept. Throws only on a bug; I/O errors come back as `unreadable`.
 */
export function prepareFile(abs: string, max: number, archives = true): FilePrep {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (e) {
    const code = codeOf(e);
    if (code === undefined) throw e;
    return openFailure(abs, max, code);
  }
  try {
    // One buffer reused from file to file: the text is decoded into a string of
    // its own, so the bytes need not outlive this call, and fresh memory for
    // every file cost a page fault per page read (a tenth of a tree scan's reads).
    // One more byte than the limit allows tells a file over it.
    const want = Math.min(FIRST_READ, max + 1);
    let buf = readBuffer(want);
    // Up to `want` bytes or the end, which a read that returns nothing confirms (some file
    // systems, FUSE's direct I/O among them, may read short before the end).
    let got: number;
    try {
      got = readFully(fd, buf, 0, want);
    } catch (e) {
      // A FIFO or socket swapped in after the listing cannot be read at an offset (ESPIPE).
      if (!fstatSync(fd).isFile()) return { kind: "special" };
      throw e;
    }
    let size = got;
    if (got === 0 || got === want) {
      // Empty (or a FIFO), or longer than the first read: the descriptor says what it is.
      const st = fstatSync(fd);
      if (!st.isFile()) return { kind: "special" };
      size = st.size;
      if (size > max) return { kind: "too-large", size };
    }
    const first = buf.subarray(0, Math.min(got, SNIFF_BYTES));
    const archive = archiveKind(abs, buf.subarray(0, got));
    if (archive === undefined && looksBinary(first) && sniffUtf16(first) === undefined) return { kind: "binary" };
    if (archive !== undefined && !archives) return { kind: "archive", archive };
    if (got === want) {
      // To the end, which only a read that returns nothing shows: one byte past the size the
      // descriptor gave tells a file that holds more, read on in larger steps, never past `max`.
      for (let end = Math.min(Math.max(size, got) + 1, max + 1); ; end = Math.min(end * 2, max + 1)) {
        if (buf.length < end) {
          const more = readBuffer(end);
          if (more !== buf) buf.copy(more, 0, 0, got);
          buf = more;
        }
        got = readFully(fd, buf, got, end);
        if (got < end) break;
        if (got > max) return { kind: "too-large", size: Math.max(size, got) };
      }
    }
    const bytes = buf.subarray(0, got);
    // Archives are handed on (and maybe transferred): a buffer of their own, not the reused one (a larger file's already is).
    if (archive !== undefined) return { kind: "archive", archive, bytes: buf === reused ? ownCopy(bytes) : bytes };
    const decoded = decodeBytes(bytes);
    if (decoded.kind === "binary") return { kind: "binary", bytes: got };
    if (decoded.kind === "lfs-pointer") return { kind: "lfs-pointer", bytes: got };
    return { kind: "text", text: decoded.text, bytes: got };
  } catch (e) {
    const code = codeOf(e);
    if (code === undefined) throw e;
    return { kind: "unreadable", code, stat: true };
  } finally {
    closeSync(fd);
  }
}

/** Largest read buffer kept for the next file; a larger file is read into a buffer of its own. */
export const KEPT_READ_BUFFER = 4 * 1024 * 1024;
let reused: Buffer | undefined;

/** A buffer of at least `size` bytes to read a file into: the reused one, grown as needed up to {@link KEPT_READ_BUFFER}. */
function readBuffer(size: number): Buffer {
  if (size > KEPT_READ_BUFFER) return Buffer.allocUnsafeSlow(size);
  if (reused === undefined || reused.length < size) reused = Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024));
  return reused;
}

/** `bytes` copied into a buffer of their own. */
function ownCopy(bytes: Buffer): Buffer {
  const own = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(own);
  return own;
}

/** Reads into `buf` from `from` up to `to` (or end of file, if the file shrank); returns the offset reached. */
function readFully(fd: number, buf: Buffer, from: number, to: number): number {
  let got = from;
  while (got < to) {
    const n = readSync(fd, buf, got, to - got, got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** A file for a scan pool's worker to read and scan: `file` absolute, `path` as findings name it. */
export interface FileJob {
  file: string;
  path: string;
  /** Keep an archive's bytes (to look inside it); see {@link prepareFile}. */
  archives: boolean;
}

/** What became of a file: its preparation, or its scan result. */
export type FileOutcome =
  | Exclude<FilePrep, { kind: "text" }>
  | { kind: "scanned"; bytes: number; result: EngineResult }
  /** The watchdog stopped the scan when its time ran out: nothing is known about the content. */
  | { kind: "timeout"; bytes: number };

/** Reads, decodes and scans one file with `scan` (a worker's whole job for a file). */
export function scanFile(scan: (f: Fragment) => EngineResult, job: FileJob, max: number): FileOutcome {
  const prep = prepareFile(job.file, max, job.archives);
  if (prep.kind !== "text") return prep;
  return { kind: "scanned", bytes: prep.bytes, result: scan({ text: prep.text, path: job.path }) };
}
