/**
 * One blob's bytes to findings: decode (binary, LFS pointer and oversized
 * content are skipped with a reason), then scan once. Shared by the in-thread
 * path and the worker threads of the history scan.
 */
import { isAscii } from "node:buffer";
import { scanFragment, type EngineOptions, type EngineResult } from "../engine/scan.js";
import type { CompiledRuleSet } from "../engine/compile.js";
import type { CommitInfo, FindingSource, Fragment } from "../engine/types.js";
import { SpliceCache, splicedPass } from "./keyword-splice.js";
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
export function scanBlob(scan: (f: Fragment) => EngineResult, job: BlobJob, maxSize = Infinity): BlobOutcome {
  if (job.data.length > maxSize) return { kind: "too-large" };
  const d = decodeBytes(job.data);
  if (d.kind === "binary") return { kind: "binary" };
  if (d.kind === "lfs-pointer") return { kind: "lfs-pointer" };
  return { kind: "scanned", bytes: job.data.length, result: scan({ text: d.text, path: job.path, commit: job.commit, source: job.source }) };
}

/**
 * {@link scanBlob} for the versions of files that a history scan meets one
 * after another: an ASCII blob's keyword pass is spliced from the last
 * version scanned at its path (keyword-splice.ts), the rest of the engine
 * runs as ever. The same outcome as scanBlob with `scanFragment(rs, ·, engine)`;
 * keeps the last versions' passes (bounded) between calls.
 */
export function splicingBlobScanner(rs: CompiledRuleSet, engine: EngineOptions): (job: BlobJob, maxSize?: number) => BlobOutcome {
  const cache = new SpliceCache();
  return (job, maxSize = Infinity) =>
    scanBlob(
      (f) => {
        // One character per byte: the spliced pass's offsets are the text's.
        const pass = f.text.length === job.data.length && isAscii(job.data) ? splicedPass(rs.keywords, cache, job.path, f.text, job.data) : undefined;
        return scanFragment(rs, f, pass !== undefined ? { ...engine, keywordPass: pass } : engine);
      },
      job,
      maxSize,
    );
}
