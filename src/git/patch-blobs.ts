/**
 * Blob contents read out of a patch (pure: no I/O). The pre-commit hook asks
 * one git process for the staged change: `git diff-index --raw -p` with a
 * context longer than any file it shows whole, so each text file's hunk holds
 * every line of both versions, and both blobs follow from it byte for byte.
 * That spares the hook a second process (`cat-file`) on most commits.
 *
 * Only what the patch shows completely is taken: one hunk starting at the
 * first line (or an empty side), lines counted as its header says, the
 * `\ No newline at end of file` marks applied. Binary files (git's verdict,
 * or larger than git's big-file threshold), pure renames, mode changes and
 * anything unexpected give nothing, and the caller reads those blobs from
 * git as before.
 */
import { isNullOid } from "./oid.js";

/** The empty blob's id per object format: a file that is empty has no hunk. */
const EMPTY_BLOBS = new Set(["e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813"]);

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const INDEX = /^index ([0-9a-f]{40,64})\.\.([0-9a-f]{40,64})(?: ([0-7]{6}))?$/;
const GITLINK = "160000";

/**
 * Splits `git diff-index -z --raw -p` output: the NUL-separated raw records
 * (as `parseRawZ` reads them), then the patch after the NUL that ends them.
 * The patch is undefined when there is none.
 */
export function splitRawAndPatch(out: Buffer): { raw: string; patch: Buffer | undefined } {
  // Walk the records: ":<modes> <oids> <status>\0<path>\0", and a second path for renames and copies.
  let at = 0;
  while (at < out.length && out[at] === 0x3a /* : */) {
    const head = out.indexOf(0, at);
    if (head < 0) return { raw: out.toString("utf8"), patch: undefined };
    const status = out.toString("latin1", at, head).split(" ").pop() ?? "";
    let end = head;
    for (let p = /^[RC]/.test(status) ? 2 : 1; p > 0 && end >= 0; p--) end = out.indexOf(0, end + 1);
    if (end < 0) return { raw: out.toString("utf8"), patch: undefined };
    at = end + 1;
  }
  const raw = out.toString("utf8", 0, at);
  // git ends the raw part with one more NUL before the patch.
  const rest = out[at] === 0 ? at + 1 : at;
  return { raw, patch: rest < out.length ? out.subarray(rest) : undefined };
}

/** One file's section of the patch while it is read. */
interface Section {
  oldOid?: string;
  newOid?: string;
  hunks: number;
  /** Binary, several hunks, a malformed line: nothing of it is taken. */
  unusable: boolean;
  old?: Side;
  neu?: Side;
}

/**
 * The lines of one side of a hunk, as [start, end) offsets of the patch (its
 * bytes, and the latin1 text read from them: one character per byte); `eol`
 * false when the last one has no newline. Offsets, not a string or buffer
 * per line: the hook's patch has thousands of lines, read before the code is
 * warm, and each object is garbage to collect.
 */
interface Side {
  ranges: number[];
  eol: boolean;
}

/** Reads the patch line by line: each line is [start, end) of the text, without its newline. */
class Lines {
  at = 0;
  start = 0;
  end = 0;
  constructor(readonly text: string) {}
  next(): boolean {
    if (this.at >= this.text.length) return false;
    const nl = this.text.indexOf("\n", this.at);
    this.start = this.at;
    this.end = nl < 0 ? this.text.length : nl;
    this.at = this.end + 1;
    return true;
  }
  /** The first characters of the line (enough for any header git writes). */
  head(): string {
    return this.text.slice(this.start, Math.min(this.end, this.start + 200));
  }
}

/**
 * A side's content: its lines with their newlines (each line in the patch is
 * followed by one), moved together in a copy of the hunk, then copied into a
 * buffer that owns its memory (as cat-file's reader gives).
 */
function contentOf(patch: Buffer, s: Side): Buffer {
  const r = s.ranges;
  if (r.length === 0) return Buffer.alloc(0);
  const base = r[0]!;
  const work = Buffer.from(patch.subarray(base, r[r.length - 1]! + 1));
  let size = 0;
  for (let i = 0; i < r.length; i += 2) {
    work.copyWithin(size, r[i]! - base, r[i + 1]! + 1 - base);
    size += r[i + 1]! + 1 - r[i]!;
  }
  if (!s.eol) size--;
  const out = Buffer.from(new ArrayBuffer(size));
  out.set(work.subarray(0, size));
  return out;
}

/**
 * The blobs whose whole content `patch` shows, by object id. The patch must
 * come from `git diff -p --full-index` with a context of at least as many
 * lines as any text file it shows (see the module header).
 */
export function blobsFromPatch(patch: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  const lines = new Lines(patch.toString("latin1"));
  let section: Section | undefined;
  const finish = (): void => {
    const s = section;
    section = undefined;
    if (!s || s.unusable || s.oldOid === undefined || s.newOid === undefined) return;
    for (const [oid, side] of [
      [s.oldOid, s.old],
      [s.newOid, s.neu],
    ] as const) {
      if (isNullOid(oid)) continue;
      if (s.hunks === 0) {
        // No hunk: an empty file added or deleted (a non-empty one always has a hunk).
        if (EMPTY_BLOBS.has(oid)) blobs.set(oid, Buffer.alloc(0));
      } else if (side) blobs.set(oid, contentOf(patch, side));
    }
  };
  while (lines.next()) {
    const text = lines.head();
    if (text.startsWith("diff --git ")) {
      finish();
      section = { hunks: 0, unusable: false };
      continue;
    }
    if (!section || section.unusable) continue;
    if (text.startsWith("@@ ")) {
      const m = HUNK.exec(text);
      section.hunks++;
      if (!m || section.hunks > 1) {
        section.unusable = true;
        continue;
      }
      const oldCount = m[2] === undefined ? 1 : Number(m[2]);
      const newCount = m[4] === undefined ? 1 : Number(m[4]);
      // The whole of each side: from its first line, or empty.
      if ((oldCount > 0 && m[1] !== "1") || (newCount > 0 && m[3] !== "1")) {
        section.unusable = true;
        continue;
      }
      if (!readHunk(section, oldCount, newCount, lines)) section.unusable = true;
      continue;
    }
    if (section.hunks > 0) {
      // Anything after the hunk but the next section is unexpected.
      section.unusable = true;
      continue;
    }
    const index = INDEX.exec(text);
    if (index) {
      section.oldOid = index[1]!;
      section.newOid = index[2]!;
      if (index[3] === GITLINK) section.unusable = true;
    } else if (text.startsWith("Binary files ") || text.startsWith("GIT binary patch") || (/mode \d{6}$/.test(text) && text.endsWith(GITLINK))) {
      // A submodule's "content" is its commit id, not a blob.
      section.unusable = true;
    }
  }
  finish();
  return blobs;
}

/**
 * Reads one hunk's lines into `s.old` and `s.neu`; false when the lines do
 * not fit the counts of its header.
 */
function readHunk(s: Section, oldLeft: number, newLeft: number, lines: Lines): boolean {
  const old: Side = { ranges: [], eol: true };
  const neu: Side = { ranges: [], eol: true };
  const text = lines.text;
  while (oldLeft > 0 || newLeft > 0) {
    // Every line git writes ends with a newline (contentOf keeps it).
    if (!lines.next() || lines.end >= text.length) return false;
    // An empty line is an empty context line (diff.suppressBlankEmpty drops its space).
    const empty = lines.end === lines.start;
    const c = empty ? 0x20 : text.charCodeAt(lines.start);
    const from = empty ? lines.start : lines.start + 1;
    let inOld = false;
    let inNew = false;
    if (c === 0x20 /* space */) {
      if (oldLeft === 0 || newLeft === 0) return false;
      oldLeft--;
      newLeft--;
      inOld = inNew = true;
    } else if (c === 0x2d /* - */) {
      if (oldLeft === 0) return false;
      oldLeft--;
      inOld = true;
    } else if (c === 0x2b /* + */) {
      if (newLeft === 0) return false;
      newLeft--;
      inNew = true;
    } else {
      return false;
    }
    if (inOld) old.ranges.push(from, lines.end);
    if (inNew) neu.ranges.push(from, lines.end);
    // "\ No newline at end of file" follows the last line of a side.
    if (text.charCodeAt(lines.at) === 0x5c /* \ */) {
      lines.next();
      if (inOld) old.eol = false;
      if (inNew) neu.eol = false;
    }
  }
  s.old = old;
  s.neu = neu;
  return true;
}
