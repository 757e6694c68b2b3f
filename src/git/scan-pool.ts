/**
 * A small pool of worker threads that decode and scan blobs, so that git's
 * output is parsed on the main thread while the rules run on other cores.
 * Blob bytes are transferred (not copied) to a worker; findings come back as
 * plain data. Available only where the compiled worker file exists (dist/);
 * elsewhere {@link createScanPool} returns undefined and the caller scans in
 * its own thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Scanner } from "../scanner.js";
import type { BlobJob, BlobOutcome } from "./scan-blob.js";
import type { WorkerAnswer, WorkerInit, WorkerRequest } from "./history-worker.js";

/** A running pool. */
export interface ScanPool {
  scan(job: BlobJob): Promise<BlobOutcome>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: number;
  /** Jobs collected for the next message. */
  batch: WorkerRequest;
  batchBytes: number;
  transfer: ArrayBuffer[];
}

/** A batch is sent when it holds this many jobs or bytes, or at the next turn of the event loop. */
const BATCH_JOBS = 64;
const BATCH_BYTES = 1 << 20;

/** Default worker count: two, or one on a single core. */
export function defaultWorkers(): number {
  return Math.min(2, Math.max(1, availableParallelism() - 0));
}

/** Starts `n` workers scanning with `scanner`'s configuration and salt; undefined when workers cannot run here. */
export function createScanPool(scanner: Scanner, n: number, maxSize: number): ScanPool | undefined {
  const url = new URL("./history-worker.js", import.meta.url);
  if (n < 1 || url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return undefined;
  const init: WorkerInit = { config: scanner.config, maxSize, ...(scanner.salt !== undefined ? { salt: scanner.salt } : {}) };
  const waiting = new Map<number, { resolve: (o: BlobOutcome) => void; reject: (e: Error) => void; slot: Slot }>();
  let failure: Error | undefined;
  const slots: Slot[] = [];
  for (let i = 0; i < n; i++) {
    const worker = new Worker(url, { workerData: init });
    const slot: Slot = { worker, busy: 0, batch: { ids: [], jobs: [] }, batchBytes: 0, transfer: [] };
    worker.on("message", (m: WorkerAnswer) => {
      m.ids.forEach((id, i) => {
        const w = waiting.get(id);
        if (!w) return;
        waiting.delete(id);
        w.slot.busy--;
        const o = m.outcomes[i]!;
        if ("error" in o) w.reject(new Error(o.error));
        else w.resolve(o);
      });
    });
    worker.on("error", (e) => {
      failure = e;
      for (const [id, w] of waiting) if (w.slot === slot) (waiting.delete(id), w.reject(e));
    });
    slots.push(slot);
  }
  let nextId = 0;
  let flushQueued = false;
  const send = (slot: Slot): void => {
    if (slot.batch.ids.length === 0) return;
    slot.worker.postMessage(slot.batch, slot.transfer);
    slot.batch = { ids: [], jobs: [] };
    slot.batchBytes = 0;
    slot.transfer = [];
  };
  const flushAll = (): void => {
    flushQueued = false;
    for (const s of slots) send(s);
  };
  return {
    scan(job) {
      if (failure) return Promise.reject(failure);
      let slot = slots[0]!;
      for (const s of slots) if (s.busy < slot.busy) slot = s;
      slot.busy++;
      const id = nextId++;
      return new Promise<BlobOutcome>((resolve, reject) => {
        waiting.set(id, { resolve, reject, slot });
        slot.batch.ids.push(id);
        slot.batch.jobs.push(job);
        slot.batchBytes += job.data.byteLength;
        const buf = job.data.buffer;
        // Transfer the bytes when the view owns its whole buffer (cat-file hands out such copies).
        if (job.data.byteOffset === 0 && job.data.byteLength === buf.byteLength && buf instanceof ArrayBuffer) slot.transfer.push(buf);
        if (slot.batch.ids.length >= BATCH_JOBS || slot.batchBytes >= BATCH_BYTES) send(slot);
        else if (!flushQueued) {
          flushQueued = true;
          setImmediate(flushAll);
        }
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
