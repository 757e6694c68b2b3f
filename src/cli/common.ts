/**
 * Stage two of the CLI for scanning commands: raw flag values to the
 * library's {@link ScanSetup} (every command then calls its library twin,
 * which runs the one pipeline of api/pipeline.ts); and the single place
 * where a report becomes output and an exit code.
 */
import { resolve } from "node:path";
import type { ResolvedConfig } from "../config/load.js";
import { UsageError } from "../errors.js";
import { knownFormats, redactReport, renderReport } from "../report/index.js";
import { printable } from "../util/printable.js";
import type { ScanReport } from "../core/report.js";
import { DEFAULT_TIME_BUDGET_MS } from "../core/scanner.js";
import { writeOutput } from "../util/write-output.js";
import { resolveScanConfig, type ScanSetup } from "../api/pipeline.js";
import type { CommandContext } from "./context.js";
import type { Severity } from "../engine/types.js";
import { didYouMean } from "../util/suggest.js";
import { failsOn, parseConfidence, parseSeverity } from "./thresholds.js";

export { SCAN_FLAGS } from "./flags.js";

/** A str flag value. */
export const str = (ctx: CommandContext, name: string): string | undefined => ctx.flags[name] as string | undefined;
/** A bool flag value. */
export const bool = (ctx: CommandContext, name: string): boolean => ctx.flags[name] === true;
/** A list flag value. */
export const list = (ctx: CommandContext, name: string): string[] => (ctx.flags[name] as string[] | undefined) ?? [];

/**
 * The shared flags as the library's scan setup: config (`--config`,
 * `--no-config`, `--config-from`, `--no-repo-config`, gitleaks'
 * `--enable-rule`), `--min-confidence`, the time budget, the environment's
 * key, `--baseline`, gitleaks' `--baseline-path`, `--report-unused-ignores`.
 * Paths are resolved against the current folder here.
 */
export function setupFor(ctx: CommandContext): ScanSetup {
  const at = (name: string): string | undefined => {
    const v = str(ctx, name);
    return v === undefined ? undefined : resolve(ctx.io.cwd, v);
  };
  const configFrom = str(ctx, "config-from");
  const noRepoConfig = bool(ctx, "no-repo-config");
  if (configFrom !== undefined && noRepoConfig) throw new UsageError("--config-from and --no-repo-config exclude each other: pick one");
  const min = parseConfidence("--min-confidence", str(ctx, "min-confidence"));
  const configFile = at("config");
  const baseline = at("baseline");
  const importBaseline = at("gitleaks-baseline");
  const only = list(ctx, "enable-rule");
  // Set by the gitleaks layer only (cli/gitleaks.ts): -i/--gitleaks-ignore-path, --ignore-gitleaks-allow.
  const extraIgnore = list(ctx, "gitleaks-ignore").map((f) => resolve(ctx.io.cwd, f));
  return {
    ...(configFile !== undefined ? { configFile } : {}),
    noConfigFile: bool(ctx, "no-config"),
    ...(configFrom !== undefined ? { configFrom } : {}),
    noRepoConfig,
    ...(only.length > 0 ? { enableRules: only } : {}),
    ...(min !== undefined ? { minConfidence: min } : {}),
    timeBudgetMs: timeBudgetOf(ctx),
    env: ctx.io.env,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(importBaseline !== undefined ? { importBaseline } : {}),
    reportUnusedIgnores: bool(ctx, "report-unused-ignores"),
    ...(extraIgnore.length > 0 ? { extraIgnoreFiles: extraIgnore } : {}),
    ...(bool(ctx, "ignore-inline-allow") ? { ignoreInlineAllow: true } : {}),
  };
}

/** The configuration the flags name for a run rooted at `root` (for commands that only list or test rules). */
export function configFor(ctx: CommandContext, root: string): ResolvedConfig {
  return resolveScanConfig(root, setupFor(ctx));
}

/** The per-file time budget: --timeout-per-file, else the default (0 = none). */
function timeBudgetOf(ctx: CommandContext): number {
  const budget = ctx.flags["timeout-per-file"];
  if (typeof budget === "number" && budget < 0) throw new UsageError(`--timeout-per-file needs milliseconds (0 or more), got ${budget}`);
  return typeof budget === "number" ? budget : DEFAULT_TIME_BUDGET_MS;
}

/** What {@link emitReport} needs besides the report. */
export interface EmitOptions {
  format?: string;
  /** The scanned root, for text output. */
  root?: string;
  /** How the user named the root, for text output (see ReportOptions.rootLabel). */
  rootLabel?: string;
  /** The configuration the scan ran with: SARIF describes its rules (a custom rule's remediation, references and tags). */
  config?: ResolvedConfig;
}

/** The format to print: --format, else `github` inside GitHub Actions, else `text`. */
export function formatOf(ctx: CommandContext, allowed: readonly string[] = knownFormats()): string {
  const given = str(ctx, "format");
  const f = given?.toLowerCase() ?? (ctx.io.env.GITHUB_ACTIONS === "true" ? "github" : "text");
  if (!allowed.includes(f)) throw new UsageError(`--format ${given} is not one of ${allowed.join(", ")}${didYouMean(f, allowed)}`);
  return f;
}

/** True when progress may be drawn on stderr. */
export function progressOn(ctx: CommandContext): boolean {
  return !bool(ctx, "no-progress") && !bool(ctx, "quiet") && ctx.io.stderr.isTTY === true;
}

/**
 * Renders a finished report (the library's pipeline made it), writes it to
 * --output (see util/write-output.ts) or stdout, and returns the exit code:
 * 0 when nothing is reported, else --exit-code (1).
 */
export async function emitReport(ctx: CommandContext, report: ScanReport, eo: EmitOptions = {}): Promise<number> {
  const fmt = eo.format ?? formatOf(ctx);
  const out = str(ctx, "output");
  const quiet = bool(ctx, "quiet");
  const text = await renderReport(fmt, quiet ? { ...report, warnings: [] } : report, {
    showSecrets: bool(ctx, "show-secrets"),
    // Read only by a reporter that prints (reading them creates stdout: see cli/main.ts).
    get color() {
      return !out && ctx.io.stdout.isTTY === true && !ctx.io.env.NO_COLOR && fmt === "text";
    },
    command: ctx.command,
    showSuppressed: bool(ctx, "show-suppressed"),
    get width() {
      return ctx.io.stdout.columns ?? 100;
    },
    quiet,
    ...(eo.root !== undefined ? { root: eo.root } : {}),
    sarifRootUri: bool(ctx, "sarif-root-uri"),
    ...(eo.rootLabel ? { rootLabel: eo.rootLabel } : {}),
    ...(eo.config ? { rules: eo.config.rules } : {}),
  });
  if (out) await writeOutput(resolve(ctx.io.cwd, out), text, `--output ${out}`);
  else if (text) ctx.io.stdout.write(text);
  // gitleaks' -v with a report file: the findings in the log as well.
  if (out && bool(ctx, "also-text") && fmt !== "text") {
    ctx.io.stdout.write(await renderReport("text", report, { showSecrets: bool(ctx, "show-secrets"), command: ctx.command, width: ctx.io.stdout.columns ?? 100, ...(eo.rootLabel ? { rootLabel: eo.rootLabel } : {}) }));
  }
  const unscanned = (report.skipped ?? []).filter((s) => UNSCANNED.has(s.reason));
  // --quiet prints no warnings, but a text left unscanned may hold a secret: the hooks run quiet.
  if (quiet && unscanned.length > 0) {
    for (const s of redactReport({ ...report, skipped: unscanned }, false).skipped ?? []) {
      ctx.io.stderr.write(`leakguard: warning: ${printable(s.path)}: ${printable(s.detail ?? s.reason)}\n`);
    }
  }
  const skipCode = failOnSkip(ctx, report.skipped?.length ?? 0) || failOnUnscanned(ctx, unscanned.length);
  const code = exitCodeFor(ctx, report.findings);
  return code !== 0 ? code : skipCode;
}

/**
 * Skip reasons that leave text unscanned or scanned in part, which may hold
 * a secret; binaries, links, submodules and LFS pointers hold no text to scan.
 */
export const UNSCANNED: ReadonlySet<string> = new Set([
  "too-large", "timeout", "error", "unreadable", "missing-blob", "missing-object",
  "archive-limit", "archive-depth", "archive-corrupt", "archive-unsupported", "encrypted",
]);

/** With --fail-on-unscanned and texts left unscanned: says so on stderr (one line) and gives exit code 1; else 0. */
export function failOnUnscanned(ctx: CommandContext, unscanned: number): number {
  if (!bool(ctx, "fail-on-unscanned") || unscanned === 0) return 0;
  ctx.io.stderr.write(`leakguard: ${unscanned} text${unscanned === 1 ? "" : "s"} not scanned to the end (--fail-on-unscanned): blocked, since one may hold a secret\n`);
  return 1;
}

/** 0 when nothing fails the run (none reported, or none at --fail-on or above), else --exit-code (1). */
export function exitCodeFor(ctx: CommandContext, findings: readonly { severity: Severity }[]): number {
  if (!failsOn(findings, parseSeverity("--fail-on", str(ctx, "fail-on")))) return 0;
  const code = ctx.flags["exit-code"];
  return typeof code === "number" ? code : 1;
}

/**
 * With --fail-on-skip and files left unscanned: says so on stderr (one line)
 * and gives exit code 1; else 0.
 */
export function failOnSkip(ctx: CommandContext, skipped: number): number {
  if (!bool(ctx, "fail-on-skip") || skipped === 0) return 0;
  ctx.io.stderr.write(`leakguard: ${skipped} file${skipped === 1 ? "" : "s"} not scanned (--fail-on-skip)\n`);
  return 1;
}
