/**
 * `sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
 *
 * Wire format (what a consumer can rely on):
 * - `runs[0].tool.driver`: name `leakguard`, version, informationUri, and one
 *   `rules[]` entry per rule that fired: id, PascalCase name, descriptions,
 *   `help` (text and markdown: what to do, links), helpUri, and properties
 *   `tags`, `security-severity` (critical 9.5, high 8.0, medium 5.5, low 3.0,
 *   GitHub's scale) and `precision` (the rule's confidence).
 * - each result: ruleId, ruleIndex, level (critical/high → error, medium →
 *   warning, low → note), a redacted `message.text`, one physical location
 *   (`uri` relative to `%SRCROOT%`, the scanned root; percent-encoded; region with exclusive
 *   endColumn in UTF-16 code units, hence `columnKind`), `partialFingerprints`
 *   and `properties` (confidence, tags, commit, author, date, …).
 * - Text without a file (a commit message, a tag message) gets a pseudo
 *   artifact `<source>/<commit>` (GitHub requires a physical location) plus a
 *   logical location naming the commit.
 * - `partialFingerprints["leakguard/v1"]` is the finding's fingerprint (same
 *   secret, same value everywhere); `"leakguard/place/v1"` adds the file, so
 *   GitHub keeps one alert per file a secret stands in instead of merging them.
 * - With `--show-suppressed`, suppressed candidates come as results carrying
 *   `suppressions` (inSource for inline allow comments, external otherwise).
 * - Warnings become `invocations[0].toolExecutionNotifications`.
 *
 * - `%SRCROOT%` is left for the consumer to resolve (GitHub code scanning
 *   resolves relative URIs against the repository's checkout): the root's
 *   absolute `file:` URI in `originalUriBaseIds` is a path of the scanning
 *   machine, written only when asked (`sarifRootUri`, `--sarif-root-uri`).
 *
 * No snippet is ever written: the region's text would be the secret.
 */
import { createHash } from "node:crypto";
import { sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, Severity, SuppressedFinding } from "../engine/types.js";
import { shortFingerprint } from "../engine/fingerprint.js";
import { VERSION } from "../version.js";
import type { ReportOptions } from "./index.js";
import { firedRules, type RuleMeta } from "./rule-meta.js";
import { skipWarning, type ScanReport } from "../core/report.js";

/** Where the tool's documentation lives. */
export const INFORMATION_URI = "https://www.npmjs.com/package/leakguard";

/** GitHub's security-severity scale for each severity. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

type Level = "error" | "warning" | "note";

/** SARIF level of a severity. */
export function levelOf(s: Severity): Level {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "note";
}

/**
 * A `/`-separated relative path as a URI reference: each segment
 * percent-encoded (UTF-8), so spaces, `#`, `?`, `%`, `:` and newlines survive
 * and the first segment can never be read as a scheme.
 */
export function pathToUri(path: string): string {
  return path
    .split("/")
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()))
    .join("/");
}

/** `aws-access-key-id` → `AwsAccessKeyId`. */
function pascal(id: string): string {
  const s = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
  return /^[A-Za-z]/.test(s) ? s : "Rule" + s;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : t + ".";
}

/** The SARIF `rules[]` entry of a rule (the inventory's SARIF view describes its rules the same way). */
export function ruleDescriptor(r: RuleMeta): Record<string, unknown> {
  const what = r.remediation ?? "Revoke or rotate the secret at its provider, then remove it from the code and, if it was committed, from the history.";
  const refs = r.references;
  const text = [sentence(r.description), "", `What to do: ${what}`, ...(refs.length ? ["", "References:", ...refs.map((u) => `- ${u}`)] : [])].join("\n");
  const markdown = [
    `**${r.description}** (\`${r.id}\`)`,
    "",
    "### What to do",
    "",
    what,
    ...(refs.length ? ["", "### References", "", ...refs.map((u) => `- <${u}>`)] : []),
  ].join("\n");
  const d: Record<string, unknown> = {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: sentence(r.description) },
    fullDescription: { text: sentence(`${r.description}: a secret that grants access if it leaks; severity ${r.severity}, confidence ${r.confidence}`) },
    defaultConfiguration: { level: levelOf(r.severity) },
    help: { text, markdown },
    helpUri: refs[0] ?? INFORMATION_URI,
    properties: {
      tags: [...new Set(["security", "secret", ...r.tags])],
      "security-severity": SECURITY_SEVERITY[r.severity],
      precision: r.confidence,
    },
  };
  return d;
}

function placeHash(f: Finding): string {
  return createHash("sha256").update(`${f.fingerprint}\0${f.source}\0${f.file}`).digest("hex").slice(0, 32);
}

function location(f: Finding): Record<string, unknown> {
  // SARIF positions are 1-based and the end never precedes the start; a
  // finding without a real position (a path-only rule) still gets a valid region.
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, f.endColumn) : Math.max(1, f.endColumn);
  const region = { startLine, startColumn, endLine, endColumn };
  if (f.source === "file" && f.file) {
    return { physicalLocation: { artifactLocation: { uri: pathToUri(f.file), uriBaseId: "%SRCROOT%" }, region } };
  }
  // A message has no file: a pseudo artifact keeps GitHub's "one physical
  // location" requirement, the logical location says what it really is.
  const what = f.commit ?? "pending";
  const where = f.source === "file" ? "stdin" : f.source;
  return {
    physicalLocation: { artifactLocation: { uri: `${pathToUri(where)}/${pathToUri(what)}` }, region },
    logicalLocations: [{ name: where, fullyQualifiedName: `${what}/${where}`, kind: "resource" }],
  };
}

function messageOf(f: Finding): string {
  let where = "";
  if (f.source !== "file") where = ` in the ${f.source.replace("-", " ")}${f.commit ? ` of ${f.commit.slice(0, 12)}` : ""}`;
  else if (f.commit) where = ` in commit ${f.commit.slice(0, 12)}`;
  return `${f.title}${where}: ${f.secret} (fingerprint ${shortFingerprint(f.fingerprint)}).`;
}

function properties(f: Finding): Record<string, unknown> {
  const p: Record<string, unknown> = { severity: f.severity, confidence: f.confidence, source: f.source, location: f.location, entropy: f.entropy };
  if (f.tags.length) p.tags = f.tags;
  if (f.encoding) p.encoding = f.encoding;
  if (f.auditReason) p.auditReason = f.auditReason;
  for (const k of ["commit", "author", "email", "date", "pushed"] as const) if (f[k] !== undefined) p[k] = f[k];
  return p;
}

function result(f: Finding, ruleIndex: number, suppressed?: SuppressedFinding): Record<string, unknown> {
  const r: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: levelOf(f.severity),
    message: { text: messageOf(f) },
    locations: [location(f)],
    partialFingerprints: { "leakguard/v1": f.fingerprint, "leakguard/place/v1": placeHash(f) },
    properties: properties(f),
  };
  if (suppressed) {
    r.suppressions = [
      {
        kind: suppressed.reason === "inline-allow" ? "inSource" : "external",
        justification: `${suppressed.reason}${suppressed.detail ? ": " + suppressed.detail : ""}`,
      },
    ];
  }
  return r;
}

/**
 * Warnings as tool notifications; each skipped file as one with its location
 * (and its warning, when it has one, not repeated on its own).
 */
function notifications(report: ScanReport): Array<Record<string, unknown>> {
  const skipped = report.skipped ?? [];
  const fromSkips = new Set(skipped.filter((s) => s.detail !== undefined).map(skipWarning));
  const out: Array<Record<string, unknown>> = report.warnings.filter((w) => !fromSkips.has(w)).map((w) => ({ level: "warning", message: { text: sentence(w) } }));
  for (const s of skipped) {
    const what = s.detail ?? `skipped (${s.reason})`;
    const n: Record<string, unknown> = {
      level: "warning",
      message: { text: sentence(`${s.commit ? `${s.commit.slice(0, 12)}:` : ""}${s.path}: ${what}`) },
      locations: [{ physicalLocation: { artifactLocation: { uri: pathToUri(s.path) } } }],
      properties: { reason: s.reason, ...(s.commit ? { commit: s.commit } : {}) },
    };
    out.push(n);
  }
  return out;
}

export default function sarif(report: ScanReport, opts: ReportOptions): string {
  const shown = opts.showSuppressed ? report.suppressed : [];
  const rules = firedRules([...report.findings, ...shown.map((s) => s.finding)], opts.rules);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = [
    ...report.findings.map((f) => result(f, index.get(f.ruleId)!)),
    ...shown.map((s) => result(s.finding, index.get(s.finding.ruleId)!, s)),
  ];
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "leakguard",
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: notifications(report),
          },
        ],
        ...(opts.sarifRootUri === true && opts.root !== undefined ? { originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(opts.root.endsWith(sep) ? opts.root : opts.root + sep).href } } } : {}),
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
