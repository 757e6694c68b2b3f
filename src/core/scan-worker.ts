/**
 * Worker thread of the scan pool (scan-pool.ts): compiles the rule set once
 * from the configuration it is given, then decodes and scans the blobs and
 * fragments it is sent, or reads and scans the files it is named (so a
 * file's bytes never cross threads). Only data crosses the thread boundary (config,
 * bytes or text, findings). Posts `{ ready: true }` once the rules are
 * compiled, so a watchdog times jobs, not start-up.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ResolvedConfig } from "../config/load.js";
import type { Fragment } from "../engine/types.js";
import { createScanner } from "./scanner.js";
import { DEFAULT_DECODERS } from "../engine/passes.js";
import { scanBlob, type BlobJob, type BlobOutcome } from "../sources/git-blob.js";
import { scanFile, type FileJob, type FileOutcome } from "../sources/file-read.js";
import { deltaContextOf, isDeltaJob, type DeltaContext } from "../sources/blob-delta.js";
import { scanWithStore, SummaryStore } from "../sources/summary-store.js";

/** What the pool passes at start. */
export interface WorkerInit {
  config: ResolvedConfig;
  salt?: string;
  maxSize: number;
  /** Run the default decoders (true) or none (false); see ScannerOptions.decoders. */
  decode: boolean;
  /** Per-job time budget of the engine's own between-matches check, ms. */
  timeBudgetMs?: number;
}

/** A text already decoded (a file's added lines, a commit message): scanned as is. */
export interface FragmentJob {
  fragment: Fragment;
}

/** One request: jobs with ids (batched: one message per many small blobs). */
export interface WorkerRequest {
  ids: number[];
  jobs: Array<BlobJob | FragmentJob | FileJob>;
}

/** One answer per request, in the same order; or the start-up signal. */
export type WorkerAnswer = { ready: true } | { ids: number[]; outcomes: Array<BlobOutcome | FileOutcome | { error: string }> };

const init = workerData as WorkerInit;
// The worker is the watchdog's subject: it must never start a watchdog of its own.
const scanner = createScanner(init.config, {
  ...(init.salt !== undefined ? { salt: init.salt } : {}),
  ...(init.timeBudgetMs !== undefined ? { timeBudgetMs: init.timeBudgetMs } : {}),
  watchdog: false,
  decoders: init.decode ? DEFAULT_DECODERS : [],
});
// The fast path (blob-delta.ts) with the same engine options createScanner gives scanner.
const delta: DeltaContext = deltaContextOf(scanner);
// The summaries of the blob versions this worker scanned: the pool sends every version of a path here.
const summaries = new SummaryStore();
parentPort!.on("message", (req: WorkerRequest) => {
  const outcomes = req.jobs.map((job): BlobOutcome | FileOutcome | { error: string } => {
    try {
      if ("file" in job) return scanFile(scanner.scanFragment, job, init.maxSize);
      if ("fragment" in job) return { kind: "scanned", bytes: job.fragment.text.length, result: scanner.scanFragment(job.fragment) };
      if (!isDeltaJob(job)) return scanBlob(scanner.scanFragment, job, init.maxSize);
      return scanWithStore(delta, summaries, job, init.maxSize);
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
  const answer: WorkerAnswer = { ids: req.ids, outcomes };
  parentPort!.postMessage(answer);
});
parentPort!.postMessage({ ready: true } satisfies WorkerAnswer);
