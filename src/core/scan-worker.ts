/**
 * Worker thread of the scan pool (scan-pool.ts): compiles the rule set once
 * from the configuration it is given, then decodes and scans the blobs and
 * fragments it is sent, or reads and scans the files it is named (so a
 * file's bytes never cross threads). Only data crosses the thread boundary (config,
 * bytes or text, findings). Posts `{ ready: true }` once the rules are
 * compiled, so a watchdog times jobs, not start-up. A worker started ahead
 * of its pool (prestartScanWorker) gets its configuration as its first
 * message instead of as `workerData`.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ResolvedConfig } from "../config/load.js";
import type { Fragment } from "../engine/types.js";
import { createScanner } from "./scanner.js";
import { DEFERRED_INIT } from "./scan-pool.js";
import { builtinRules } from "../ruleset/builtin.js";
import { DEFAULT_DECODERS } from "../engine/passes.js";
import { splicingBlobScanner, type BlobJob, type BlobOutcome } from "../sources/git-blob.js";
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
  /** The configuration's rules are the built-in ones (sent empty): the worker loads its own copy of the same file. */
  builtinRules?: boolean;
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

/** The first message to a worker started ahead of its pool (see prestartScanWorker): its {@link WorkerInit}. */
export interface WorkerInitMessage {
  init: WorkerInit;
}

/** The jobs' handler once the rules are compiled from `init`. */
function scanning(init: WorkerInit): (req: WorkerRequest) => void {
  // The worker is the watchdog's subject: it must never start a watchdog of its own.
  const config = init.builtinRules ? { ...init.config, rules: builtinRules() } : init.config;
  const scanner = createScanner(config, {
    ...(init.salt !== undefined ? { salt: init.salt } : {}),
    ...(init.timeBudgetMs !== undefined ? { timeBudgetMs: init.timeBudgetMs } : {}),
    watchdog: false,
    decoders: init.decode ? DEFAULT_DECODERS : [],
  });
  // The fast path (blob-delta.ts) with the same engine options createScanner gives scanner.
  const delta: DeltaContext = deltaContextOf(scanner);
  // The summaries of the blob versions this worker scanned: the pool sends every version of a path here.
  const summaries = new SummaryStore();
  // Blobs: the keyword pass spliced from the last version scanned at the same path (exact for any two versions).
  const scanBlob = splicingBlobScanner(scanner.ruleSet, scanner.engineOptions);
  return (req) => {
    const outcomes = req.jobs.map((job): BlobOutcome | FileOutcome | { error: string } => {
      try {
        if ("file" in job) return scanFile(scanner.scanFragment, job, init.maxSize);
        if ("fragment" in job) return { kind: "scanned", bytes: job.fragment.text.length, result: scanner.scanFragment(job.fragment) };
        if (!isDeltaJob(job)) return scanBlob(job, init.maxSize);
        return scanWithStore(delta, summaries, job, init.maxSize);
      } catch (e) {
        return { error: (e as Error).message };
      }
    });
    const answer: WorkerAnswer = { ids: req.ids, outcomes };
    parentPort!.postMessage(answer);
  };
}

if (workerData === DEFERRED_INIT) {
  // Started ahead: the modules are loaded by now; the rules wait for the configuration.
  let handle: ((req: WorkerRequest) => void) | undefined;
  parentPort!.on("message", (m: WorkerRequest | WorkerInitMessage) => {
    if (handle !== undefined) return handle(m as WorkerRequest);
    handle = scanning((m as WorkerInitMessage).init);
    parentPort!.postMessage({ ready: true } satisfies WorkerAnswer);
  });
} else {
  parentPort!.on("message", scanning(workerData as WorkerInit));
  parentPort!.postMessage({ ready: true } satisfies WorkerAnswer);
}
