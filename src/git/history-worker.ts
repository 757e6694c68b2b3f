/**
 * Worker thread of the history scan: compiles the rule set once from the
 * configuration it is given, then decodes and scans the blobs it is sent.
 * Only data crosses the thread boundary (config, bytes, findings).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ResolvedConfig } from "../config/load.js";
import { createScanner } from "../scanner.js";
import { scanBlob, type BlobJob, type BlobOutcome } from "./scan-blob.js";

/** What the pool passes at start. */
export interface WorkerInit {
  config: ResolvedConfig;
  salt?: string;
  maxSize: number;
}

/** One request: jobs with ids (batched: one message per many small blobs). */
export interface WorkerRequest {
  ids: number[];
  jobs: BlobJob[];
}

/** One answer per request, in the same order. */
export interface WorkerAnswer {
  ids: number[];
  outcomes: Array<BlobOutcome | { error: string }>;
}

const init = workerData as WorkerInit;
const scanner = createScanner(init.config, init.salt !== undefined ? { salt: init.salt } : {});
parentPort!.on("message", (req: WorkerRequest) => {
  const outcomes = req.jobs.map((job) => {
    try {
      return scanBlob(scanner.scanFragment, job, init.maxSize);
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
  const answer: WorkerAnswer = { ids: req.ids, outcomes };
  parentPort!.postMessage(answer);
});
