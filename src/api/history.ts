/** Library: scan a repository's whole history. */
import { resolve } from "node:path";
import { assertDirectory, historyScan, type HistoryProgress, type HistoryResult, type HistoryScanOptions, type HistorySelection, type HistoryStats } from "../scans/history.js";
import { isPartialClone, pushedCommits, refFacts, refNames } from "../git/history-refs.js";
import { listCommits } from "../git/log-stream.js";
import { ALL_REVISIONS, selectsAll } from "../scans/history-select.js";
import { repoInfo, rootCommitSalt, type RepoInfo } from "../git/repo.js";
import { fingerprintKeyOf } from "../config/fingerprint-salt.js";
import type { ScanReport } from "../core/report.js";
import { discardScanWorker, prestartScanWorker } from "../core/scan-pool.js";
import { WORKER_YOUNG_MB } from "../scans/history-state.js";
import { checkSetup, prepareScan, runScan, withPrepared, type PreparedScan, type ScanOutcome, type ScanSetup } from "./pipeline.js";
import { ArgumentError } from "../errors.js";

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
  if ((options as { cacheDir?: unknown } | undefined)?.cacheDir === "") throw new ArgumentError(`${fn}: options.cacheDir must name a folder (it was empty)`);
}

/**
 * Where a history scan reads from: the repository folder, and the root whose
 * config and ignore files apply (the work tree's root, else the folder given).
 */
interface HistoryRoots {
  repo: string;
  root: string;
  info: RepoInfo;
  /** What git is being asked ahead of the scan (see {@link HistoryAhead}). */
  ahead: HistoryAhead;
  /** The root commit for the salt, being asked (see saltAhead). */
  rootCommit?: { answer: Promise<string | undefined>; unused(): void };
  /** Stops the listings' git processes if they still run (a configuration error, a scan that failed or did not use them) and waits until they have exited. */
  close(): Promise<void>;
}

/** What the scan needs of git besides the walk, asked before the configuration loads (each awaited by the scan). */
type HistoryAhead = Pick<HistoryScanOptions, "refs" | "listed" | "names" | "pushed" | "partial">;

/**
 * Starts what the scan will ask git, each as soon as what it depends on is
 * known, so that they run beside one another and beside the configuration's
 * loading, the salt's git call and the worker's start-up: the refs and, for
 * the whole history, the commit listing at once (they need no answer of the
 * repository facts' `rev-parse`: in a folder that is no repository they
 * fail, and that `rev-parse` says so), then the repository facts; once the
 * refs are listed, the commits remote-tracking refs reach and the tags'
 * messages (and, for the inventory, HEAD's branch's name); once the facts
 * are known, whether the clone is partial.
 */
async function historyRoots(options: ScanHistoryOptions, want: { head: boolean }): Promise<HistoryRoots> {
  const repo = resolve(options.repo ?? process.cwd());
  assertDirectory(repo);
  // Each is awaited by the scan; a configuration error ends the run before that, and must leave
  // neither a rejection unhandled nor a git process running: close() stops and waits for them.
  const stop = new AbortController();
  const signal = stop.signal;
  const listed = selectsAll(options) ? { revs: ALL_REVISIONS, result: listCommits(repo, ALL_REVISIONS, [], signal) } : undefined;
  const rootCommit = saltAhead(repo, options, signal);
  const refs = refFacts(repo, signal);
  const facts = repoInfo(repo);
  // The scan's worker loads meanwhile too (see prestartScanWorker); withHistoryRoots ends it if no pool took it.
  prestartScanWorker({ youngGenerationMb: WORKER_YOUNG_MB });
  const tags = options.branch === undefined && options.range === undefined;
  const names = refs.then((r) => refNames(repo, r, { tags, head: want.head }, signal));
  const pushed = refs.then((r) => pushedCommits(repo, r, signal));
  const partial = facts.then((i) => isPartialClone(repo, i.commonDir, signal));
  const started: Array<Promise<unknown>> = [refs, listed?.result, rootCommit?.answer, names, pushed, partial].filter((p) => p !== undefined);
  for (const p of started) p.catch(() => undefined);
  const close = async (): Promise<void> => {
    stop.abort();
    await Promise.allSettled(started);
  };
  let info: RepoInfo;
  try {
    info = await facts;
  } catch (e) {
    await close();
    throw e;
  }
  return { repo, root: info.root ?? repo, info, ahead: { refs, ...(listed ? { listed } : {}), names, pushed, partial }, ...(rootCommit ? { rootCommit } : {}), close };
}

/**
 * The repository's root commit for the salt, asked now unless the options
 * decide the salt (a scanner, a salt, a private key); a configuration with
 * its own salt, known only once loaded, stops it (`unused`). The salt comes
 * before the walk, and its `rev-list` walks every commit, as long as the
 * walk's own listing: started with it, the two run side by side.
 */
function saltAhead(repo: string, options: ScanHistoryOptions, signal: AbortSignal): HistoryRoots["rootCommit"] {
  if (options.scanner || options.salt !== undefined || options.config?.salt !== undefined) return undefined;
  if (fingerprintKeyOf({ fingerprintKey: options.fingerprintKey, env: options.env }) !== undefined) return undefined;
  const own = new AbortController();
  const stopped = (): void => own.abort();
  signal.addEventListener("abort", stopped, { once: true });
  const answer = rootCommitSalt(repo, own.signal);
  answer.then(
    () => signal.removeEventListener("abort", stopped),
    () => signal.removeEventListener("abort", stopped),
  );
  return { answer, unused: stopped };
}

/** The history scan itself, with the library's defaults. */
function scanWith(roots: HistoryRoots, scanner: PreparedScan["scanner"], options: ScanHistoryOptions): Promise<HistoryResult> {
  const { repo, info, ahead } = roots;
  return historyScan({ ...options, repo, info, ...ahead, scanner, ...(options.cacheDir !== undefined ? { cacheDir: resolve(options.cacheDir) } : {}) });
}

/** Runs `fn` with the scan's roots and listings started, and always closes them after (the listings' git processes, a worker no pool took). */
async function withHistoryRoots<T>(options: ScanHistoryOptions, want: { head: boolean }, fn: (roots: HistoryRoots) => Promise<T>): Promise<T> {
  try {
    const roots = await historyRoots(options, want);
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
  // The inventory names HEAD's branch.
  return withHistoryRoots(options, { head: true }, async (roots) => {
    // History keys its blob cache and the places of each secret by fingerprint: the salt comes first.
    const prepared = await prepareScan({ root: roots.root, repository: roots.repo, saltFirst: true, ...(roots.rootCommit ? { rootCommit: roots.rootCommit } : {}) }, options);
    return { ...(await withPrepared(prepared, (scanner) => scanWith(roots, scanner, options))), prepared };
  });
}

/** {@link scanHistory} with what the scan was made with (the CLI's `history`). */
export function runHistoryScan(options: ScanHistoryOptions = {}): Promise<ScanOutcome<HistoryReport>> {
  return withHistoryRoots(options, { head: false }, (roots) =>
    runScan(
      {
        root: roots.root,
        repository: roots.repo,
        saltFirst: true,
        ...(roots.rootCommit ? { rootCommit: roots.rootCommit } : {}),
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
