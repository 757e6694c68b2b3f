/** Library: scan files and folders. */
import { resolve } from "node:path";
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import { finishReport } from "../postprocess.js";
import type { ScanReport } from "../report/types.js";
import { createScanner, type Scanner } from "../scanner.js";
import { DEFAULT_FILE_TIME_BUDGET_MS, scanFiles, type FileScanOptions } from "../sources/files.js";

/** Options for {@link scanPaths}. */
export interface ScanPathsOptions extends FileScanOptions {
  /** Configuration (default: loaded from `root`, like the CLI). */
  config?: ResolvedConfig;
  /** Config file to load instead of the one at `root`. */
  configFile?: string;
  scanner?: Scanner;
  /** Per-file time budget, ms, when no scanner is given (default 10 000; 0 = none). */
  timeBudgetMs?: number;
}

/**
 * Scans files and folders like `leakguard scan`: honours .gitignore, skips
 * binary and oversized files, never follows symlinks. Resolves to a report
 * with findings (raw secrets), suppressed candidates, counts and warnings.
 *
 * @example
 *   const { findings } = await scanPaths(["src", ".env"], { root: "/repo" });
 */
export async function scanPaths(paths: readonly string[] = ["."], options: ScanPathsOptions = {}): Promise<ScanReport> {
  const root = resolve(options.root ?? process.cwd());
  const scanner =
    options.scanner ??
    createScanner(options.config ?? loadConfig({ root, ...(options.configFile !== undefined ? { configFile: options.configFile } : {}) }), {
      timeBudgetMs: options.timeBudgetMs ?? DEFAULT_FILE_TIME_BUDGET_MS,
    });
  const report = await scanFiles(scanner, paths.map((p) => resolve(root, p)), { ...options, root });
  return finishReport(report);
}
