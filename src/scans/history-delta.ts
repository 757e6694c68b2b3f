/**
 * The history scan's link to blob-delta.ts: whether blob versions may be
 * scanned as a delta over their predecessor, and the scan function (the
 * worker pool's, or this thread's). The summaries a later version needs stay
 * where the earlier one was scanned (summary-store.ts): every version of a
 * path goes to the same worker, chosen by a hash of the path.
 */
import type { Scanner } from "../core/scanner.js";
import { builtinRules } from "../ruleset/builtin.js";
import type { BlobJob, BlobOutcome } from "../sources/git-blob.js";
import { deltaContextOf, type DeltaJob, type DeltaOutcome } from "../sources/blob-delta.js";
import { scanWithStore, SummaryStore } from "../sources/summary-store.js";

/** State of the fast path during one scan. */
export interface DeltaState {
  /** Scans a delta job (pool or this thread); `affinity` picks the worker. */
  scan: (job: DeltaJob, affinity: number) => Promise<DeltaOutcome>;
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
  poolScan: ((job: BlobJob, affinity?: number) => Promise<BlobOutcome>) | undefined,
  watchdog: boolean,
  maxSize: number,
): DeltaState | undefined {
  if (opts.wholeBlobs !== false || opts.scanBlobAsync || watchdog || !builtInRules(scanner)) return undefined;
  if (poolScan) return { scan: (job, affinity) => poolScan(job, affinity) as Promise<DeltaOutcome> };
  const ctx = deltaContextOf(scanner);
  const store = new SummaryStore();
  return { scan: (job) => Promise.resolve(scanWithStore(ctx, store, job, maxSize)) };
}

/** A path's worker affinity: a hash of its text. */
export function pathAffinity(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
