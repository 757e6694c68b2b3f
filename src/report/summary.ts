/**
 * Counts for a report's summary, shared by reporters. Suppressions are split
 * in two: what the user chose to hide (ignore files, the baseline, inline
 * markers, allowlists of the configuration, --min-confidence) and the
 * candidates the rules themselves rejected (entropy, stopwords, placeholders,
 * checksums, a rule's own allowlist): thousands of the latter on a clean scan
 * say nothing about what the user suppressed.
 */
import type { Severity, SuppressedFinding } from "../engine/types.js";
import type { ScanReport, SkippedFile } from "../core/report.js";
import type { ConfigUse } from "../config/provenance.js";

/** The summary object of json output and the text footer. */
export interface Summary {
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Findings the user suppressed (ignore file, baseline, inline marker, allowlist, --min-confidence). */
  suppressed: number;
  /** The same, by reason (`ignore-file`, `baseline`, `inline-allow`, `allowlist`, `confidence`). */
  suppressedBy: Record<string, number>;
  /** Candidates the rules' own checks rejected (entropy, stopword, placeholder, checksum, a rule's allowlist). */
  rejected: number;
  files: number;
  bytes: number;
  commits?: number;
  skipped: Record<string, number>;
  durationMs: number;
  warnings: string[];
  /** Config, ignore and baseline files applied and how many findings each suppressed (absent when none was). */
  configs?: ConfigUse[];
}

const USER_REASONS = new Set(["ignore-file", "baseline", "inline-allow", "allowlist", "confidence"]);

/** True when the user hid this candidate; false when a rule rejected it (a rule's own allowlist names the rule first). */
export function isUserSuppression(s: SuppressedFinding): boolean {
  if (s.reason === "allowlist") return !(s.detail ?? "").startsWith(`${s.finding.ruleId}: `);
  return USER_REASONS.has(s.reason);
}

/**
 * A count with thousands separated, `1,579`: what `toLocaleString("en-US")`
 * writes for a whole number, without it: its first call loads ICU's number
 * formatting, ~20 ms of every `leakguard staged` that printed a summary.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en-US");
  const digits = String(Math.abs(n));
  let out = "";
  for (let end = digits.length; end > 0; end -= 3) out = digits.slice(Math.max(0, end - 3), end) + (out ? `,${out}` : "");
  return n < 0 ? `-${out}` : out;
}

/** `n word` with a plural s when n is not 1, thousands separated: `1 file`, `1,579 files`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}

export function summarize(report: ScanReport): Summary {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of report.findings) bySeverity[f.severity]++;
  const suppressedBy: Record<string, number> = {};
  let rejected = 0;
  for (const x of report.suppressed) {
    if (isUserSuppression(x)) suppressedBy[x.reason] = (suppressedBy[x.reason] ?? 0) + 1;
    else rejected++;
  }
  const s: Summary = {
    findings: report.findings.length,
    bySeverity,
    suppressed: report.suppressed.length - rejected,
    suppressedBy,
    rejected,
    files: report.stats.files,
    bytes: report.stats.bytes,
    skipped: report.stats.skipped,
    durationMs: report.stats.durationMs,
    warnings: report.warnings,
  };
  if (report.stats.commits !== undefined) s.commits = report.stats.commits;
  if (report.configs && report.configs.length > 0) s.configs = report.configs;
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
