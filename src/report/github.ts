/**
 * `github`: GitHub Actions workflow commands, one annotation per finding:
 * `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`
 * (critical/high → error, medium → warning, low → notice). Property values
 * escape `% CR LF : ,`, the message escapes `% CR LF`, as the runner expects.
 * Findings in a message (no file) are annotations without a file. A plain
 * summary line follows (not a command), unless --quiet.
 */
import type { Finding, Severity } from "../engine/types.js";
import { ghData, ghProperty } from "./escape.js";
import type { ReportOptions } from "./index.js";
import { plural, skipLines, summarize } from "./summary.js";
import type { ScanReport } from "../core/report.js";

/** Workflow command for a severity. */
export function commandOf(s: Severity): "error" | "warning" | "notice" {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "notice";
}

function annotation(f: Finding): string {
  const props: Array<[string, string | number]> = [];
  if (f.source === "file" && f.file) {
    props.push(["file", f.file], ["line", f.line], ["endLine", f.endLine]);
    // Columns only mean something on a single line.
    if (f.line === f.endLine) props.push(["col", f.column], ["endColumn", f.endColumn]);
  }
  props.push(["title", `${f.title} (${f.ruleId})`]);
  const where = f.source !== "file" ? ` in the ${f.source.replace("-", " ")}${f.commit ? ` of ${f.commit.slice(0, 12)}` : ""} (line ${f.line})` : f.commit ? ` in commit ${f.commit.slice(0, 12)}` : "";
  const msg = `${f.severity} ${f.title}${where}: ${f.secret} — fingerprint ${f.fingerprint}`;
  return `::${commandOf(f.severity)} ${props.map(([k, v]) => `${k}=${ghProperty(String(v))}`).join(",")}::${ghData(msg)}\n`;
}

export default function github(report: ScanReport, opts: ReportOptions): string {
  let out = report.findings.map(annotation).join("");
  if (opts.quiet) return out;
  for (const w of report.warnings) out += `::warning title=leakguard::${ghData(w)}\n`;
  for (const l of skipLines(report.skipped ?? [])) out += `::warning title=leakguard skipped::${ghData(l)}\n`;
  const s = summarize(report);
  const sev = (["critical", "high", "medium", "low"] as const).filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}`);
  out += `leakguard: ${s.findings === 0 ? "no secrets found" : `${plural(s.findings, "secret")} found (${sev.join(", ")})`}; ${plural(s.files, "file")} scanned, ${s.suppressed} suppressed\n`;
  return out;
}
