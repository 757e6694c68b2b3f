/**
 * History scan, stages 3–5 for blobs (plan → read → scan): each (blob, place
 * key) is planned once however many commits introduce it, read once through
 * the shared `git cat-file --batch`, scanned (in the worker pool when there
 * is one) and its outcome recorded: skipped, clean, or holding findings that
 * attribute.ts later expands to every place the blob was introduced.
 */
import type { Finding } from "../engine/types.js";
import { stoppedDetail } from "../core/scanner.js";
import type { BlobJob, BlobOutcome } from "../sources/git-blob.js";
import { pathAffinity } from "./history-delta.js";
import { keepSuppressed, noteMissing, noteSkip, skipDetail, track, type HistoryState } from "./history-state.js";
import type { Intro } from "./history-types.js";

/**
 * Stage 3 (plan): a blob met at a place; reads and scans it unless it is
 * known already. `prevOid` is the blob it replaced at the same path, if any.
 */
export function planBlob(st: HistoryState, oid: string, intro: Intro, prevOid?: string): void {
  const { blobs, cache } = st;
  const stats = st.result.stats;
  const place = st.placeKeys.of(intro.path, intro.commit.commit);
  const key = `${oid}:${place}`;
  if (!blobs.seen.add(oid, place)) {
    const p = blobs.pending.get(key) ?? blobs.hits.get(key)?.intros;
    // Each commit that brings it to a path (re-added after a removal too) is an occurrence, but for a merge
    // bringing a branch's blob along; collect() reports the first.
    if (p && !p.some((i) => i.path === intro.path && (intro.merge === true || i.commit.commit === intro.commit.commit))) p.push(intro);
    return;
  }
  if (blobs.seenOids.add(oid)) stats.blobs++;
  const cacheId = oid + st.placeKeys.tag(place);
  if (cache?.clean.has(cacheId)) {
    stats.cacheHits++;
    return;
  }
  const cachedSkip = cache?.skipped.get(cacheId);
  if (cachedSkip !== undefined) {
    stats.cacheHits++;
    // In its turn, as a scanned blob's skip is: which place names a skipped blob must not depend on the cache.
    inTurn(st, NOW, () => noteSkip(st, oid, intro, cachedSkip, skipDetail(cachedSkip, st.maxSize)));
    return;
  }
  if (st.sel.absent.has(oid)) return inTurn(st, NOW, () => noteMissing(st, oid, intro));
  const intros = [intro];
  blobs.pending.set(key, intros);
  const prevKey = prevOid !== undefined && prevOid !== oid && st.delta ? `${prevOid}:${place}` : undefined;
  const b: PlannedBlob = { oid, key, cacheId, intros, ...(prevKey !== undefined ? { prevKey } : {}) };
  const scanned = readAndScanned(st, b);
  // In flight until scanned; then waiting (bytes released) for its turn to be recorded.
  track(st.flow, scanned.then(() => undefined));
  inTurn(st, scanned, (out) => {
    st.blobs.pending.delete(b.key);
    if (out === undefined) noteMissing(st, b.oid, b.intros[0]!);
    else if (out === CORRUPT) noteMissing(st, b.oid, b.intros[0]!, CORRUPT_DETAIL);
    else recordOutcome(st, b, out);
  });
}

/** One planned (blob, place key): its cache entry and the places it was introduced (the first one scans it). */
interface PlannedBlob {
  oid: string;
  key: string;
  cacheId: string;
  intros: Intro[];
  /** (blob, place) key of the predecessor at the same path, for the fast path. */
  prevKey?: string;
}

/** Ready at once: a skip known before the blob is read. */
const NOW = Promise.resolve();

/**
 * Records with `record` what `ready` gives, once every blob planned before
 * has been recorded: outcomes are recorded in plan order, whatever order the
 * scans finish in (two workers, a caller's scanBlobAsync), as are skips known
 * from the cache: that order decides the order of a commit's findings in the
 * report and which place names a skipped blob. Until then it counts as
 * unrecorded (back-pressure); a scan's error is the walk's (see {@link track}).
 */
function inTurn<T>(st: HistoryState, ready: Promise<T>, record: (value: T) => void): void {
  const before = st.recorded;
  let recorded!: () => void;
  st.recorded = new Promise<void>((r) => (recorded = r));
  const turn = async (): Promise<void> => {
    try {
      const value = await ready;
      await before;
      record(value);
    } finally {
      recorded();
    }
  };
  track(st.flow, turn(), st.flow.unrecorded);
}

/** A blob git died reading (see git/blobs.ts BlobReader). */
const CORRUPT = "corrupt";
const CORRUPT_DETAIL = "not scanned: git could not read this blob (a corrupt object?); run 'git fsck'";

/** Stage 4 (read) and 5 (scan): the blob read and scanned; undefined when git does not have it, {@link CORRUPT} when git died reading it. */
async function readAndScanned(st: HistoryState, b: PlannedBlob): Promise<BlobOutcome | undefined | typeof CORRUPT> {
  const first = b.intros[0]!;
  const ans = await st.reader.read(b.oid);
  if (ans.kind === "missing" && ans.corrupt) return CORRUPT;
  if (ans.kind !== "blob") return undefined;
  const size = ans.data.length;
  st.result.stats.bytes += size;
  st.result.stats.blobsScanned++;
  st.flow.bytesInFlight += size;
  // Only the sha crosses to a worker (commit allowlists); findings get the full commit in rebind().
  const job: BlobJob = { path: first.path, data: ans.data, commit: { commit: first.commit.commit }, source: first.source };
  try {
    return await scanJob(st, b, job);
  } finally {
    st.flow.bytesInFlight -= size;
  }
}

/**
 * Scans whole, or (fast path) only what the blob adds over its predecessor.
 * Called as soon as the blob is read: reads answer in walk order, so a
 * predecessor always reaches its path's worker before its successor.
 */
function scanJob(st: HistoryState, b: PlannedBlob, job: BlobJob): Promise<BlobOutcome> {
  const d = st.delta;
  if (!d) return st.scanAsync(job);
  return d.scan({ ...job, delta: true, key: b.key, ...(b.prevKey !== undefined ? { prevKey: b.prevKey } : {}) }, pathAffinity(job.path));
}

/** What a scanned blob leaves behind: a skip, a clean cache entry, or a hit. */
function recordOutcome(st: HistoryState, b: PlannedBlob, out: BlobOutcome): void {
  const { oid, cacheId } = b;
  const first = b.intros[0]!;
  const cache = st.cache;
  if (out.kind === "timeout") {
    // Never cached, clean or skipped: a later run (another budget, a fixed rule) scans it again.
    noteSkip(st, oid, first, "timeout", stoppedDetail(st.budget));
    return;
  }
  if (out.kind !== "scanned") {
    noteSkip(st, oid, first, out.kind, skipDetail(out.kind, st.maxSize));
    cache?.skipped.set(cacheId, out.kind);
    return;
  }
  st.report.stats.files++;
  st.report.stats.bytes += out.bytes;
  keepSuppressed(st, out.result.suppressed.map((x) => ({ ...x, finding: rebind(x.finding, first) })), first.seq);
  if (out.result.timedOut) noteSkip(st, oid, first, "timeout", skipDetail("timeout", st.maxSize));
  if (out.result.findings.length === 0) {
    // A blob the time budget cut short is not known clean: the next run scans it again.
    if (!out.result.timedOut) cache?.clean.add(cacheId);
    return;
  }
  cache?.hits.add(cacheId);
  cache?.clean.delete(cacheId);
  st.blobs.hits.set(b.key, { oid, intros: b.intros, findings: out.result.findings });
}

/** A blob's finding moved to another introduction (commit and path). */
export function rebind(f: Finding, intro: Intro): Finding {
  const c = intro.commit;
  const out: Finding = { ...f, file: intro.path, source: intro.source, location: `${c.commit}:${intro.path}:${f.ruleId}:${f.line}`, commit: c.commit };
  for (const k of ["author", "email", "date", "message", "pushed"] as const) {
    if (c[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = c[k];
  }
  return out;
}
