/**
 * Worker thread of the history scan: compiles the rule set once from the
 * configuration it is given, then decodes and scans the blobs it is sent.
 * Only data crosses the thread boundary (config, bytes, findings).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ResolvedConfig } from "../config/load.js";
import { createScanner } from "../scanner.js";
import { scanBlob, type BlobJob } from "./scan-blob.js";

/** What the pool passes at start. */
export interface WorkerInit {
  config: ResolvedConfig;
  salt?: string;
  maxSize: number;
}

/** One request: a job with an id. */
export interface WorkerRequest {
  id: number;
  job: BlobJob;
}

const init = workerData as WorkerInit;
const scanner = createScanner(init.config, init.salt !== undefined ? { salt: init.salt } : {});
parentPort!.on("message", (req: WorkerRequest) => {
  try {
    parentPort!.postMessage({ id: req.id, outcome: scanBlob(scanner.scanFragment, req.job, init.maxSize) });
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: (e as Error).message });
  }
});
