/**
 * Reporters: a {@link ScanReport} in, the bytes of one output format out.
 *
 * Every reporter receives findings already redacted (unless `--show-secrets`),
 * so no reporter can print a raw secret by mistake. Formats load lazily: the
 * pre-commit hook pays only for the one it prints.
 *
 * @example
 *   const out = await renderReport("json", report, { showSecrets: false });
 */
import { ArgumentError } from "../errors.js";
import { MIN_PLACE_SECRET, redactFindingWith, SecretRedactor } from "../engine/redact.js";
import type { Finding, RuleDef, SuppressedFinding, SuppressionReason } from "../engine/types.js";
import type { ScanReport } from "../core/report.js";

/** Formats every scanning command takes. */
export const SCAN_FORMATS = ["text", "json", "jsonl", "sarif", "junit", "csv", "github"] as const;

/** Options every reporter receives. */
export interface ReportOptions {
  showSecrets: boolean;
  /** Colour output (text only). */
  color?: boolean;
  /** The command that produced the report, e.g. "scan". */
  command?: string;
  /** Print suppressed candidates too (text only). */
  showSuppressed?: boolean;
  /** Findings only: no summary or warnings (text only). */
  quiet?: boolean;
  /** Terminal width (text only). */
  width?: number;
  /** Absolute folder that `file` paths are relative to (sarif's `%SRCROOT%`). */
  root?: string;
  /** SARIF: name {@link root} as an absolute `file:` URI in `originalUriBaseIds` (off by default: it is a path of this machine). */
  sarifRootUri?: boolean;
  /** How the user named that root (e.g. `/srv/app`, `../app`), put before paths in text; unset or "" when it is the current folder. */
  rootLabel?: string;
  /** The rules the scan ran with, for rule descriptions (sarif); default: the built-in rules. */
  rules?: ReadonlyArray<RuleDef>;
}

/** A reporter: turns a (redacted) report into text. */
export type Reporter = (report: ScanReport, opts: ReportOptions) => string;

const loaders: Record<string, () => Promise<{ default: Reporter }>> = {
  text: () => import("./text.js"),
  json: () => import("./json.js"),
  jsonl: () => import("./jsonl.js"),
  sarif: () => import("./sarif.js"),
  junit: () => import("./junit.js"),
  csv: () => import("./csv.js"),
  github: () => import("./github.js"),
};

/** Known format names. */
export function knownFormats(): string[] {
  return Object.keys(loaders);
}

/** Suppressions that judged a candidate not to be a secret at all (as opposed to a secret someone accepted). */
const HEURISTIC: ReadonlySet<SuppressionReason> = new Set(["entropy", "placeholder", "validator"]);

/**
 * True when a heuristically rejected candidate still reads like a credential
 * (8+ visible characters, not a word or a template, digits or mixed case), so
 * it is redacted next to the findings it stands beside; `${API_KEY}` or
 * `your-token-here` stay readable.
 */
function looksLikeSecret(s: string): boolean {
  if (s.length < 8 || !/^[\x21-\x7e]+$/.test(s) || /[${}<>]/.test(s)) return false;
  if (/^(?:[a-z]+(?:[-_.][a-z]+)*|[A-Z]+(?:[-_.][A-Z]+)*)$/.test(s)) return false;
  return /\d/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s));
}

/**
 * Every secret `report` knows: reported ones, suppressed ones (ignore file,
 * baseline, inline marker, allowlists: still secrets, only accepted), the
 * heuristic rejects that look like secrets, and the ones a source met in
 * text attached to findings (`alsoRedact`).
 */
export function knownSecrets(report: ScanReport): SecretRedactor {
  const r = new SecretRedactor(report.findings.map((f) => f.secret));
  for (const f of report.findings) if (f.encodedSecret !== undefined) r.add(f.encodedSecret);
  for (const s of report.suppressed) {
    if (!HEURISTIC.has(s.reason) || looksLikeSecret(s.finding.secret)) {
      r.add(s.finding.secret);
      if (s.finding.encodedSecret !== undefined) r.add(s.finding.encodedSecret);
    }
  }
  for (const s of report.alsoRedact ?? []) r.add(s);
  return r;
}

/**
 * A copy of `report` that is safe to print: every text taken from the
 * scanned content (match, lineText, message, a suppression's detail, the
 * warnings, a skipped file's detail) is redacted against ALL secrets the
 * report knows, not only its own finding's: the single redaction step every
 * reporter's input goes through.
 */
export function redactReport(report: ScanReport, showSecrets: boolean): ScanReport {
  if (showSecrets) return report;
  const known = knownSecrets(report);
  // A commit's message rides on each of its findings: redact each distinct one once.
  const messages = new Map<string, string>();
  const message = (secret: string, text: string): string => {
    const key = `${secret}\0${text}`;
    let m = messages.get(key);
    if (m === undefined) messages.set(key, (m = known.redact(text, [secret])));
    return m;
  };
  const one = (f: Finding): Finding => {
    const { message: text, ...rest } = f;
    const out = redactFindingWith(rest, known);
    if (text !== undefined) out.message = message(f.secret, text);
    return out;
  };
  const suppressed = (s: SuppressedFinding): SuppressedFinding => {
    const out: SuppressedFinding = { ...s, finding: one(s.finding) };
    if (s.detail !== undefined) out.detail = known.redact(s.detail, [s.finding.secret]);
    return out;
  };
  const { alsoRedact: _raw, ...rest } = report;
  const out: ScanReport = {
    ...rest,
    findings: report.findings.map(one),
    suppressed: report.suppressed.map(suppressed),
    warnings: report.warnings.map((w) => known.redact(w)),
  };
  // A skipped file's path can hold a secret too (a dump named after its key): redacted as findings' paths are.
  const places = known.longOnes(MIN_PLACE_SECRET);
  if (report.skipped) out.skipped = report.skipped.map((s) => ({ ...s, path: places.redact(s.path), ...(s.detail !== undefined ? { detail: known.redact(s.detail) } : {}) }));
  return out;
}

/** Renders `report` in `format`; a Promise (await it): each format's renderer is loaded when first used. */
export async function renderReport(format: string, report: ScanReport, opts: ReportOptions): Promise<string> {
  const load = loaders[format];
  if (!load) throw new ArgumentError(`renderReport: unknown format "${format}"`);
  // What text.ts prints for it, without loading it: its colours (picocolors) create process.stdout
  // when loaded, which a clean pre-commit run (quiet) otherwise never does (see cli/main.ts).
  if (format === "text" && opts.quiet && report.findings.length === 0 && !(opts.showSuppressed && report.suppressed.length > 0)) return "";
  const reporter = (await load()).default;
  return reporter(redactReport(report, opts.showSecrets), opts);
}
