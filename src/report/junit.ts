/**
 * `junit`: JUnit XML for CI test reports. One `<testsuite>` per file (a
 * commit message is its own suite), one failing `<testcase>` per finding:
 * classname = file, name = `ruleId at line:col` (plus the commit for git
 * findings), `<failure message type>` with the redacted details. A clean run
 * has one passing test case, so CI shows a green check rather than "no tests".
 * Each file not (fully) scanned is a `<skipped>` test case in a suite of its
 * own, `leakguard skipped` (classname = file, name = `skipped: reason`).
 */
import type { Finding } from "../engine/types.js";
import { xmlAttr, xmlText } from "./escape.js";
import type { ReportOptions } from "./index.js";
import type { ScanReport } from "../core/report.js";

function suiteName(f: Finding): string {
  if (f.source !== "file") return `${f.source}${f.commit ? " " + f.commit.slice(0, 12) : ""}`;
  return f.file || "stdin";
}

function details(f: Finding): string {
  const lines = [
    `${f.title}`,
    `rule: ${f.ruleId}`,
    `severity: ${f.severity}, confidence: ${f.confidence}`,
    `where: ${f.file || f.source}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`,
    `secret: ${f.secret}`,
    `fingerprint: ${f.fingerprint}`,
  ];
  if (f.commit) lines.push(`commit: ${f.commit}${f.author ? ` by ${f.author}` : ""}${f.date ? ` on ${f.date}` : ""}`);
  if (f.encoding) lines.push(`encoding: ${f.encoding}`);
  if (f.tags.length) lines.push(`tags: ${f.tags.join(", ")}`);
  return lines.join("\n");
}

function testcase(f: Finding, classname: string): string {
  const name = `${f.ruleId} at ${f.line}:${f.column}${f.commit ? ` in ${f.commit.slice(0, 12)}` : ""}`;
  const message = `${f.title}: ${f.secret}`;
  return (
    `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(name)}" time="0">\n` +
    `      <failure message="${xmlAttr(message)}" type="${xmlAttr(f.severity)}">${xmlText(details(f))}</failure>\n` +
    `    </testcase>\n`
  );
}

/** The suite of skipped files, or "" when nothing was skipped. */
function skippedSuite(report: ScanReport): string {
  const list = report.skipped ?? [];
  if (list.length === 0) return "";
  let out = `  <testsuite name="leakguard skipped" tests="${list.length}" failures="0" errors="0" skipped="${list.length}" time="0">\n`;
  for (const s of list) {
    const where = `${s.commit ? s.commit.slice(0, 12) + ":" : ""}${s.path}`;
    out +=
      `    <testcase classname="${xmlAttr(s.path)}" name="${xmlAttr(`skipped: ${s.reason}`)}" time="0">\n` +
      `      <skipped message="${xmlAttr(`${where}: ${s.detail ?? `skipped (${s.reason})`}`)}"/>\n` +
      `    </testcase>\n`;
  }
  return out + `  </testsuite>\n`;
}

export default function junit(report: ScanReport, _opts: ReportOptions): string {
  const seconds = (report.stats.durationMs / 1000).toFixed(3);
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n`;
  const n = report.findings.length;
  const k = report.skipped?.length ?? 0;
  const skips = skippedSuite(report);
  if (n === 0) {
    return (
      head +
      `<testsuites name="leakguard" tests="${1 + k}" failures="0" errors="0" time="${seconds}">\n` +
      `  <testsuite name="leakguard" tests="1" failures="0" errors="0" skipped="0" time="${seconds}">\n` +
      `    <testcase classname="leakguard" name="no secrets found" time="${seconds}"/>\n` +
      `  </testsuite>\n${skips}</testsuites>\n`
    );
  }
  const suites = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const k = suiteName(f);
    const g = suites.get(k);
    if (g) g.push(f);
    else suites.set(k, [f]);
  }
  let out = head + `<testsuites name="leakguard" tests="${n + k}" failures="${n}" errors="0" time="${seconds}">\n`;
  for (const [name, fs] of suites) {
    out += `  <testsuite name="${xmlAttr(name)}" tests="${fs.length}" failures="${fs.length}" errors="0" skipped="0" time="0">\n`;
    for (const f of fs) out += testcase(f, name);
    out += `  </testsuite>\n`;
  }
  return out + skips + `</testsuites>\n`;
}
