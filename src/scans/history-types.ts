/**
 * The full-history scan's public shapes (options, progress, result) and the
 * one internal record every stage passes along: where a blob was introduced.
 */
import type { Scanner } from "../core/scanner.js";
import type { ScanReport } from "../core/report.js";
import type { CommitInfo, FindingSource } from "../engine/types.js";
import type { Occurrence } from "../inventory/types.js";
import type { RepoInfo } from "../git/repo.js";
import type { RefFacts, RefNames } from "../git/history-refs.js";
import type { GitResult } from "../git/run.js";
import type { BlobJob, BlobOutcome } from "../sources/git-blob.js";

/** Which commits to walk. */
export interface HistorySelection {
  /** Only commits reachable from this branch (or any revision). */
  branch?: string;
  /** `A..B` (or `A...B`). */
  range?: string;
  /** Only commits newer than this date (anything `git log --since` takes). */
  since?: string;
  /** Add stash entries (source "stash"). */
  stash?: boolean;
}

/** Progress counters, reported a few times a second. */
export interface HistoryProgress {
  commits: number;
  totalCommits?: number;
  blobs: number;
  bytes: number;
  elapsedMs: number;
}

/** Options for the history scan. */
export interface HistoryScanOptions extends HistorySelection {
  /** Repository folder (work tree or bare git dir). */
  repo: string;
  /** What the caller already learnt of `repo` (saves asking git again). */
  info?: RepoInfo;
  /** The refs of `repo`, when the caller started listing them already (while it loaded the configuration). */
  refs?: Promise<RefFacts>;
  /** The commit listing of `revs`, when the caller started it already; used only if the selection's revisions are `revs`. */
  listed?: { revs: readonly string[]; result: Promise<GitResult> };
  /** The tags' messages and HEAD's branch's name of `refs` (refNames), when the caller asked already; without it the scan asks for both. */
  names?: Promise<RefNames>;
  /** The commits remote-tracking refs reach (pushedCommits of `refs`), when the caller asked already. */
  pushed?: Promise<Set<string>>;
  /** Whether `repo` is a partial clone (isPartialClone), when the caller asked already. */
  partial?: Promise<boolean>;
  scanner: Scanner;
  /** Folder of the blob cache (see blob-cache.ts). */
  cacheDir?: string;
  /** Skip blobs larger than this many bytes (default: the config's, else 50 MB like `scan`). */
  maxFileSize?: number;
  /** Called with counters while scanning. */
  onProgress?: (p: HistoryProgress) => void;
  /**
   * Scans one blob off the main thread (a worker pool); default scans in
   * this thread with `scanner`.
   */
  scanBlobAsync?: (job: BlobJob) => Promise<BlobOutcome>;
  /** Worker threads scanning blobs (default: one per core beyond the first, at most 2, see defaultHistoryWorkers; 0 scans in this thread). */
  workers?: number;
  /**
   * Scan every blob version whole (the default, and the reference the fast
   * path is tested against); `false` scans only what each version adds over
   * its predecessor (sources/blob-delta.ts): the same result, with about a
   * sixth of the bytes through the rules on express's history (a ninth in
   * windows around changed lines, the rest in versions scanned whole), but
   * not cheaper end to end there: per version, working out the changes and
   * the windows' fixed costs take about what the rules save, and each
   * worker keeps summaries (up to 48 MB), so it is opt-in until it is.
   */
  wholeBlobs?: boolean;
}

/** Counters of one history scan. */
export interface HistoryStats {
  commits: number;
  /** Distinct blob ids met. */
  blobs: number;
  /** Blobs read and scanned this run. */
  blobsScanned: number;
  /** Blobs skipped because the cache knew them clean. */
  cacheHits: number;
  /** Blob ids the cache already knew (clean or with findings) when the scan started. */
  cacheKnown: number;
  /** Bytes of blob content read this run. */
  bytes: number;
  missing: number;
  durationMs: number;
}

/** A secret's places, for the inventory. */
export interface SecretPlaces {
  occurrences: Occurrence[];
  /** Blob ids whose content holds it (file sources only). */
  blobs: Set<string>;
}

/** Result of the history scan. */
export interface HistoryResult {
  report: ScanReport;
  /** Fingerprint → where it stands (every occurrence, and the blob ids holding it). */
  places: Map<string, SecretPlaces>;
  stats: HistoryStats;
  info: RepoInfo;
  /** Commits reachable from a remote-tracking ref. */
  pushed: Set<string>;
  /** The branch HEAD points at and its commit, when the ref listing showed one (not for a detached or unborn HEAD) and it was asked for (`names` made without HEAD's branch: none). */
  headBranch?: { ref: string; commit: string };
}

/** One place a blob was introduced: a commit (in walk order) and a path. */
export interface Intro {
  seq: number;
  commit: CommitInfo;
  path: string;
  source: FindingSource;
  /** The path the same blob left in the same commit: a plain rename. */
  renamedFrom?: string;
  /** Met in a merge's first-parent diff: at a path it already had, the merge only brings a branch's blob along. */
  merge?: boolean;
}
