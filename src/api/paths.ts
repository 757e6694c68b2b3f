/** Library: scan files and folders. */
import { resolve } from "node:path";
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import { finishReport } from "../core/postprocess.js";
import type { Confidence } from "../engine/types.js";
import type { ScanReport } from "../core/report.js";
import { createScanner, type Scanner } from "../core/scanner.js";
import { DEFAULT_FILE_TIME_BUDGET_MS, scanFiles, type FileScanOptions } from "../sources/files.js";
import { resolveFingerprintSalt } from "../config/fingerprint-salt.js";
import { noteConfigUse } from "../config/provenance.js";
import { suppressLikeCli } from "./suppress.js";
import { checkConfig, checkOptions, checkStringArray, checkStringFields } from "../util/validate.js";

/** Options for {@link scanPaths}. */
export interface ScanPathsOptions extends FileScanOptions {
  /** Configuration (default: loaded from `root`, like the CLI). */
  config?: ResolvedConfig;
  /** Config file to load instead of the one at `root`. */
  configFile?: string;
  scanner?: Scanner;
  /** Explicit fingerprint salt (default: the key, else the config's salt, else the repository's root commit, else the default salt). */
  salt?: string;
  /** Private fingerprint key (default: `LEAKGUARD_FINGERPRINT_KEY` from `env`); see `createScanner`. */
  fingerprintKey?: string;
  /** Environment for the key (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Baseline file: findings in it move to `suppressed` (reason `baseline`). */
  baseline?: string;
  /** Ignore files (default: `.leakguardignore` and `.gitleaksignore` at `root`); `[]` for none. */
  ignoreFiles?: string[];
  /** Add a warning for each ignore entry that matches no finding. */
  reportUnusedIgnores?: boolean;
  /** Per-file time budget, ms, when no scanner is given (default 10 000; 0 = none). */
  timeBudgetMs?: number;
  /** Lowest confidence reported when no scanner is given; `low` = audit mode (see ResolvedConfig.minConfidence). */
  minConfidence?: Confidence;
}

/**
 * Scans files and folders like `leakguard scan`: honours .gitignore, skips
 * binary and oversized files, never follows symlinks, applies ignore files
 * and the baseline. Resolves to a report with findings (raw secrets),
 * suppressed candidates, counts and warnings.
 *
 * @example
 *   const { findings } = await scanPaths(["src", ".env"], { root: "/repo" });
 */
export async function scanPaths(paths: readonly string[] = ["."], options: ScanPathsOptions = {}): Promise<ScanReport> {
  checkStringArray("scanPaths", "paths", paths);
  checkOptions("scanPaths", options);
  checkStringFields("scanPaths", options, ["root", "configFile", "salt", "baseline", "fingerprintKey"]);
  if (options.ignoreFiles !== undefined) checkStringArray("scanPaths", "options.ignoreFiles", options.ignoreFiles);
  checkConfig("scanPaths", "options.config", options.config);
  const root = resolve(options.root ?? process.cwd());
  let scanner = options.scanner;
  let own: Scanner | undefined;
  if (!scanner) {
    const config = options.config ?? loadConfig({ root, ...(options.configFile !== undefined ? { configFile: options.configFile } : {}) });
    scanner = own = createScanner(config, {
      fingerprint: await resolveFingerprintSalt({ salt: options.salt, fingerprintKey: options.fingerprintKey, env: options.env, configSalt: config.salt, root }),
      timeBudgetMs: options.timeBudgetMs ?? DEFAULT_FILE_TIME_BUDGET_MS,
      ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
    });
  }
  let report: ScanReport;
  try {
    report = await scanFiles(scanner, paths.map((p) => resolve(root, p)), { ...options, root });
  } finally {
    await own?.close();
  }
  noteConfigUse(report, scanner.config, root);
  await suppressLikeCli(report, root, scanner.fingerprintSalt, scanner.config.salt, options);
  return finishReport(report);
}
