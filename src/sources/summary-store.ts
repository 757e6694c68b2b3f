/**
 * Where the history scan's fast path keeps the summaries (blob-delta.ts)
 * that later blob versions are scanned against: in the thread that scans, so
 * a summary never crosses threads. The history scan sends every version of
 * a path to the same worker, in walk order, so a blob's predecessor has been
 * scanned there before it (or was dropped, or never scanned: then the blob
 * is scanned whole, which is always right). Least recently used summaries
 * go first past a byte budget. Pure.
 */
import { scanBlobDelta, type BlobSummary, type DeltaContext, type DeltaJob, type DeltaOutcome } from "./blob-delta.js";

/** Summaries kept per thread at most (texts, line starts, counts, candidates), bytes. */
export const MAX_SUMMARY_BYTES = 48 << 20;

/** The bytes a summary holds, roughly. */
const sizeOf = (s: BlobSummary): number => s.bytes.byteLength + s.starts.byteLength + s.hashes.byteLength + 8 * s.counts.length + 512 * (s.findings.length + s.suppressed.length);

/** Summaries by (blob, place) key, least recently used first. */
export class SummaryStore {
  private readonly map = new Map<string, { summary: BlobSummary; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budget = MAX_SUMMARY_BYTES) {}

  /** The summary stored under `key`, marked recently used. */
  take(key: string): BlobSummary | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.summary;
  }

  /** Stores a summary, dropping the least recently used ones past the budget. */
  put(key: string, summary: BlobSummary): void {
    const bytes = sizeOf(summary);
    const old = this.map.get(key);
    if (old) this.bytes -= old.bytes;
    this.map.delete(key);
    this.map.set(key, { summary, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.map) {
      if (this.bytes <= this.budget) break;
      this.map.delete(k);
      this.bytes -= e.bytes;
    }
  }
}

/**
 * Scans `job` against the summary of its predecessor (`job.prevKey`) when
 * the store has it, and stores the blob's own summary under `job.key`. The
 * outcome carries no summary (it stays here).
 */
export function scanWithStore(ctx: DeltaContext, store: SummaryStore, job: DeltaJob, maxSize: number): DeltaOutcome {
  const prev = job.prev ?? (job.prevKey !== undefined ? store.take(job.prevKey) : undefined);
  const out = scanBlobDelta(ctx, prev ? { ...job, prev } : job, maxSize);
  if (out.summary === undefined) return out;
  if (job.key !== undefined) store.put(job.key, out.summary);
  const { summary: _kept, ...rest } = out;
  return rest;
}
