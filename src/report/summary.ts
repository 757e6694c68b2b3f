/** Counts for a report's summary, shared by reporters. */
import type { Severity } from "../engine/types.js";
import type { ScanReport, SkippedFile } from "./types.js";

/** The summary object of json output and the text footer. */
export interface Summary {
  findings: number;
  bySeverity: Record<Severity, number>;
  suppressed: number;
  files: number;
  bytes: number;
  commits?: number;
  skipped: Record<string, number>;
  durationMs: number;
  warnings: string[];
}

export function summarize(report: ScanReport): Summary {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of report.findings) bySeverity[f.severity]++;
  const s: Summary = {
    findings: report.findings.length,
    bySeverity,
    suppressed: report.suppressed.length,
    files: report.stats.files,
    bytes: report.stats.bytes,
    skipped: report.stats.skipped,
    durationMs: report.stats.durationMs,
    warnings: report.warnings,
  };
  if (report.stats.commits !== undefined) s.commits = report.stats.commits;
  return s;
}

/** Skipped files named one per line (those without a warning of their own); at most this many. */
export const MAX_SKIP_LINES = 20;

/**
 * Lines naming skipped files that no warning names yet (binary files,
 * missing blobs): the first {@link MAX_SKIP_LINES}, then a count of the rest
 * (a large repository has thousands of binary blobs; json and sarif list all).
 */
export function skipLines(skipped: readonly SkippedFile[]): string[] {
  const quiet = skipped.filter((s) => s.detail === undefined);
  const lines = quiet.slice(0, MAX_SKIP_LINES).map((s) => `${s.commit ? s.commit.slice(0, 12) + ":" : ""}${s.path}: skipped (${s.reason})`);
  const rest = quiet.length - MAX_SKIP_LINES;
  if (rest > 0) lines.push(`… and ${rest} more skipped file${rest === 1 ? "" : "s"} (--format json lists them all)`);
  return lines;
}
