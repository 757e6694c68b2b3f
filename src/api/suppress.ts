/**
 * The suppression step every library scan ends with, as the CLI does it:
 * `.leakguardignore` / `.gitleaksignore` at the root (or the files named), the
 * baseline when one is named, matched under the scan's fingerprint salt (and,
 * when that is a private key, under the repository's own salt as well, so
 * entries written before the key still match).
 */
import { resolve } from "node:path";
import { resolveFingerprintSalt, type FingerprintSalt } from "../config/fingerprint-salt.js";
import type { ScanReport } from "../core/report.js";
import { applySuppressions } from "../suppress/index.js";

/** What a library caller may say about suppressions (scanPaths, scanStaged, scanHistory). */
export interface LibrarySuppressOptions {
  /** Baseline file (relative to the root): findings in it move to `suppressed` (reason `baseline`). */
  baseline?: string;
  /** Ignore files (relative to the root; default: `.leakguardignore` and `.gitleaksignore` at the root); `[]` for none. */
  ignoreFiles?: string[];
  /** Add a warning for each ignore entry that matches no finding. */
  reportUnusedIgnores?: boolean;
}

/** Applies ignore files and the baseline to `report` (see the module comment). */
export async function suppressLikeCli(
  report: ScanReport,
  root: string,
  salt: FingerprintSalt | undefined,
  configSalt: string | undefined,
  options: LibrarySuppressOptions,
): Promise<ScanReport> {
  return applySuppressions(report, {
    root,
    ...(salt?.kind === "key" ? { fallbackSalt: await resolveFingerprintSalt({ root, configSalt, env: {} }) } : {}),
    ...(options.baseline !== undefined ? { baselineFile: resolve(root, options.baseline) } : {}),
    ...(options.ignoreFiles !== undefined ? { ignoreFiles: options.ignoreFiles.map((f) => resolve(root, f)) } : {}),
    ...(salt !== undefined ? { salt } : {}),
    reportUnused: options.reportUnusedIgnores ?? false,
  });
}
