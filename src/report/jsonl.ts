/** `jsonl`: one finding per line, nothing else. */
import { findingToJson } from "./fields.js";
import type { ReportOptions } from "./index.js";
import type { ScanReport } from "../core/report.js";

export default function jsonl(report: ScanReport, _opts: ReportOptions): string {
  return report.findings.map((f) => JSON.stringify(findingToJson(f)) + "\n").join("");
}
