/** Library: scan files and folders. */
import { resolve } from "node:path";
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import { finishReport } from "../postprocess.js";
import type { ScanReport } from "../report/types.js";
import { createScanner, type Scanner } from "../scanner.js";
import { DEFAULT_FILE_TIME_BUDGET_MS, scanFiles, type FileScanOptions } from "../sources/files.js";
import { applySuppressions, resolveSalt } from "../suppress/index.js";

/** Options for {@link scanPaths}. */
export interface ScanPathsOptions extends FileScanOptions {
  /** Configuration (default: loaded from `root`, like the CLI). */
  config?: ResolvedConfig;
  /** Config file to load instead of the one at `root`. */
  configFile?: string;
  scanner?: Scanner;
  /** Fingerprint salt (default: the config's, else the repository's root commit, else the default salt). */
  salt?: string;
  /** Baseline file: findings in it move to `suppressed` (reason `baseline`). */
  baseline?: string;
  /** Ignore files (default: `.leakguardignore` and `.gitleaksignore` at `root`); `[]` for none. */
  ignoreFiles?: string[];
  /** Add a warning for each ignore entry that matches no finding. */
  reportUnusedIgnores?: boolean;
  /** Per-file time budget, ms, when no scanner is given (default 10 000; 0 = none). */
  timeBudgetMs?: number;
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
  const root = resolve(options.root ?? process.cwd());
  let scanner = options.scanner;
  let own: Scanner | undefined;
  if (!scanner) {
    const config = options.config ?? loadConfig({ root, ...(options.configFile !== undefined ? { configFile: options.configFile } : {}) });
    scanner = own = createScanner(config, {
      salt: options.salt ?? (await resolveSalt(root, config.salt)),
      timeBudgetMs: options.timeBudgetMs ?? DEFAULT_FILE_TIME_BUDGET_MS,
    });
  }
  let report: ScanReport;
  try {
    report = await scanFiles(scanner, paths.map((p) => resolve(root, p)), { ...options, root });
  } finally {
    await own?.close();
  }
  await applySuppressions(report, {
    root,
    ...(options.baseline !== undefined ? { baselineFile: resolve(root, options.baseline) } : {}),
    ...(options.ignoreFiles !== undefined ? { ignoreFiles: options.ignoreFiles.map((f) => resolve(root, f)) } : {}),
    ...(scanner.salt !== undefined ? { salt: scanner.salt } : {}),
    reportUnused: options.reportUnusedIgnores ?? false,
  });
  return finishReport(report);
}
