/**
 * What a scan hands to the reporters: findings, what was suppressed and why,
 * counts, and warnings. Every source (files, staged, push, history) produces
 * one of these; every reporter consumes one.
 */
import type { Finding, SuppressedFinding } from "../engine/types.js";

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

/** The result of one scan. */
export interface ScanReport {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  stats: ScanStats;
  /** Non-fatal problems (unreadable file, shallow clone, …), already redacted. */
  warnings: string[];
}

/** A fresh, empty report. */
export function emptyReport(): ScanReport {
  return { findings: [], suppressed: [], stats: { files: 0, bytes: 0, skipped: {}, durationMs: 0 }, warnings: [] };
}

/** Adds one to a skip counter. */
export function countSkip(stats: ScanStats, reason: string, n = 1): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
}
