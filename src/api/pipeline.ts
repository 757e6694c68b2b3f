/**
 * The one path from options to a report, for every library scan and so for
 * every CLI command (the commands only parse flags into {@link ScanSetup}
 * and render what comes back):
 *
 * 1. the configuration: given, or loaded at the source's root (from the work
 *    tree, a git revision with `configFrom`, or nowhere with `noRepoConfig`);
 * 2. the fingerprint salt, planned without git (config/fingerprint-salt.ts);
 * 3. the scanner, and the source run with it;
 * 4. the final salt, asked only when a fingerprint is needed (a finding, a
 *    baseline): findings scanned under the provisional salt are re-keyed;
 * 5. `minConfidence`, the config files used, ignore files, the baseline, an
 *    imported gitleaks / detect-secrets baseline; then dedupe and sort.
 */
import { resolve } from "node:path";
import { loadConfig, loadConfigLazily, type ResolvedConfig } from "../config/load.js";
import { RefReader } from "../config/from-ref.js";
import { planSalt, type FingerprintSalt, type SaltPlan } from "../config/fingerprint-salt.js";
import { displayPath, noteConfigUse } from "../config/provenance.js";
import { applyMinConfidence, finishReport } from "../core/postprocess.js";
import type { ScanReport } from "../core/report.js";
import { createScanner, DEFAULT_TIME_BUDGET_MS, type Scanner } from "../core/scanner.js";
import { fingerprintOf } from "../engine/fingerprint.js";
import type { Confidence } from "../engine/types.js";
import { ArgumentError, InputError } from "../errors.js";
import { BASELINE_MAX_BYTES } from "../suppress/baseline.js";
import { parseImport } from "../suppress/import.js";
import { applySuppressions, IGNORE_NAMES, type SuppressOptions } from "../suppress/index.js";
import { readConfigFile } from "../util/read-config-file.js";
import { didYouMean } from "../util/suggest.js";
import { checkConfig, checkOptions, checkStringArray, checkStringFields } from "../util/validate.js";

/**
 * How a scan is set up: what every library scan function takes besides its
 * source (the CLI fills it from the shared flags). Paths are relative to the
 * scan's root unless absolute.
 */
export interface ScanSetup {
  /** Configuration (default: loaded at the root, like the CLI). */
  config?: ResolvedConfig;
  /** Config file to load instead of the one at the root (`--config`). */
  configFile?: string;
  /** Do not look for a config file at the root (`--no-config`). */
  noConfigFile?: boolean;
  /**
   * Read the repository's `.leakguard.toml` and ignore files from this git
   * revision, not the work tree (`--config-from REF`): a change cannot
   * silence its own findings by editing them.
   */
  configFrom?: string;
  /** Ignore the repository's config and ignore files: built-in rules plus `configFile` only (`--no-repo-config`). */
  noRepoConfig?: boolean;
  /** Only these rules run (gitleaks' `--enable-rule`); an unknown id is an error. */
  enableRules?: string[];
  /** A ready scanner: its config and salt are used as they are. */
  scanner?: Scanner;
  /** Explicit fingerprint salt (wins over the key). */
  salt?: string;
  /** Private fingerprint key (default: `LEAKGUARD_FINGERPRINT_KEY` from `env`); see `createScanner`. */
  fingerprintKey?: string;
  /** Environment for the key (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Per-file, blob or message time budget, ms, when no scanner is given (default 10 000; 0 = none). */
  timeBudgetMs?: number;
  /** Lowest confidence reported; `low` = audit mode (see ResolvedConfig.minConfidence). */
  minConfidence?: Confidence;
  /** Baseline file: findings in it move to `suppressed` (reason `baseline`). */
  baseline?: string;
  /** Ignore files (default: `.leakguardignore` and `.gitleaksignore` at the root); `[]` for none. */
  ignoreFiles?: string[];
  /** Ignore files read as well as those (gitleaks' `--gitleaks-ignore-path`); missing ones are skipped. */
  extraIgnoreFiles?: string[];
  /** Inline markers (`gitleaks:allow`, `leakguard:allow`, `pragma: allowlist secret`) suppress nothing (gitleaks' `--ignore-gitleaks-allow`). */
  ignoreInlineAllow?: boolean;
  /** A gitleaks JSON report or detect-secrets baseline whose findings count as baselined (gitleaks' `--baseline-path`). */
  importBaseline?: string;
  /** Add a warning for each ignore entry that matches no finding. */
  reportUnusedIgnores?: boolean;
}

/** Where a scan reads from, as the pipeline needs to know it. */
export interface ScanSource<R extends ScanReport = ScanReport> {
  /** The folder holding the config and ignore files (the scanned root, or the repository's work tree). */
  root: string;
  /** The repository whose root commit salts fingerprints when nothing stronger is set (none: plain folders). */
  repository?: string | undefined;
  /**
   * True when the final salt is needed before scanning, even without
   * findings (history keys its blob cache and places by fingerprint; a
   * written baseline records the salt).
   */
  saltFirst?: boolean;
  /**
   * False when a run that found nothing skips the salt even with a baseline
   * (the pre-commit hook: the salt is a walk to the root commit, and with no
   * finding there is nothing the baseline's salt could mismatch). Default:
   * a baseline is checked against the salt on every run.
   */
  baselineSaltWhenClean?: boolean;
  /**
   * True when the source scans a few texts (the staged change, a push's commits): the built-in
   * rules are then parsed and compiled only as the texts select them (see
   * config/load.ts `loadConfigLazily`). Same findings either way.
   */
  fewTexts?: boolean;
  /**
   * The repository's root commit, when the caller started asking git for it
   * before the configuration was loaded (history: the salt comes first, and
   * its walk of every commit runs beside the other listings); `unused` is
   * told when the configuration or the setup decides the salt instead.
   */
  rootCommit?: { answer: Promise<string | undefined>; unused(): void };
  /** Runs the scan. */
  scan(scanner: Scanner): Promise<R>;
}

/** A scan's report with what it was made with (the CLI describes rules in SARIF from `config`). */
export interface ScanOutcome<R extends ScanReport = ScanReport> {
  report: R;
  /** The configuration the scan ran with. */
  config: ResolvedConfig;
  /** The folder whose ignore files applied. */
  root: string;
}

/** A scanner ready for a source, with the plan that salted it. */
export interface PreparedScan {
  scanner: Scanner;
  /** Undefined when the caller gave the scanner. */
  plan: SaltPlan | undefined;
  /** The revision reader of `configFrom`, shared by the config and the ignore files. */
  reader: RefReader | undefined;
  /** True when the scanner is ours to close. */
  own: boolean;
}

/** The string fields of {@link ScanSetup}, for the shape checks at the library boundary. */
const SETUP_STRING_FIELDS: readonly string[] = ["configFile", "configFrom", "salt", "fingerprintKey", "baseline", "importBaseline"];

/**
 * The shape checks every scan function makes at the library boundary: an
 * options object, its string fields (the function's own and the
 * {@link ScanSetup} ones) and its config; one-line errors naming `fn`.
 */
export function checkSetup(fn: string, options: unknown, ownStringFields: readonly string[]): void {
  checkOptions(fn, options);
  const o = options as (ScanSetup & { config?: unknown }) | undefined;
  checkStringFields(fn, o, [...ownStringFields, ...SETUP_STRING_FIELDS]);
  checkConfig(fn, "options.config", o?.config);
  if (o?.extraIgnoreFiles !== undefined) checkStringArray(fn, "options.extraIgnoreFiles", o.extraIgnoreFiles);
}

/** The revision reader of `configFrom` for a scan rooted at `root`, if one is asked for. */
function revisionReader(root: string, setup: ScanSetup): RefReader | undefined {
  if (setup.configFrom !== undefined && setup.noRepoConfig) throw new ArgumentError("configFrom and noRepoConfig exclude each other: pick one");
  return setup.configFrom !== undefined ? RefReader.open(root, setup.configFrom) : undefined;
}

/** Loads the configuration of a scan rooted at `root` (see {@link ScanSetup}). */
export function resolveScanConfig(root: string, setup: ScanSetup, reader = revisionReader(root, setup), fewTexts = false): ResolvedConfig {
  const loaded =
    setup.config ??
    (fewTexts ? loadConfigLazily : loadConfig)({
      root,
      ...(setup.configFile !== undefined ? { configFile: resolve(root, setup.configFile) } : {}),
      noConfigFile: setup.noConfigFile === true || setup.noRepoConfig === true,
      ...(reader ? { reader } : {}),
    });
  const config = setup.ignoreInlineAllow === true ? { ...loaded, ignoreInlineAllow: true } : loaded;
  const only = setup.enableRules ?? [];
  if (only.length === 0) return config;
  const ids = config.rules.map((r) => r.id);
  for (const id of only) if (!ids.includes(id)) throw new ArgumentError(`--enable-rule ${id}: no such rule${didYouMean(id, ids)}`);
  return { ...config, rules: config.rules.filter((r) => only.includes(r.id)) };
}

/**
 * Steps 1–3 without running anything: the configuration, the salt plan and
 * the scanner (salted with the final salt when the source asks for it first).
 */
export async function prepareScan(source: Pick<ScanSource, "root" | "repository" | "saltFirst" | "fewTexts" | "rootCommit">, setup: ScanSetup): Promise<PreparedScan> {
  if (setup.scanner) return { scanner: setup.scanner, plan: undefined, reader: undefined, own: false };
  const reader = revisionReader(source.root, setup);
  const config = resolveScanConfig(source.root, setup, reader, source.fewTexts === true);
  const plan = planSalt({ salt: setup.salt, fingerprintKey: setup.fingerprintKey, env: setup.env, configSalt: config.salt }, source.repository, source.rootCommit?.answer);
  if (!plan.pending) source.rootCommit?.unused();
  const scanner = createScanner(config, {
    fingerprint: source.saltFirst ? await plan.final() : plan.initial,
    timeBudgetMs: setup.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
    ...(setup.minConfidence !== undefined ? { minConfidence: setup.minConfidence } : {}),
  });
  return { scanner, plan, reader, own: true };
}

/**
 * Runs `source` through the whole pipeline (see the module comment). A scan
 * `prepared` ahead for this very source and setup (see {@link prepareScan})
 * is used instead of preparing one.
 */
export async function runScan<R extends ScanReport>(source: ScanSource<R>, setup: ScanSetup, prepared?: PreparedScan): Promise<ScanOutcome<R>> {
  prepared ??= await prepareScan(source, setup);
  const report = await withPrepared(prepared, (scanner) => source.scan(scanner));
  return finishScan(report, source.root, setup, prepared, source.baselineSaltWhenClean !== false);
}

/** Runs `scan` with the prepared scanner, then closes the scanner when it is ours (whatever `scan` did). */
export async function withPrepared<T>(prepared: PreparedScan, scan: (scanner: Scanner) => Promise<T>): Promise<T> {
  try {
    return await scan(prepared.scanner);
  } finally {
    if (prepared.own) await prepared.scanner.close();
  }
}

/** Steps 4–5 on a finished scan's report (changed in place). */
export async function finishScan<R extends ScanReport>(
  report: R,
  root: string,
  setup: ScanSetup,
  prepared: PreparedScan,
  baselineSaltWhenClean = true,
): Promise<ScanOutcome<R>> {
  const { scanner, plan } = prepared;
  const found = report.findings.length + report.suppressed.length > 0;
  let salt: FingerprintSalt | undefined = scanner.fingerprintSalt;
  if (plan?.pending) {
    salt = found || (baselineSaltWhenClean && setup.baseline !== undefined) ? await plan.final() : undefined;
    if (salt !== undefined && salt.value !== scanner.salt) rekey(report, salt.value);
  }
  applyMinConfidence(report, setup.minConfidence ?? scanner.config.minConfidence);
  noteConfigUse(report, scanner.config, root);
  await applySuppressions(report, {
    root,
    ...ignoreSources(root, setup, prepared.reader),
    ...(setup.baseline !== undefined ? { baselineFile: resolve(root, setup.baseline) } : {}),
    ...(salt !== undefined ? { salt } : {}),
    ...(plan ? { fallbackSalt: () => plan.withoutKey() } : {}),
    reportUnused: setup.reportUnusedIgnores ?? false,
  });
  if (setup.importBaseline !== undefined) {
    const file = resolve(root, setup.importBaseline);
    applyImportedBaseline(report, file, displayPath(file, root));
  }
  finishReport(report);
  return { report, config: scanner.config, root };
}

/** Gives every finding (reported and suppressed) its fingerprint under `salt`. */
function rekey(report: ScanReport, salt: string): void {
  for (const f of [...report.findings, ...report.suppressed.map((s) => s.finding)]) f.fingerprint = fingerprintOf(f.ruleId, f.secret, salt);
}

/** The ignore files of a scan: the caller's, the revision's (`configFrom`), none (`noRepoConfig`), else the work tree's. */
function ignoreSources(root: string, setup: ScanSetup, reader: RefReader | undefined): Pick<SuppressOptions, "ignoreFiles" | "ignoreTexts" | "extraIgnoreFiles"> {
  const extra = setup.extraIgnoreFiles?.map((f) => resolve(root, f)) ?? [];
  return { ...repoIgnoreSources(root, setup, reader), ...(extra.length > 0 ? { extraIgnoreFiles: extra } : {}) };
}

/** The repository's (or the caller's) ignore files, see {@link ignoreSources}. */
function repoIgnoreSources(root: string, setup: ScanSetup, reader: RefReader | undefined): Pick<SuppressOptions, "ignoreFiles" | "ignoreTexts"> {
  if (setup.ignoreFiles !== undefined) return { ignoreFiles: setup.ignoreFiles.map((f) => resolve(root, f)) };
  if (setup.noRepoConfig) return { ignoreFiles: [] };
  if (!reader) return {};
  const dir = reader.folderOf(root);
  if (dir === undefined) return { ignoreFiles: [] };
  const texts: Array<{ label: string; text: string }> = [];
  for (const n of IGNORE_NAMES) {
    const rel = dir ? `${dir}/${n}` : n;
    const text = reader.readOptional(rel);
    if (text !== undefined) texts.push({ label: `${reader.ref}:${rel}`, text });
  }
  return { ignoreTexts: texts };
}

/**
 * A gitleaks JSON report or detect-secrets baseline (matched like
 * `baseline --from`): findings in it move to the suppressed list.
 */
function applyImportedBaseline(report: ScanReport, file: string, label: string): void {
  // The safe reader of `baseline --from`: a regular file under the cap, never a FIFO or device.
  const text = readConfigFile(file, { kind: "report", label: `--baseline-path ${label}`, maxBytes: BASELINE_MAX_BYTES });
  if (text === undefined) throw new InputError(`--baseline-path ${label}: cannot read (ENOENT)`);
  const imported = parseImport(text, label);
  report.findings = report.findings.filter((f) => {
    const why = imported.match(f);
    if (why === undefined) return true;
    report.suppressed.push({ finding: f, reason: "baseline", detail: why });
    return false;
  });
}
