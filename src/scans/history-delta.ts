/**
 * The history scan's link to blob-delta.ts: which blob versions may be
 * scanned as a delta over their predecessor, the summaries that later
 * versions need (kept in a bounded store, oldest dropped first: a successor
 * whose predecessor's summary is gone is scanned whole, which is always
 * right), and the scan function (the worker pool's, or this thread's).
 */
import type { Scanner } from "../core/scanner.js";
import { builtinRules } from "../ruleset/builtin.js";
import type { BlobJob, BlobOutcome } from "../sources/git-blob.js";
import { deltaContextOf, scanBlobDelta, type BlobSummary, type DeltaJob, type DeltaOutcome } from "../sources/blob-delta.js";

/** Summaries kept at most (their line hashes and candidates), bytes. */
const MAX_SUMMARY_BYTES = 64 << 20;

/** State of the fast path during one scan. */
export interface DeltaState {
  /** (blob, place) key → summary, in least recently used order. */
  summaries: Map<string, { summary: BlobSummary; bytes: number }>;
  bytes: number;
  /** (blob, place) keys being scanned → settles when its summary (if any) is stored. */
  waits: Map<string, Promise<void>>;
  /** Scans a delta job (pool or this thread). */
  scan: (job: DeltaJob) => Promise<DeltaOutcome>;
}

/** True when every rule is a built-in one as shipped: custom rules may match across any number of lines. */
function builtInRules(scanner: Scanner): boolean {
  const shipped = new Set(builtinRules());
  return scanner.config.rules.every((r) => shipped.has(r));
}

/**
 * The fast path's state, or undefined when blobs are scanned whole: by
 * default (unless `wholeBlobs: false`), a caller's own blob scanner, custom
 * rules, or custom regexes under the watchdog.
 */
export function openDelta(
  scanner: Scanner,
  opts: { wholeBlobs?: boolean; scanBlobAsync?: unknown },
  poolScan: ((job: BlobJob) => Promise<BlobOutcome>) | undefined,
  watchdog: boolean,
  maxSize: number,
): DeltaState | undefined {
  if (opts.wholeBlobs !== false || opts.scanBlobAsync || watchdog || !builtInRules(scanner)) return undefined;
  const ctx = deltaContextOf(scanner);
  const scan = poolScan
    ? (job: DeltaJob) => poolScan(job) as Promise<DeltaOutcome>
    : (job: DeltaJob) => Promise.resolve(scanBlobDelta(ctx, job, maxSize));
  return { summaries: new Map(), bytes: 0, waits: new Map(), scan };
}

/** The summary stored under `key`, marked recently used. */
export function takeSummary(d: DeltaState, key: string): BlobSummary | undefined {
  const e = d.summaries.get(key);
  if (!e) return undefined;
  d.summaries.delete(key);
  d.summaries.set(key, e);
  return e.summary;
}

/** Stores a summary, dropping the least recently used ones past the budget. */
export function putSummary(d: DeltaState, key: string, summary: BlobSummary): void {
  const bytes = summary.hashes.byteLength + 512 * (summary.findings.length + summary.suppressed.length);
  const old = d.summaries.get(key);
  if (old) d.bytes -= old.bytes;
  d.summaries.delete(key);
  d.summaries.set(key, { summary, bytes });
  d.bytes += bytes;
  for (const [k, e] of d.summaries) {
    if (d.bytes <= MAX_SUMMARY_BYTES) break;
    d.summaries.delete(k);
    d.bytes -= e.bytes;
  }
}
