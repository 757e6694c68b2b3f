/**
 * Scanning a set of changed paths (I/O edge): the shared step of `staged`
 * (index vs HEAD) and `push` (each commit vs its parent; a merge vs each of
 * its parents). For each change it reads the new blob (and the old one, or
 * ones, when there are), skips
 * what holds no text (binary, symlink target, submodule, LFS pointer, too
 * large) with a count, and scans the new text keeping only findings that
 * touch an added line (Fragment.lineRanges), unless `allLines`. A path-only
 * rule flags each added or changed file whose path it matches.
 */
import { globMatcher } from "../engine/glob.js";
import { hasPathOnlyRules, scanPlace } from "../engine/path-rules.js";
import type { CommitInfo } from "../engine/types.js";
import { countSkip, skipFile, type ScanReport } from "../core/report.js";
import { scanGuarded, stoppedDetail, type Scanner } from "../core/scanner.js";
import { decodeBytes } from "../sources/text.js";
import type { BlobResult, BlobSource } from "../git/blobs.js";
import { addedLines, toRanges } from "../git/linediff.js";
import { maxFileSizeOf } from "../util/size-limit.js";
import { isFileMode, isNullOid, MODE, type RawChange } from "../git/rawdiff.js";
import { append } from "../util/append.js";

/** Options for {@link scanChanges}. */
export interface ChangeScanOptions {
  /** Scan whole new files, not only added lines. */
  allLines?: boolean;
  /** Commit the changes belong to (absent for staged changes). */
  commit?: CommitInfo;
}

/**
 * A changed path; for a merge, also each later parent's version of it
 * (`oldOid`/`oldMode` are the first parent's): a line counts as added only
 * when it is added against every parent.
 */
export interface ParentChange extends RawChange {
  otherParents?: ReadonlyArray<{ oldOid: string; oldMode: string }>;
}

/** What to do with one change before reading anything. */
type Plan = { skip: string | undefined } | { read: true; withOld: boolean };

function plan(c: RawChange, allLines: boolean): Plan {
  if (c.status === "D") return { skip: undefined };
  if (c.status === "U") return { skip: "unmerged" };
  if (c.newMode === MODE.gitlink) return { skip: "submodule" };
  if (c.newMode === MODE.symlink) return { skip: "symlink" };
  if (!isFileMode(c.newMode) || isNullOid(c.newOid)) return { skip: "special-file" };
  // Same blob (pure rename, mode change): no line was added.
  if (c.oldOid === c.newOid && !allLines) return { skip: undefined };
  const withOld = !allLines && isFileMode(c.oldMode) && !isNullOid(c.oldOid);
  return { read: true, withOld };
}

/** Decoded text of a blob, or why there is none (a skip reason). */
function textOf(r: BlobResult): { text: string } | { skip: string } {
  if (r.kind === "missing") return { skip: "missing-object" };
  if (r.kind === "too-large") return { skip: "too-large" };
  const d = decodeBytes(r.data);
  if (d.kind === "binary") return { skip: "binary" };
  if (d.kind === "lfs-pointer") return { skip: "lfs-pointer" };
  return { text: d.text };
}

/** Blobs requested ahead of scanning, so git reads while the engine works. */
const WINDOW = 16;

/**
 * Scans `changes` into `report` (findings, suppressed, counts, warnings).
 * Paths excluded by the config's `[scan] exclude` are passed over.
 */
export async function scanChanges(
  scanner: Scanner,
  blobs: BlobSource,
  changes: readonly ParentChange[],
  report: ScanReport,
  opts: ChangeScanOptions = {},
): Promise<void> {
  const stats = report.stats;
  const max = maxFileSizeOf(scanner.config.scan);
  const exclude = scanner.config.scan.exclude ?? [];
  const isExcluded = exclude.length > 0 ? globMatcher(exclude) : () => false;
  const commitOf = (): { commit?: string } => (opts.commit ? { commit: opts.commit.commit } : {});

  const byPath = hasPathOnlyRules(scanner.ruleSet);
  const todo: Array<{ c: ParentChange; withOld: boolean }> = [];
  for (const c of changes) {
    if (isExcluded(c.path)) continue;
    const p = plan(c, opts.allLines === true);
    if ("skip" in p) {
      if (p.skip === "unmerged") skipFile(report, { path: c.path, reason: "unmerged", detail: "unmerged (conflict not resolved); not scanned" });
      else if (p.skip === "special-file") skipFile(report, { path: c.path, reason: p.skip, ...commitOf() });
      else if (p.skip) countSkip(stats, p.skip);
    } else {
      todo.push({ c, withOld: p.withOld });
      // A path-only rule flags the file by its name, binary or not: before its blob is read.
      if (byPath) {
        const flagged = scanPlace(scanner.ruleSet, { path: c.path, source: "file", ...(opts.commit ? { commit: opts.commit } : {}) }, scanner.engineOptions);
        append(report.findings, flagged.findings);
        append(report.suppressed, flagged.suppressed);
      }
    }
  }

  // Request blobs a window ahead; answers arrive in order.
  const reads: Array<Promise<[BlobResult, BlobResult | undefined, Array<BlobResult | undefined>]>> = [];
  const request = (i: number): void => {
    const { c, withOld } = todo[i]!;
    const neu = blobs.read(c.newOid, max);
    const old = withOld ? blobs.read(c.oldOid, max) : Promise.resolve(undefined);
    // A merge's later parents: a version that is no file's text restricts nothing (every line is new against it).
    const others = Promise.all((opts.allLines ? [] : (c.otherParents ?? [])).map((p) => (isFileMode(p.oldMode) && !isNullOid(p.oldOid) ? blobs.read(p.oldOid, max) : Promise.resolve(undefined))));
    const both = Promise.all([neu, old, others]);
    both.catch(() => undefined); // a failure surfaces where it is awaited; reads never awaited must not crash the process
    reads[i] = both;
  };
  for (let i = 0; i < Math.min(WINDOW, todo.length); i++) request(i);
  for (let i = 0; i < todo.length; i++) {
    if (i + WINDOW < todo.length) request(i + WINDOW);
    const { c } = todo[i]!;
    const [neuBlob, oldBlob, otherBlobs] = await reads[i]!;
    const neu = textOf(neuBlob);
    if ("skip" in neu) {
      if (neu.skip === "lfs-pointer") countSkip(stats, neu.skip);
      else {
        const detail =
          neu.skip === "too-large" ? `skipped, larger than ${max} bytes (max file size)` : neu.skip === "missing-object" ? `blob ${c.newOid.slice(0, 12)} is missing (shallow or partial clone?)` : undefined;
        skipFile(report, { path: c.path, reason: neu.skip, ...(detail !== undefined ? { detail } : {}), ...commitOf() });
      }
      continue;
    }
    // Lines added against every parent's version (one, except for a merge). An old binary or
    // unreadable blob: every line of the new text is new against it.
    let added: number[] | undefined;
    for (const b of [oldBlob, ...otherBlobs]) {
      const old = b ? textOf(b) : undefined;
      if (!old || !("text" in old)) continue;
      const lines = addedLines(old.text, neu.text);
      added = added ? intersect(added, lines) : lines;
    }
    const lineRanges = added ? toRanges(added) : undefined;
    stats.files++;
    stats.bytes += neuBlob.kind === "blob" ? neuBlob.data.length : 0;
    if (lineRanges && lineRanges.length === 0) continue;
    const res = await scanGuarded(scanner, {
      text: neu.text,
      path: c.path,
      source: "file",
      ...(lineRanges ? { lineRanges } : {}),
      ...(opts.commit ? { commit: opts.commit } : {}),
    });
    if (res.stopped) {
      skipFile(report, { path: c.path, reason: "timeout", detail: stoppedDetail(scanner.timeBudgetMs), ...commitOf() });
      continue;
    }
    if (res.timedOut) skipFile(report, { path: c.path, reason: "timeout", detail: "time budget ran out; findings up to that point are reported", ...commitOf() });
    append(report.findings, res.findings);
    append(report.suppressed, res.suppressed);
  }
}

/** The numbers in both ascending lists. */
function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}
