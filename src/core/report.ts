/**
 * What a scan hands to the reporters: findings, what was suppressed and why,
 * counts, and warnings. Every source (files, staged, push, history) produces
 * one of these; every reporter consumes one.
 */
import type { Finding, SuppressedFinding } from "../engine/types.js";
import type { ConfigUse } from "../config/provenance.js";

/** Counts gathered while scanning. */
export interface ScanStats {
  /** Files (or blobs) scanned. */
  files: number;
  /** Bytes of text scanned. */
  bytes: number;
  /** Items not scanned, by reason: binary, too-large, symlink, unreadable, lfs-pointer, submodule, timeout, … */
  skipped: Record<string, number>;
  durationMs: number;
  /** Git sources: commits walked. */
  commits?: number;
}

/**
 * A file (or blob, or archive entry) whose content was not scanned, and why.
 * Reasons: `binary`, `too-large`, `timeout` (scanned up to the time budget),
 * `unreadable`, `special-file`, `error`, `missing-blob`/`missing-object`,
 * `unmerged`, `encrypted`, `archive-limit`, `archive-depth`, `archive-corrupt`,
 * `archive-unsupported`. Symlinks, submodules, LFS pointers and archives
 * left closed by `--no-archives` are by design and only counted.
 */
export interface SkippedFile {
  /** Path relative to the scanned root (`archive.zip!inner` inside archives). */
  path: string;
  reason: string;
  /** One line saying why, when there is more to say than the reason. */
  detail?: string;
  /** Git sources: the commit that introduced the blob. */
  commit?: string;
}

/** The result of one scan. */
export interface ScanReport {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  stats: ScanStats;
  /** Non-fatal problems (unreadable file, shallow clone, …), already redacted. */
  warnings: string[];
  /** Every file not (fully) scanned, in the order met (see {@link SkippedFile}). */
  skipped?: SkippedFile[];
  /**
   * Raw secrets a source met in text it attached to findings without
   * reporting them here (e.g. the message of a commit outside the scanned
   * range that a note belongs to). Never printed: the reporters redact them
   * wherever they stand, like every finding's secret.
   */
  alsoRedact?: string[];
  /** Config, ignore and baseline files applied, with how many findings each suppressed. */
  configs?: ConfigUse[];
}

/** A fresh, empty report. */
export function emptyReport(): ScanReport {
  return { findings: [], suppressed: [], stats: { files: 0, bytes: 0, skipped: {}, durationMs: 0 }, warnings: [], skipped: [] };
}

/** The warning line of a skip that has a detail: `[commit:]path: detail`. */
export function skipWarning(s: SkippedFile): string {
  return `${s.commit ? s.commit.slice(0, 12) + ":" : ""}${s.path}: ${s.detail}`;
}

/**
 * Records a skipped file: counts it under its reason, lists it, and, when it
 * has a detail, adds the warning line that names it.
 */
export function skipFile(report: ScanReport, s: SkippedFile): void {
  countSkip(report.stats, s.reason);
  (report.skipped ??= []).push(s);
  if (s.detail !== undefined) report.warnings.push(skipWarning(s));
}

/** Adds one to a skip counter. */
export function countSkip(stats: ScanStats, reason: string, n = 1): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
}
