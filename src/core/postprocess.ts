/**
 * Post-processing of a report as small pure steps, in a fixed order: drop
 * duplicates, then sort. Suppression layers that need files (ignore file,
 * baseline) are applied by suppress/ before this point.
 */
import type { Finding } from "../engine/types.js";
import type { ScanReport } from "./report.js";

/** Same secret at the same place under the same rule: one finding. */
export function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const k = `${f.commit ?? ""}\0${f.source}\0${f.file}\0${f.line}\0${f.column}\0${f.ruleId}\0${f.fingerprint}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}

/** Stable order: file, line, column, rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      ((a.commit ?? "") < (b.commit ?? "") ? -1 : (a.commit ?? "") > (b.commit ?? "") ? 1 : 0),
  );
}

/** Dedupes and sorts a report's findings in place; returns it. */
export function finishReport(report: ScanReport): ScanReport {
  report.findings = sortFindings(dedupe(report.findings));
  return report;
}
