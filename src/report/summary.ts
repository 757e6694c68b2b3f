/** Counts for a report's summary, shared by reporters. */
import type { Severity } from "../engine/types.js";
import type { ScanReport } from "./types.js";

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
