/** Library: scan what `git commit` would record (the index), added lines only. */
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import { noteConfigUse } from "../config/provenance.js";
import { prepareStaged, scanStagedChanges, stagedFingerprintSalt } from "../scans/staged.js";
import { finishReport } from "../core/postprocess.js";
import type { Confidence } from "../engine/types.js";
import type { ScanReport } from "../core/report.js";
import { suppressLikeCli, type LibrarySuppressOptions } from "./suppress.js";
import { checkConfig, checkOptions, checkStringFields } from "../util/validate.js";
import { createScanner, DEFAULT_TIME_BUDGET_MS, type Scanner } from "../core/scanner.js";

/** Options for {@link scanStaged}. */
export interface ScanStagedOptions extends LibrarySuppressOptions {
  /** A folder inside the repository (default: process.cwd()). */
  cwd?: string;
  /** Scan whole staged files, not only added lines. */
  allLines?: boolean;
  /** Configuration (default: loaded from the repository root, like the CLI). */
  config?: ResolvedConfig;
  /** Config file to load instead of the one at the root. */
  configFile?: string;
  /** A scanner to reuse; wins over `config`. */
  scanner?: Scanner;
  /** Extra environment for git, e.g. `{ GIT_INDEX_FILE }` to scan another index. */
  env?: NodeJS.ProcessEnv;
  /** Per-file time budget, ms, when no scanner is given (default 10 000; 0 = none). */
  timeBudgetMs?: number;
  /** Private fingerprint key (default: `LEAKGUARD_FINGERPRINT_KEY` from process.env); see `createScanner`. */
  fingerprintKey?: string;
  /** Lowest confidence reported when no scanner is given; `low` = audit mode (see ResolvedConfig.minConfidence). */
  minConfidence?: Confidence;
}

/**
 * Scans the staged changes of the repository holding `cwd`: the index against
 * HEAD (the empty tree before the first commit). Only findings touching added
 * lines are reported unless `allLines`. Findings carry the raw secret, the
 * would-be author and email, and no commit. Fingerprints are keyed by the
 * private key when one is set, else salted with the config's salt or the root
 * commit's id.
 *
 * @example
 *   const { findings } = await scanStaged({ cwd: "/repo" });
 *   if (findings.length) process.exitCode = 1;
 */
export async function scanStaged(options: ScanStagedOptions = {}): Promise<ScanReport> {
  checkOptions("scanStaged", options);
  checkStringFields("scanStaged", options, ["cwd", "configFile", "fingerprintKey", "baseline"]);
  checkConfig("scanStaged", "options.config", options.config);
  const state = await prepareStaged(options.cwd ?? process.cwd(), options.env ? { env: options.env } : {});
  let own: Scanner | undefined;
  try {
    let scanner = options.scanner;
    if (!scanner) {
      const config = options.config ?? loadConfig({ root: state.repo.root, ...(options.configFile !== undefined ? { configFile: options.configFile } : {}) });
      // Key or config salt here; else scanStagedChanges salts findings with the root commit's id when there are any.
      scanner = own = createScanner(config, {
        timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
        ...(options.fingerprintKey !== undefined ? { fingerprintKey: options.fingerprintKey } : {}),
        ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
      });
    }
    const report = await scanStagedChanges(scanner, state, options.allLines ? { allLines: true } : {});
    noteConfigUse(report, scanner.config, state.repo.root);
    // As `leakguard staged`: a clean run never asks for the root commit; then no baseline can mismatch either.
    const found = report.findings.length + report.suppressed.length > 0;
    const salt = found || scanner.fingerprintSalt.kind !== "default" ? await stagedFingerprintSalt(scanner, state) : undefined;
    await suppressLikeCli(report, state.repo.root, salt, scanner.config.salt, options);
    return finishReport(report);
  } finally {
    // Already closed after a scan; after a config error this ends the cat-file started by prepareStaged.
    await Promise.all([state.blobs?.close(), own?.close()]);
  }
}
