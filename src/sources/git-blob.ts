/**
 * One blob's bytes to findings: decode (binary, LFS pointer and oversized
 * content are skipped with a reason), then scan once. Shared by the in-thread
 * path and the worker threads of the history scan.
 */
import type { EngineResult } from "../engine/scan.js";
import type { CommitInfo, FindingSource } from "../engine/types.js";
import { decodeBytes } from "./text.js";

/** What to scan: a blob's content under the path and commit that introduced it. */
export interface BlobJob {
  path: string;
  data: Uint8Array;
  commit: CommitInfo;
  source: FindingSource;
}

/** What became of a blob. */
export type BlobOutcome =
  | { kind: "binary" | "lfs-pointer" | "too-large" }
  | { kind: "scanned"; bytes: number; result: EngineResult }
  /** The watchdog stopped the scan when its time ran out: nothing is known about the content. */
  | { kind: "timeout"; bytes: number };

/** Decodes and scans one blob with `scan`. */
export function scanBlob(scan: (f: import("../engine/types.js").Fragment) => EngineResult, job: BlobJob, maxSize = Infinity): BlobOutcome {
  if (job.data.length > maxSize) return { kind: "too-large" };
  const d = decodeBytes(job.data);
  if (d.kind === "binary") return { kind: "binary" };
  if (d.kind === "lfs-pointer") return { kind: "lfs-pointer" };
  return { kind: "scanned", bytes: job.data.length, result: scan({ text: d.text, path: job.path, commit: job.commit, source: job.source }) };
}
