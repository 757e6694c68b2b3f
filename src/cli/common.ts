/**
 * Stage two of the CLI for scanning commands: raw flag values to a resolved
 * configuration and scanner; and the single place where a report becomes
 * output and an exit code.
 */
import { resolve } from "node:path";
import { resolveFingerprintSalt, type FingerprintSalt } from "../config/fingerprint-salt.js";
import { RefReader } from "../config/from-ref.js";
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import { readConfigFile } from "../util/read-config-file.js";
import { BASELINE_MAX_BYTES } from "../suppress/baseline.js";
import { InputError, UsageError } from "../errors.js";
import { parseImport } from "../suppress/import.js";
import { noteConfigUse } from "../config/provenance.js";
import { knownFormats, renderReport } from "../report/index.js";
import type { ScanReport } from "../core/report.js";
import { createScanner, DEFAULT_TIME_BUDGET_MS, type Scanner } from "../core/scanner.js";
import { finishReport } from "../core/postprocess.js";
import { writeOutput } from "../util/write-output.js";
import { applySuppressions, IGNORE_NAMES } from "../suppress/index.js";
import type { CommandContext } from "./context.js";
import type { Severity } from "../engine/types.js";
import { didYouMean } from "./suggest.js";
import { applyMinConfidence, failsOn, parseConfidence, parseSeverity } from "./thresholds.js";

export { SCAN_FLAGS } from "./flags.js";

/** A str flag value. */
export const str = (ctx: CommandContext, name: string): string | undefined => ctx.flags[name] as string | undefined;
/** A bool flag value. */
export const bool = (ctx: CommandContext, name: string): boolean => ctx.flags[name] === true;
/** A list flag value. */
export const list = (ctx: CommandContext, name: string): string[] => (ctx.flags[name] as string[] | undefined) ?? [];

/**
 * Where the repository's own config and ignore files come from for this run:
 * the work tree (default), a trusted revision (`--config-from REF`), or
 * nowhere (`--no-repo-config`: built-in rules plus an explicit --config).
 * Cached per run, so every step of one command reads the same revision.
 */
export function repoConfigSource(ctx: CommandContext, root: string): { kind: "worktree" } | { kind: "none" } | { kind: "ref"; reader: RefReader } {
  const from = str(ctx, "config-from");
  const none = bool(ctx, "no-repo-config");
  if (from !== undefined && none) throw new UsageError("--config-from and --no-repo-config exclude each other: pick one");
  if (none) return { kind: "none" };
  if (from === undefined) return { kind: "worktree" };
  const cache = ctx as CommandContext & { refReader?: RefReader };
  cache.refReader ??= RefReader.open(root, from);
  return { kind: "ref", reader: cache.refReader };
}

/** Loads the configuration for a scan rooted at `root` (see {@link repoConfigSource}). */
export function configFor(ctx: CommandContext, root: string): ResolvedConfig {
  const cfgFlag = str(ctx, "config");
  const src = repoConfigSource(ctx, root);
  const min = parseConfidence("--min-confidence", str(ctx, "min-confidence"));
  const config = loadConfig({
    root,
    ...(cfgFlag !== undefined ? { configFile: resolve(ctx.io.cwd, cfgFlag) } : {}),
    noConfigFile: bool(ctx, "no-config") || src.kind === "none",
    ...(src.kind === "ref" ? { reader: src.reader } : {}),
    // The engine applies it: audit candidates are judged before the user's allowlists and markers.
    ...(min !== undefined ? { minConfidence: min } : {}),
  });
  // gitleaks' --enable-rule (compatibility layer): only the named rules run.
  const only = list(ctx, "enable-rule");
  if (only.length === 0) return config;
  const ids = config.rules.map((r) => r.id);
  for (const id of only) if (!ids.includes(id)) throw new UsageError(`--enable-rule ${id}: no such rule${didYouMean(id, ids)}`);
  return { ...config, rules: config.rules.filter((r) => only.includes(r.id)) };
}

/** The per-file time budget: --timeout-per-file, else the default (0 = none). */
export function timeBudgetOf(ctx: CommandContext): number {
  const budget = ctx.flags["timeout-per-file"];
  if (typeof budget === "number" && budget < 0) throw new UsageError(`--timeout-per-file needs milliseconds (0 or more), got ${budget}`);
  return typeof budget === "number" ? budget : DEFAULT_TIME_BUDGET_MS;
}

/**
 * The fingerprint salt of a run: `LEAKGUARD_FINGERPRINT_KEY` from the run's
 * environment, else the config's salt, else the root commit of the
 * repository holding `root` (looked up only when `root` is given), else the
 * default. The one decision lives in config/fingerprint-salt.ts.
 */
export function fingerprintSaltFor(ctx: CommandContext, config: ResolvedConfig, root: string | undefined): Promise<FingerprintSalt> {
  return resolveFingerprintSalt({ env: ctx.io.env, configSalt: config.salt, root });
}

/**
 * Config plus scanner (with the time budget) and the fingerprint salt every
 * command should use (see {@link fingerprintSaltFor}); `repoSalt: false` skips
 * the repository's root commit (staged re-keys later, only when it must).
 */
export async function scannerFor(ctx: CommandContext, root: string, opts: { repoSalt?: boolean } = {}): Promise<Scanner> {
  const config = configFor(ctx, root);
  return createScanner(config, { timeBudgetMs: timeBudgetOf(ctx), fingerprint: await fingerprintSaltFor(ctx, config, opts.repoSalt === false ? undefined : root) });
}

/** Where the report of {@link emitReport} came from: the root holds the ignore files; the scanner names the config and salt. */
export interface EmitOptions {
  format?: string;
  /** Folder with `.leakguardignore` / `.gitleaksignore` (default: the current folder). */
  root?: string;
  /** How the user named the root, for text output (see ReportOptions.rootLabel). */
  rootLabel?: string;
  /** The scanner that made the report: its config files are listed in the summary, its salt checks the baseline. */
  scanner?: Scanner;
  /** The salt of the findings when it differs from the scanner's (staged re-keys with the root commit); null: unknown, skip the baseline check. */
  salt?: FingerprintSalt | null;
}

/** The ignore files of a run: the work tree's, the revision's (--config-from), or none (--no-repo-config). */
export function ignoreOptions(ctx: CommandContext, root: string): { ignoreFiles?: string[]; ignoreTexts?: Array<{ label: string; text: string }> } {
  const src = repoConfigSource(ctx, root);
  if (src.kind === "worktree") return {};
  if (src.kind === "none") return { ignoreFiles: [] };
  const dir = src.reader.folderOf(root);
  if (dir === undefined) return { ignoreFiles: [] };
  const texts: Array<{ label: string; text: string }> = [];
  for (const n of IGNORE_NAMES) {
    const rel = dir ? `${dir}/${n}` : n;
    const text = src.reader.readOptional(rel);
    if (text !== undefined) texts.push({ label: `${src.reader.ref}:${rel}`, text });
  }
  return { ignoreTexts: texts };
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
 * Applies ignore files and --baseline, renders the report, writes it to
 * --output (see util/write-output.ts) or stdout, and returns the exit code: 0 when nothing
 * is reported, else --exit-code (1). The third argument is the format, or
 * options naming the root (ignore files) and salt.
 */
export async function emitReport(ctx: CommandContext, report: ScanReport, formatOrOptions?: string | EmitOptions): Promise<number> {
  const eo: EmitOptions = typeof formatOrOptions === "string" ? { format: formatOrOptions } : (formatOrOptions ?? {});
  const baseline = str(ctx, "baseline");
  applyMinConfidence(report, parseConfidence("--min-confidence", str(ctx, "min-confidence")));
  const root = eo.root ?? ctx.io.cwd;
  const salt = eo.salt === null ? undefined : (eo.salt ?? eo.scanner?.fingerprintSalt);
  if (eo.scanner) noteConfigUse(report, eo.scanner.config, root);
  // Without the key, the repository's own salt: what ignore entries and baselines written before the key hold.
  const fallback = salt?.kind === "key" ? await resolveFingerprintSalt({ root, configSalt: eo.scanner?.config.salt, env: {} }) : undefined;
  await applySuppressions(report, {
    root,
    ...ignoreOptions(ctx, root),
    ...(baseline !== undefined ? { baselineFile: resolve(ctx.io.cwd, baseline) } : {}),
    ...(salt !== undefined ? { salt } : {}),
    ...(fallback !== undefined ? { fallbackSalt: fallback } : {}),
    reportUnused: bool(ctx, "report-unused-ignores"),
  });
  const gitleaksBaseline = str(ctx, "gitleaks-baseline");
  if (gitleaksBaseline !== undefined) applyForeignBaseline(report, gitleaksBaseline);
  finishReport(report);
  const fmt = eo.format ?? formatOf(ctx);
  const out = str(ctx, "output");
  const quiet = bool(ctx, "quiet");
  const rendered = await renderReport(fmt, quiet ? { ...report, warnings: [] } : report, {
    showSecrets: bool(ctx, "show-secrets"),
    color: !out && ctx.io.stdout.isTTY === true && !ctx.io.env.NO_COLOR && fmt === "text",
    command: ctx.command,
    showSuppressed: bool(ctx, "show-suppressed"),
    width: ctx.io.stdout.columns ?? 100,
    quiet,
    ...(eo.root !== undefined ? { root: eo.root } : {}),
    sarifRootUri: bool(ctx, "sarif-root-uri"),
    ...(eo.rootLabel ? { rootLabel: eo.rootLabel } : {}),
    // SARIF describes the rules the scan ran with: a custom rule's remediation, references and tags.
    ...(eo.scanner ? { rules: eo.scanner.config.rules } : {}),
  });
  const text = rendered;
  if (out) await writeOutput(resolve(ctx.io.cwd, out), text, `--output ${out}`);
  else if (text) ctx.io.stdout.write(text);
  // gitleaks' -v with a report file: the findings in the log as well.
  if (out && bool(ctx, "also-text") && fmt !== "text") {
    ctx.io.stdout.write(await renderReport("text", report, { showSecrets: bool(ctx, "show-secrets"), command: ctx.command, width: ctx.io.stdout.columns ?? 100, ...(eo.rootLabel ? { rootLabel: eo.rootLabel } : {}) }));
  }
  const skipCode = failOnSkip(ctx, report.skipped?.length ?? 0);
  const code = exitCodeFor(ctx, report.findings);
  return code !== 0 ? code : skipCode;
}

/**
 * gitleaks' --baseline-path holding a gitleaks JSON report (matched like
 * `baseline --from`): findings in it move to the suppressed list.
 */
function applyForeignBaseline(report: ScanReport, file: string): void {
  // The same safe reader as `baseline --from`: a regular file under the cap, never a FIFO or device.
  const text = readConfigFile(file, { kind: "report", label: `--baseline-path ${file}`, maxBytes: BASELINE_MAX_BYTES });
  if (text === undefined) throw new InputError(`--baseline-path ${file}: cannot read (ENOENT)`);
  const imported = parseImport(text, file);
  report.findings = report.findings.filter((f) => {
    const why = imported.match(f);
    if (why === undefined) return true;
    report.suppressed.push({ finding: f, reason: "baseline", detail: why });
    return false;
  });
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
