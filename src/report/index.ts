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
import { redactFinding } from "../engine/redact.js";
import type { RuleDef } from "../engine/types.js";
import type { ScanReport } from "./types.js";

/** Formats every scanning command takes. */
export const SCAN_FORMATS = ["text", "json", "jsonl", "sarif", "junit", "csv", "github"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

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
  /** Absolute folder that `file` paths are relative to; sarif names it in `originalUriBaseIds`. */
  root?: string;
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

/** Registers a format (used by reporters that live in their own modules). */
export function registerFormat(name: string, load: () => Promise<{ default: Reporter }>): void {
  loaders[name] = load;
}

/** Known format names. */
export function knownFormats(): string[] {
  return Object.keys(loaders);
}

/** A copy of `report` with every finding and suppressed finding redacted. */
export function redactReport(report: ScanReport, showSecrets: boolean): ScanReport {
  if (showSecrets) return report;
  return {
    ...report,
    findings: report.findings.map((f) => redactFinding(f)),
    suppressed: report.suppressed.map((s) => ({ ...s, finding: redactFinding(s.finding) })),
  };
}

/** Renders `report` in `format`. */
export async function renderReport(format: string, report: ScanReport, opts: ReportOptions): Promise<string> {
  const load = loaders[format];
  if (!load) throw new Error(`unknown format "${format}"`);
  const reporter = (await load()).default;
  return reporter(redactReport(report, opts.showSecrets), opts);
}
