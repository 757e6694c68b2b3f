/**
 * `csv`: one row per finding, RFC 4180 (CRLF line ends; a field holding a
 * comma, quote, CR or LF is quoted, quotes doubled). The header row lists the
 * contract's finding fields in json order; `tags` are joined with `;`.
 *
 * Formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab or CR
 * is prefixed with `'`, so a spreadsheet shows it instead of running it (a
 * file may be named `=HYPERLINK(…)`). Numbers are written as they are.
 */
import type { Finding } from "../engine/types.js";
import { csvRow } from "./escape.js";
import { FINDING_FIELDS } from "./fields.js";
import type { ReportOptions } from "./index.js";
import type { ScanReport } from "../core/report.js";

function cell(f: Finding, k: keyof Finding): string | number | boolean | undefined {
  const v = f[k];
  return Array.isArray(v) ? v.join(";") : (v as string | number | boolean | undefined);
}

export default function csv(report: ScanReport, _opts: ReportOptions): string {
  let out = csvRow(FINDING_FIELDS);
  for (const f of report.findings) out += csvRow(FINDING_FIELDS.map((k) => cell(f, k)));
  return out;
}
