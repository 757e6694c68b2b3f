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
import type { WorkerInit, WorkerRequest } from "./history-worker.js";

/** A running pool. */
export interface ScanPool {
  scan(job: BlobJob): Promise<BlobOutcome>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: number;
}

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
    const slot: Slot = { worker, busy: 0 };
    worker.on("message", (m: { id: number; outcome?: BlobOutcome; error?: string }) => {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      w.slot.busy--;
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.outcome!);
    });
    worker.on("error", (e) => {
      failure = e;
      for (const [id, w] of waiting) if (w.slot === slot) (waiting.delete(id), w.reject(e));
    });
    slots.push(slot);
  }
  let nextId = 0;
  return {
    scan(job) {
      if (failure) return Promise.reject(failure);
      let slot = slots[0]!;
      for (const s of slots) if (s.busy < slot.busy) slot = s;
      slot.busy++;
      const id = nextId++;
      return new Promise<BlobOutcome>((resolve, reject) => {
        waiting.set(id, { resolve, reject, slot });
        const req: WorkerRequest = { id, job };
        const buf = job.data.buffer;
        // Transfer the bytes when the view owns its whole buffer (cat-file hands out such copies).
        const transfer = job.data.byteOffset === 0 && job.data.byteLength === buf.byteLength && buf instanceof ArrayBuffer ? [buf] : [];
        slot.worker.postMessage(req, transfer);
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
