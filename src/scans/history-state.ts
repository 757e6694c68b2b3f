/**
 * The history scan's state: one explicit object that the stages
 * (history.ts) pass along instead of closures over a dozen variables. Also
 * the small recorders every stage shares: skips, suppressed candidates,
 * message time-outs, back-pressure and progress.
 */
import type { EngineResult } from "../engine/scan.js";
import type { Finding, Fragment, SuppressedFinding } from "../engine/types.js";
import { countSkip, skipFile, type ScanReport, type SkippedFile } from "../core/report.js";
import { dependsOnCommit, placeKey } from "../engine/place.js";
import { poolOptionsOf, stoppedDetail, workersCanScanFor, type Scanner } from "../core/scanner.js";
import { BlobCache, cacheKey, placeTag } from "./blob-cache.js";
import { BlobReader } from "../git/blobs.js";
import { OidSet } from "../git/oid-set.js";
import type { CompiledRuleSet } from "../engine/compile.js";
import { scanBlob, splicingBlobScanner, type BlobJob, type BlobOutcome } from "../sources/git-blob.js";
import { availableParallelism } from "node:os";
import { createScanPool, type ScanPool } from "../core/scan-pool.js";
import { maxFileSizeOf } from "../util/size-limit.js";
import type { Selection } from "./history-select.js";
import type { HistoryResult, HistoryScanOptions, Intro } from "./history-types.js";
import { openDelta, type DeltaState } from "./history-delta.js";

/**
 * Back-pressure: blobs requested or being scanned, and their bytes, at most
 * this many. The bytes bound the peak: more waiting only adds to it, with
 * what each waiting blob keeps alive (its commit, its path), long enough for
 * the collector to promote it to the old generation (this was 512 blobs and
 * 64 MB). The count bounds how far the walk runs ahead of the workers: a
 * walk that pauses resumes once half are done, and that half must still be
 * two of the pool's batches (core/scan-pool.ts BATCH_JOBS), one being
 * scanned and one queued, or a single worker waits while the walk refills
 * through `cat-file` (with 128 it did; express: 256 gave a median
 * 3.73 → 3.53 s of wall time, the same CPU, 147 → 154 MB).
 */
export const MAX_IN_FLIGHT = 256;
export const MAX_BYTES_IN_FLIGHT = 16 << 20;
/**
 * Blobs planned but not yet recorded (in flight, or scanned and waiting), at
 * most this many: outcomes are recorded in plan order, so a slow blob holds
 * back the recording of those planned after it. A blob leaves
 * {@link MAX_IN_FLIGHT} once scanned (keeping only its findings, its bytes
 * released), so one slow blob does not stop the reads and scans behind it;
 * this bounds what waits behind it.
 */
export const MAX_UNRECORDED = 4 * MAX_IN_FLIGHT;

/**
 * Worker threads of a history scan by default: one per core beyond the
 * first, at least one and at most two. This thread parses git's output and
 * keeps the books while git reads the objects, and together they fill about
 * a core: on two cores a second worker only competes for the other one, and
 * pays its own start-up and warm-up (loading the engine, compiling the
 * rules, the JIT optimising the same functions a third time), about a
 * second of CPU on express's history.
 */
export function defaultHistoryWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.min(2, cores - 1));
}

/**
 * The history workers' young generation, MB. V8 lets each grow to ~17 MB;
 * a worker's garbage is a blob's text and matches, dead by the next
 * scavenge, so a small one scavenges more often at no measurable CPU.
 */
export const WORKER_YOUNG_MB = 4;

/** A blob (at one place key) that held findings, with every place it was introduced. */
export interface BlobHit {
  oid: string;
  intros: Intro[];
  findings: Finding[];
}

/** A finding before attribution: its walk order, and for blob findings the blob and a rename source. */
export interface RawFinding {
  seq: number;
  finding: Finding;
  blob?: string;
  renamedFrom?: string;
}

/**
 * Blob bookkeeping. A blob is judged per place key (engine/place.ts): the same content
 * under a path that another allowlist, path rule or test-file tag applies to is scanned
 * again, so a secret first committed under an allowlisted path is still found where it
 * was copied. `seen` holds every (blob, place key) met and `seenOids` every blob, both
 * compact (git/git's history meets over 200,000 blobs); `pending` the ones being
 * scanned (with every distinct path they were introduced under); `hits` the ones with findings.
 */
export interface BlobBook {
  seen: OidSet;
  seenOids: OidSet;
  skippedOids: Set<string>;
  /** Submodule paths counted. */
  seenGitlinks: Set<string>;
  /** Symlink targets counted (their blob may equal a file's blob). */
  seenLinks: Set<string>;
  pending: Map<string, Intro[]>;
  hits: Map<string, BlobHit>;
}

/** Place keys, interned: most histories have one or two. */
export interface PlaceKeys {
  /** The interned id of the place key of `path` in `commit`. */
  of(path: string, commit: string): number;
  /** The cache tag of an interned id. */
  tag(id: number): string;
}

/** Jobs in flight, for back-pressure and the first error. */
export interface Flow {
  inFlight: Set<Promise<void>>;
  /** Outcomes waiting for their turn to be recorded (see {@link MAX_UNRECORDED}). */
  unrecorded: Set<Promise<void>>;
  bytesInFlight: number;
  /** The first error of a job; ends the walk. */
  failure: Error | undefined;
  /** One waiter woken by each finished job (Promise.race over the whole set would cost O(n) per wake). */
  wake: (() => void) | undefined;
}

/** Everything one history scan holds while it runs. */
export interface HistoryState {
  opts: HistoryScanOptions;
  cwd: string;
  scanner: Scanner;
  started: number;
  result: HistoryResult;
  report: ScanReport;
  sel: Selection;
  cache: BlobCache | undefined;
  maxSize: number;
  /** The engine's time budget for custom regexes, and the pool's watchdog limit when guarded. */
  budget: number | undefined;
  watchdogMs: number | undefined;
  pool: ScanPool | undefined;
  scanAsync: (job: BlobJob) => Promise<BlobOutcome>;
  /** Settles once the last planned blob's outcome is recorded: outcomes are recorded in plan order, whichever thread scanned them. */
  recorded: Promise<void>;
  /** The fast path (only what each blob version adds is scanned), unless blobs are scanned whole. */
  delta: DeltaState | undefined;
  reader: BlobReader;
  placeKeys: PlaceKeys;
  blobs: BlobBook;
  rawFindings: RawFinding[];
  /** Commit messages found clean, by place key and text (history-walk.ts scanMessage): a repeat is not scanned again. */
  cleanMessages: Set<string>;
  /** One suppressed candidate per (secret, path, reason), with its walk order. */
  suppressed: Map<string, { s: SuppressedFinding; seq: number }>;
  /** The walk order of each skipped entry: the report lists them so, whatever order the scans finish in. */
  skipSeq: Map<SkippedFile, number>;
  flow: Flow;
  /** Walk order of the last commit, tag or note. */
  seq: number;
  progress: (force?: boolean) => void;
  /** How many commits the walk will visit, once it has listed them (progress reports). */
  totalCommits: number | undefined;
}

/** Key grouping a secret's findings into one reported finding. */
export const findingPlace = (f: Finding, file = f.file): string => `${f.source}\0${f.fingerprint}\0${file}`;

/** Interns place keys of `rs` (per path, unless allowlists name commits). */
export function placeKeys(rs: CompiledRuleSet): PlaceKeys {
  const byCommit = dependsOnCommit(rs);
  const keyOfPath = new Map<string, number>();
  const keyIds = new Map<string, number>();
  const keyTags: string[] = [];
  const of = (path: string, commit: string): number => {
    let id = byCommit ? undefined : keyOfPath.get(path);
    if (id !== undefined) return id;
    const k = placeKey(rs, path, commit);
    id = keyIds.get(k);
    if (id === undefined) {
      id = keyTags.length;
      keyIds.set(k, id);
      keyTags.push(placeTag(k));
    }
    if (!byCommit) keyOfPath.set(path, id);
    return id;
  };
  return { of, tag: (id) => keyTags[id]! };
}

/** Opens the scan's resources (cache, worker pool, blob reader) and its empty bookkeeping. */
export function openState(opts: HistoryScanOptions, result: HistoryResult, sel: Selection, started: number): HistoryState {
  const scanner = opts.scanner;
  const cache = opts.cacheDir !== undefined ? new BlobCache(opts.cacheDir, cacheKey(scanner.config, scanner.salt)) : undefined;
  result.stats.cacheKnown = cache?.size ?? 0;
  const maxSize = maxFileSizeOf(scanner.config.scan, opts.maxFileSize);
  // Custom regexes under a budget: the pool is also the watchdog (one blob per worker, a late one is stopped).
  const budget = scanner.timeBudgetMs;
  const poolOpts = poolOptionsOf(scanner);
  const watchdogMs = poolOpts.watchdogMs;
  const workers = Math.max(opts.workers ?? defaultHistoryWorkers(), watchdogMs !== undefined ? 1 : 0);
  const pool = opts.scanBlobAsync ? undefined : createScanPool(scanner, workers, maxSize, { ...poolOpts, youngGenerationMb: WORKER_YOUNG_MB });
  // In this thread, a scanner createScanner made splices each blob's keyword pass from the last version at its path, as the workers do.
  const here = workersCanScanFor(scanner) ? splicingBlobScanner(scanner.ruleSet, scanner.engineOptions) : (job: BlobJob, max: number) => scanBlob(scanner.scanFragment, job, max);
  const scanAsync = opts.scanBlobAsync ?? (pool ? pool.scan : (job: BlobJob) => Promise.resolve(here(job, maxSize)));
  const blobs: BlobBook = { seen: new OidSet(), seenOids: new OidSet(), skippedOids: new Set(), seenGitlinks: new Set(), seenLinks: new Set(), pending: new Map(), hits: new Map() };
  return {
    opts, cwd: opts.repo, scanner, started, result, report: result.report, sel, cache, maxSize, budget, watchdogMs, pool, scanAsync,
    recorded: Promise.resolve(),
    delta: openDelta(scanner, opts, pool?.scan, watchdogMs !== undefined, maxSize),
    reader: new BlobReader(opts.repo),
    placeKeys: placeKeys(scanner.ruleSet),
    blobs,
    rawFindings: [],
    cleanMessages: new Set(),
    suppressed: new Map(),
    skipSeq: new Map(),
    flow: { inFlight: new Set(), unrecorded: new Set(), bytesInFlight: 0, failure: undefined, wake: undefined },
    seq: 0,
    progress: () => {},
    totalCommits: undefined,
  };
}

/** Starts progress reports (a few a second) when the caller asked for them; the total is known once the walk has listed the commits. */
export function startProgress(st: HistoryState): void {
  const on = st.opts.onProgress;
  if (!on) return;
  let last = 0;
  const stats = st.result.stats;
  st.progress = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 200) return;
    last = now;
    const totalCommits = st.totalCommits;
    on({ commits: stats.commits, ...(totalCommits !== undefined ? { totalCommits } : {}), blobs: stats.blobsScanned, bytes: stats.bytes, elapsedMs: now - st.started });
  };
}

/**
 * Keeps one suppressed candidate per (secret, path, reason): the earliest in
 * walk order (`seq`), whatever order the scans finish in.
 */
export function keepSuppressed(st: HistoryState, list: SuppressedFinding[], seq: number): void {
  for (const s of list) {
    const k = `${findingPlace(s.finding)}\0${s.reason}`;
    const had = st.suppressed.get(k);
    if (!had || seq < had.seq) st.suppressed.set(k, { s, seq });
  }
}

/** A blob not (fully) scanned: named once, at the first place it was met. */
export function noteSkip(st: HistoryState, oid: string, intro: Intro, reason: string, detail?: string): void {
  if (st.blobs.skippedOids.has(oid)) return;
  st.blobs.skippedOids.add(oid);
  if (reason === "lfs-pointer") return void countSkip(st.report.stats, reason);
  const s: SkippedFile = { path: intro.path, reason, commit: intro.commit.commit, ...(detail !== undefined ? { detail } : {}) };
  skipFile(st.report, s);
  st.skipSeq.set(s, intro.seq);
}

/** A blob the object store does not have (or could not give: `detail` says so). */
export function noteMissing(st: HistoryState, oid: string, intro: Intro, detail?: string): void {
  if (!st.blobs.skippedOids.has(oid)) st.result.stats.missing++;
  noteSkip(st, oid, intro, "missing-blob", detail);
}

/** The warning detail of a skipped blob (none for binary and missing blobs: they are only named). */
export function skipDetail(reason: string, maxSize: number): string | undefined {
  if (reason === "too-large") return `skipped, larger than ${maxSize} bytes (max file size)`;
  if (reason === "timeout") return "time budget ran out; findings up to that point are reported";
  return undefined;
}

/** Records a message or note whose budget ran out, under the commit it belongs to (`seq`: its walk order). */
export function noteTimedOut(st: HistoryState, commit: string, what: string, res: { stopped?: boolean }, seq = st.seq): void {
  const detail = res.stopped ? stoppedDetail(st.budget) : skipDetail("timeout", st.maxSize)!;
  const s: SkippedFile = { path: `(${what})`, reason: "timeout", commit, detail };
  skipFile(st.report, s);
  st.skipSeq.set(s, seq);
}

/** Scans a message or note: through the watchdog pool when there is one, else here. */
export async function scanText(st: HistoryState, fragment: Fragment): Promise<EngineResult> {
  if (!st.pool || st.watchdogMs === undefined) return st.scanner.scanFragment(fragment);
  const out = await st.pool.scanFragment(fragment);
  return out.kind === "scanned" ? out.result : { findings: [], suppressed: [], timedOut: true, stopped: true };
}

/**
 * Keeps a job in `set` (back-pressure: the flow's in-flight jobs by default)
 * until it settles; its first error ends the walk.
 */
export function track(flow: Flow, job: Promise<void>, set: Set<Promise<void>> = flow.inFlight): void {
  const tracked = job
    .catch((e: unknown) => void (flow.failure ??= e as Error))
    .finally(() => {
      set.delete(tracked);
      flow.wake?.();
    });
  set.add(tracked);
}

/** True when the walk should pause until some jobs finish. */
export const mustBackOff = (flow: Flow): boolean =>
  flow.inFlight.size >= MAX_IN_FLIGHT || flow.bytesInFlight > MAX_BYTES_IN_FLIGHT || flow.unrecorded.size >= MAX_UNRECORDED;

/**
 * Waits until half the in-flight limits are free again, and the unrecorded
 * ones below theirs (not half: behind a slow blob they fall only once it is
 * scanned, and a walk paused for the in-flight limit must not wait for that).
 */
export async function backOff(flow: Flow): Promise<void> {
  while (flow.inFlight.size >= MAX_IN_FLIGHT / 2 || flow.bytesInFlight > MAX_BYTES_IN_FLIGHT / 2 || flow.unrecorded.size >= MAX_UNRECORDED) {
    await new Promise<void>((r) => (flow.wake = r));
    flow.wake = undefined;
  }
}

/** Waits for every job in flight and every outcome to be recorded; throws the first job error. */
export async function drain(flow: Flow): Promise<void> {
  while (flow.inFlight.size || flow.unrecorded.size) await Promise.all([...flow.inFlight, ...flow.unrecorded]);
  if (flow.failure) throw flow.failure;
}
