/**
 * `text`: findings grouped by file, each with a one-line code frame holding the
 * redacted secret, then a summary (counts by severity, suppressed, files,
 * bytes, time). Colour through picocolors, off with NO_COLOR or when not a TTY.
 */
import pc from "picocolors";
import type { Finding, Severity } from "../engine/types.js";
import { shortFingerprint } from "../engine/fingerprint.js";
import type { ReportOptions } from "./index.js";
import { formatCount, plural, skipLines, summarize } from "./summary.js";
import type { ConfigUse } from "../config/provenance.js";

/** How each user suppression is named in the summary line. */
const REASON_LABEL: Record<string, string> = {
  "ignore-file": "ignore file",
  baseline: "baseline",
  "inline-allow": "inline",
  allowlist: "allowlist",
  confidence: "below --min-confidence",
};
import type { ScanReport } from "../core/report.js";
import { append } from "../util/append.js";
import { printable } from "../util/printable.js";

type Colors = ReturnType<typeof pc.createColors>;

function paint(color: boolean): Colors {
  return pc.createColors(color);
}

function sevColor(c: Colors, s: Severity): (x: string) => string {
  return s === "critical" ? (x) => c.bold(c.red(x)) : s === "high" ? c.red : s === "medium" ? c.yellow : c.cyan;
}

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}


/** Readable file label: commit messages have no file. */
function fileLabel(f: Finding, rootLabel = ""): string {
  // A note is named by its notes ref and the object it annotates (its commit is the notes commit).
  if (f.source === "note" && f.file) return `note ${printable(f.file.replace(/:([0-9a-f]{12})[0-9a-f]+$/, ":$1"))}${f.commit ? " (" + f.commit.slice(0, 12) + ")" : ""}`;
  if (f.source !== "file") return `${f.source}${f.commit ? " " + f.commit.slice(0, 12) : ""}`;
  if (!f.file) return "-";
  // Shown as the user named the root (ripgrep's way): `scan /srv/app` prints /srv/app/app.js.
  return printable(rootLabel ? `${rootLabel.replace(/\/+$/, "")}/${f.file}` : f.file);
}

function frame(f: Finding, c: Colors): string[] {
  if (f.lineText === undefined) return [];
  const num = String(f.line);
  let text = printable(f.lineText.replace(/\t/g, " "));
  if (text.length > 160) text = text.slice(0, 157) + "…";
  return [`    ${c.dim(num + " |")} ${text}`];
}

export default function text(report: ScanReport, opts: ReportOptions): string {
  const c = paint(opts.color ?? false);
  const out: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const k = fileLabel(f, opts.rootLabel);
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  for (const [file, fs] of groups) {
    out.push(c.underline(c.bold(file)));
    for (const f of fs) {
      const sev = sevColor(c, f.severity)(f.severity.padEnd(8));
      out.push(`  ${c.dim(`${f.line}:${f.column}`.padEnd(9))} ${sev} ${f.title} ${c.dim(`[${f.ruleId}]`)}  ${c.bold(f.secret)}`);
      const extra: string[] = [`confidence ${f.confidence}`, `fingerprint ${shortFingerprint(f.fingerprint)}`];
      if (f.encoding) extra.push(`encoded ${f.encoding}`);
      if (f.auditReason) extra.push(`audit: ${f.auditReason}`);
      if (f.tags.length) extra.push(f.tags.join(","));
      if (f.commit) extra.push(`commit ${f.commit.slice(0, 12)}${f.author ? " by " + f.author : ""}${f.date ? " on " + f.date.slice(0, 10) : ""}`);
      out.push(`  ${" ".repeat(9)} ${c.dim(extra.join(" · "))}`);
      out.push(...frame(f, c));
    }
    out.push("");
  }
  if (opts.showSuppressed && report.suppressed.length > 0) {
    out.push(c.bold("Suppressed"));
    for (const s of report.suppressed) {
      const f = s.finding;
      out.push(`  ${fileLabel(f, opts.rootLabel)}:${f.line}:${f.column} ${f.ruleId} ${f.secret} ${c.dim(`— ${s.reason}${s.detail ? ": " + s.detail : ""}`)}`);
    }
    out.push("");
  }
  if (opts.quiet) return out.length ? out.join("\n") + "\n" : "";
  for (const w of report.warnings) out.push(c.yellow(`warning: ${printable(w)}`));
  append(out, skipLines(report.skipped ?? []).map((l) => c.yellow(`warning: ${printable(l)}`)));
  const s = summarize(report);
  const sev = (["critical", "high", "medium", "low"] as const).filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}`);
  const skipped = Object.entries(s.skipped).map(([k, v]) => `${v} ${k}`);
  const head =
    s.findings === 0
      ? c.green("No secrets found.")
      : c.red(c.bold(`${plural(s.findings, "secret")} found`)) + ` (${sev.join(", ")})`;
  const parts = [
    `${s.commits !== undefined ? `${plural(s.commits, "commit")}, ` : ""}${plural(s.files, s.commits !== undefined ? "blob" : "file")}, ${fmtBytes(s.bytes)} in ${(s.durationMs / 1000).toFixed(2)}s`,
  ];
  if (s.suppressed) {
    const by = Object.entries(s.suppressedBy).map(([k, v]) => `${formatCount(v)} ${REASON_LABEL[k] ?? k}`);
    parts.push(`${formatCount(s.suppressed)} suppressed: ${by.join(", ")}${opts.showSuppressed ? "" : " (--show-suppressed)"}`);
  }
  // What the rules rejected is noise on a clean run; it is counted when asked for.
  if (s.rejected && opts.showSuppressed) parts.push(`${plural(s.rejected, "candidate")} rejected by the rules' checks`);
  if (skipped.length) parts.push(`skipped: ${skipped.join(", ")}`);
  out.push(`${head} ${c.dim(parts.join(" · "))}`);
  if (s.configs) out.push(c.dim(`applied: ${s.configs.map(configLabel).join(", ")}`));
  return out.join("\n") + "\n";
}

/** `.leakguard.toml (2 suppressed, 3 built-in rules off)` for the summary's "applied:" line. */
function configLabel(u: ConfigUse): string {
  const notes = [`${u.suppressed} suppressed`];
  if (u.useDefault === false) notes.push("built-in rules off");
  else if (u.disabledRules) notes.push(`${u.disabledRules} built-in rule${u.disabledRules === 1 ? "" : "s"} off`);
  const kind = u.kind === "config" ? "" : `${u.kind} `;
  return `${kind}${printable(u.path)} (${notes.join(", ")})`;
}
