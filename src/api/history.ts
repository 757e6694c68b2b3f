/** Library: scan a repository's whole history. */
import { resolve } from "node:path";
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import { assertDirectory, historyScan, type HistoryProgress, type HistoryResult, type HistorySelection, type HistoryStats } from "../scans/history.js";
import { repoInfo } from "../git/repo.js";
import { resolveFingerprintSalt } from "../config/fingerprint-salt.js";
import { noteConfigUse } from "../config/provenance.js";
import { finishReport } from "../core/postprocess.js";
import type { Confidence } from "../engine/types.js";
import type { ScanReport } from "../core/report.js";
import { suppressLikeCli, type LibrarySuppressOptions } from "./suppress.js";
import { checkConfig, checkOptions, checkStringFields } from "../util/validate.js";
import { createScanner, DEFAULT_TIME_BUDGET_MS, type Scanner } from "../core/scanner.js";

/** Options for {@link scanHistory}. */
export interface ScanHistoryOptions extends HistorySelection, LibrarySuppressOptions {
  /** Repository folder (default: the current directory). */
  repo?: string;
  /** Configuration (default: loaded from the repository root, like the CLI). */
  config?: ResolvedConfig;
  configFile?: string;
  /** A ready scanner (its salt is used as is). */
  scanner?: Scanner;
  /** Private fingerprint key (default: `LEAKGUARD_FINGERPRINT_KEY` from `env`); see `createScanner`. */
  fingerprintKey?: string;
  /** Environment for the key (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Blob cache folder: re-scans after new commits cost only the new blobs. */
  cacheDir?: string;
  onProgress?: (p: HistoryProgress) => void;
  /** Skip blobs larger than this many bytes (default: config, else 50 MB). */
  maxFileSize?: number;
  /** Per-blob and per-message time budget, ms, when no scanner is given (default 10 000; 0 = none). */
  timeBudgetMs?: number;
  /** Lowest confidence reported when no scanner is given; `low` = audit mode (see ResolvedConfig.minConfidence). */
  minConfidence?: Confidence;
}

/** A history report: findings at their introducing commits, plus scan counters. */
export interface HistoryReport extends ScanReport {
  history: HistoryStats;
}

/**
 * The scanner a history scan uses, salted as resolveFingerprintSalt decides:
 * the private key, else the config's salt, else the repository's root commit
 * (so every clone computes the same fingerprints).
 */
export async function historyScanner(
  repo: string,
  options: { config?: ResolvedConfig; configFile?: string; scanner?: Scanner; timeBudgetMs?: number; fingerprintKey?: string; env?: NodeJS.ProcessEnv; minConfidence?: Confidence } = {},
): Promise<Scanner> {
  if (options.scanner) return options.scanner;
  assertDirectory(repo);
  const info = await repoInfo(repo);
  const root = info.root ?? repo;
  const config = options.config ?? loadConfig({ root, ...(options.configFile !== undefined ? { configFile: options.configFile } : {}) });
  const fingerprint = await resolveFingerprintSalt({ fingerprintKey: options.fingerprintKey, env: options.env, configSalt: config.salt, root: repo });
  return createScanner(config, {
    timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
    fingerprint,
    ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
  });
}

/** Shape checks shared by {@link scanHistory} and scanInventory. */
export function checkHistoryOptions(fn: string, options: unknown): void {
  checkOptions(fn, options);
  const o = options as ScanHistoryOptions | undefined;
  checkStringFields(fn, o, ["repo", "configFile", "cacheDir", "branch", "range", "since", "fingerprintKey", "baseline"]);
  checkConfig(fn, "options.config", o?.config);
}

/** Runs the raw history scan (occurrences and blob ids kept) with the library's defaults. */
export async function runHistory(options: ScanHistoryOptions = {}): Promise<HistoryResult> {
  const repo = resolve(options.repo ?? process.cwd());
  const scanner = await historyScanner(repo, options);
  return historyScan({ ...options, repo, scanner, ...(options.cacheDir !== undefined ? { cacheDir: resolve(options.cacheDir) } : {}) });
}

/**
 * Scans every commit reachable from any ref (or the selected branch, range,
 * dates) like `leakguard history`. Each blob is scanned once; each finding
 * names the oldest commit that introduced it (commit, author, email, date,
 * message) and whether that commit was pushed. Secrets are raw in the result.
 *
 * @example
 *   const report = await scanHistory({ repo: "/path/to/repo", since: "2024-01-01" });
 *   for (const f of report.findings) console.log(f.commit, f.file, f.ruleId);
 */
export async function scanHistory(options: ScanHistoryOptions = {}): Promise<HistoryReport> {
  checkHistoryOptions("scanHistory", options);
  const repo = resolve(options.repo ?? process.cwd());
  const scanner = await historyScanner(repo, options);
  const res = await runHistory({ ...options, scanner });
  noteConfigUse(res.report, scanner.config, repo);
  // As `leakguard history`: ignore files and the baseline at the repository (root of the work tree, else the folder given).
  const root = (await repoInfo(repo)).root ?? repo;
  await suppressLikeCli(res.report, root, scanner.fingerprintSalt, scanner.config.salt, options);
  return { ...finishReport(res.report), history: res.stats };
}
