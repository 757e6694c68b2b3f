/** Library: scan a repository's whole history. */
import { resolve } from "node:path";
import { assertDirectory, historyScan, type HistoryProgress, type HistoryResult, type HistorySelection, type HistoryStats } from "../scans/history.js";
import { refFacts, type RefFacts } from "../git/history-refs.js";
import { listCommits } from "../git/log-stream.js";
import type { GitResult } from "../git/run.js";
import { ALL_REVISIONS, selectsAll } from "../scans/history-select.js";
import { repoInfo, type RepoInfo } from "../git/repo.js";
import type { ScanReport } from "../core/report.js";
import { discardScanWorker, prestartScanWorker } from "../core/scan-pool.js";
import { WORKER_YOUNG_MB } from "../scans/history-state.js";
import { checkSetup, prepareScan, runScan, withPrepared, type PreparedScan, type ScanOutcome, type ScanSetup } from "./pipeline.js";

/** Options for {@link scanHistory}. */
export interface ScanHistoryOptions extends HistorySelection, ScanSetup {
  /** Repository folder (default: the current directory). */
  repo?: string;
  /** Blob cache folder: re-scans after new commits cost only the new blobs. */
  cacheDir?: string;
  onProgress?: (p: HistoryProgress) => void;
  /** Skip blobs larger than this many bytes (default: config, else 50 MB). */
  maxFileSize?: number;
}

/** A history report: findings at their introducing commits, plus scan counters. */
export interface HistoryReport extends ScanReport {
  history: HistoryStats;
}

/** Shape checks shared by {@link scanHistory} and scanInventory. */
export function checkHistoryOptions(fn: string, options: unknown): void {
  checkSetup(fn, options, ["repo", "cacheDir", "branch", "range", "since"]);
}

/**
 * Where a history scan reads from: the repository folder, and the root whose
 * config and ignore files apply (the work tree's root, else the folder given).
 */
interface HistoryRoots {
  repo: string;
  root: string;
  info: RepoInfo;
  /** The refs, being listed. */
  refs: Promise<RefFacts>;
  /** The whole history's commits, being listed, when the selection is the whole history. */
  listed?: { revs: readonly string[]; result: Promise<GitResult> };
  /** Stops the listings' git processes if they still run (a configuration error, a scan that failed or did not use them) and waits until they have exited. */
  close(): Promise<void>;
}

async function historyRoots(options: ScanHistoryOptions): Promise<HistoryRoots> {
  const repo = resolve(options.repo ?? process.cwd());
  assertDirectory(repo);
  // The scan's worker loads meanwhile too (see prestartScanWorker); withHistoryRoots ends it if no pool took it.
  prestartScanWorker({ youngGenerationMb: WORKER_YOUNG_MB });
  const info = await repoInfo(repo);
  // Started now, while the configuration loads and the salt's git calls run: the walk needs them first.
  // Each is awaited by the scan; a configuration error ends the run before that, and must leave
  // neither a rejection unhandled nor a git process running: close() stops and waits for them.
  const stop = new AbortController();
  const refs = refFacts(repo, stop.signal);
  refs.catch(() => undefined);
  const listed = selectsAll(options) ? { revs: ALL_REVISIONS, result: listCommits(repo, ALL_REVISIONS, [], stop.signal) } : undefined;
  listed?.result.catch(() => undefined);
  const close = async (): Promise<void> => {
    stop.abort();
    await Promise.allSettled([refs, listed?.result]);
  };
  return { repo, root: info.root ?? repo, info, refs, ...(listed ? { listed } : {}), close };
}

/** The history scan itself, with the library's defaults. */
function scanWith(roots: HistoryRoots, scanner: PreparedScan["scanner"], options: ScanHistoryOptions): Promise<HistoryResult> {
  const { repo, info, refs, listed } = roots;
  return historyScan({ ...options, repo, info, refs, ...(listed ? { listed } : {}), scanner, ...(options.cacheDir !== undefined ? { cacheDir: resolve(options.cacheDir) } : {}) });
}

/** Runs `fn` with the scan's roots and listings started, and always closes them after (the listings' git processes, a worker no pool took). */
async function withHistoryRoots<T>(options: ScanHistoryOptions, fn: (roots: HistoryRoots) => Promise<T>): Promise<T> {
  try {
    const roots = await historyRoots(options);
    try {
      return await fn(roots);
    } finally {
      await roots.close();
    }
  } finally {
    discardScanWorker();
  }
}

/**
 * The raw history scan (occurrences and blob ids kept, no suppressions) with
 * the scanner the pipeline makes: for the inventory.
 */
export function runHistory(options: ScanHistoryOptions = {}): Promise<HistoryResult & { prepared: PreparedScan }> {
  return withHistoryRoots(options, async (roots) => {
    // History keys its blob cache and the places of each secret by fingerprint: the salt comes first.
    const prepared = await prepareScan({ root: roots.root, repository: roots.repo, saltFirst: true }, options);
    return { ...(await withPrepared(prepared, (scanner) => scanWith(roots, scanner, options))), prepared };
  });
}

/** {@link scanHistory} with what the scan was made with (the CLI's `history`). */
export function runHistoryScan(options: ScanHistoryOptions = {}): Promise<ScanOutcome<HistoryReport>> {
  return withHistoryRoots(options, (roots) =>
    runScan(
      {
        root: roots.root,
        repository: roots.repo,
        saltFirst: true,
        scan: async (scanner) => {
          const res = await scanWith(roots, scanner, options);
          return { ...res.report, history: res.stats };
        },
      },
      options,
    ),
  );
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
  return (await runHistoryScan(options)).report;
}
