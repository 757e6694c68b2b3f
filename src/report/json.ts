/**
 * `json`: one object `{ version, tool, findings, skipped, summary }`.
 * `skipped` = every file not (fully) scanned: `{ path, reason, detail?, commit? }`.
 * `summary` = { findings, bySeverity, suppressed, suppressedBy, rejected, files, bytes, skipped (counts by reason), durationMs, warnings, configs? }:
 * `suppressed` counts what the user hid (by reason in `suppressedBy`), `rejected` the candidates the rules' own checks dropped.
 * `configs` lists the config, ignore and baseline files applied as `{ path, kind, suppressed }`.
 */
import { VERSION } from "../version.js";
import { findingToJson } from "./fields.js";
import type { ReportOptions } from "./index.js";
import { summarize } from "./summary.js";
import type { ScanReport } from "../core/report.js";

export default function json(report: ScanReport, _opts: ReportOptions): string {
  return (
    JSON.stringify(
      {
        version: VERSION,
        tool: "leakguard",
        findings: report.findings.map(findingToJson),
        skipped: report.skipped ?? [],
        summary: summarize(report),
      },
      null,
      2,
    ) + "\n"
  );
}
