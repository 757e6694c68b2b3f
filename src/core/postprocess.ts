/**
 * Post-processing of a report as small pure steps: the minimum confidence
 * (before the suppression layers that need files, ignore file and baseline,
 * which suppress/ applies), then after them: drop duplicates, then sort.
 */
import type { Confidence, Finding } from "../engine/types.js";
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

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/**
 * Moves findings below `min` to the suppressed list (reason `confidence`), so
 * `--show-suppressed` still shows them. The engine already applies the
 * config's level while scanning; this is the safety net for findings that
 * came from elsewhere (a cache, a scanner made with another level). `low`
 * (audit mode) happened in the engine: nothing to do here.
 */
export function applyMinConfidence(report: ScanReport, min: Confidence | undefined): ScanReport {
  if (min === undefined || min === "low") return report;
  report.findings = report.findings.filter((f) => {
    if (CONFIDENCE_RANK[f.confidence] >= CONFIDENCE_RANK[min]) return true;
    report.suppressed.push({ finding: f, reason: "confidence", detail: `confidence ${f.confidence} is below --min-confidence ${min}` });
    return false;
  });
  return report;
}
