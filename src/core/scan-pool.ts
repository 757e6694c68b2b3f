/**
 * A small pool of worker threads that decode and scan blobs, texts and
 * files, so that git's output is parsed (or the file tree walked) on the
 * main thread while the rules run on other cores. A file is read by its
 * worker. Blob bytes are transferred (not copied) to a worker; findings
 * come back as plain data. Available only where the compiled worker file
 * exists (dist/); elsewhere {@link createScanPool} returns undefined and the
 * caller scans in its own thread.
 *
 * With `watchdogMs` the pool is also a watchdog: a JavaScript regex cannot be
 * interrupted from inside, so each worker gets one job at a time, and a job
 * still running when its time is up has its worker terminated. The job comes
 * back as `timeout`, and a fresh worker takes the next one. Used when the
 * configuration brings its own regexes (built-in ones are proven linear).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Worker as WorkerThread } from "node:worker_threads";
import { createRequire } from "node:module";
import type { Fragment } from "../engine/types.js";
import { workerDecoders } from "../engine/passes.js";
import type { Decoder } from "../engine/scan.js";
import type { ResolvedConfig } from "../config/load.js";
import { isBuiltinList, settleRule } from "../ruleset/builtin.js";
import type { BlobJob, BlobOutcome } from "../sources/git-blob.js";
import type { FileJob, FileOutcome } from "../sources/file-read.js";
import type { FragmentJob, WorkerAnswer, WorkerInit, WorkerInitMessage, WorkerRequest } from "./scan-worker.js";

/** A running pool. */
export interface ScanPool {
  /**
   * Scans a blob. Jobs with the same `affinity` go to the same worker, in the
   * order given (the history fast path keeps each path's summaries in one
   * worker); without it, to the least loaded one.
   */
  scan(job: BlobJob, affinity?: number): Promise<BlobOutcome>;
  /** Scans a text already decoded; `timeout` when the watchdog stopped it. */
  scanFragment(fragment: Fragment): Promise<BlobOutcome>;
  /** Reads and scans a file in a worker (its bytes never cross threads); `timeout` when the watchdog stopped it. */
  scanFile(job: FileJob): Promise<FileOutcome>;
  close(): Promise<void>;
}

/** Options for {@link createScanPool}. */
export interface ScanPoolOptions {
  /** Terminate a worker whose job runs longer than this, ms (one job per worker at a time). */
  watchdogMs?: number;
  /** The engine's own per-job budget inside the workers, ms. */
  timeBudgetMs?: number;
  /** Each worker's young generation, MB (V8's default lets it grow to about 17). */
  youngGenerationMb?: number;
}

type Job = BlobJob | FragmentJob | FileJob;
type Outcome = BlobOutcome | FileOutcome;

interface Waiter {
  id: number;
  job: Job;
  resolve: (o: Outcome) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: WorkerThread;
  /** Jobs sent and not yet answered. */
  sent: Map<number, Waiter>;
  /** Batch mode: jobs collected for the next message. */
  batch: Waiter[];
  batchBytes: number;
  /** Batch mode: messages sent and not yet answered. */
  requests: number;
  /** Watchdog mode: jobs waiting for this worker, the one it runs, and whether it has started. */
  queue: Waiter[];
  timer: NodeJS.Timeout | undefined;
  ready: boolean;
}

/** A batch is sent when it holds this many jobs or bytes, or at the next turn of the event loop. */
export const BATCH_JOBS = 64;
const BATCH_BYTES = 1 << 20;

/** Default worker count: two, or one on a single core. */
export function defaultWorkers(): number {
  return Math.min(2, Math.max(1, availableParallelism() - 0));
}

/**
 * True when a large file scan moves to a worker early (and the CLI starts one
 * ahead): with more than two cores. On two, V8's own background threads (its
 * optimizing compiler, the garbage collector) already keep the second core
 * busy beside a thread that scans, and a worker's isolate pays its start-up
 * and warm-up again (the program loaded, the rules compiled, the JIT
 * optimising the same functions): on git/git's HEAD (46 MB) it cost about
 * 0.5 s of CPU and won no wall time.
 */
export function earlyFileWorker(cores = availableParallelism()): boolean {
  return cores > 2;
}

/** A file's size is not known before its worker opens it: it counts as this much, so a batch holds 8 files. */
const FILE_WEIGHT = BATCH_BYTES / 8;

const sizeOf = (job: Job): number => ("fragment" in job ? job.fragment.text.length : "file" in job ? FILE_WEIGHT : job.data.byteLength);

/** The bytes to transfer with a job: only a view that owns its whole buffer (cat-file hands out such copies). */
function transferable(job: Job): ArrayBuffer[] {
  if (!("data" in job)) return [];
  const buf = job.data.buffer;
  return job.data.byteOffset === 0 && job.data.byteLength === buf.byteLength && buf instanceof ArrayBuffer ? [buf] : [];
}

/** What a worker started ahead gets as `workerData`: it loads its modules and waits for a {@link WorkerInitMessage}. */
export const DEFERRED_INIT = "deferred";

/**
 * A worker started ahead of its pool (see {@link prestartScanWorker}), not
 * yet taken; `failed` once it errored or exited (then never taken).
 */
let spare: { worker: WorkerThread; failed: boolean; youngMb: number | undefined } | undefined;

/** A scan worker thread given `workerData`, its young generation capped at `youngMb` when given. */
function newWorker(workerData: WorkerInit | typeof DEFERRED_INIT, youngMb: number | undefined): WorkerThread {
  // Loaded here, not at start-up: the pre-commit hook never starts a worker.
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  const limits = youngMb !== undefined ? { resourceLimits: { maxYoungGenerationSizeMb: youngMb } } : {};
  return new Worker(new URL("./scan-worker.js", import.meta.url), { workerData, ...limits });
}

/**
 * Starts a scan worker before anything is known to scan, so that it loads
 * (a fresh isolate: node's start-up, the program's modules: ~0.15–0.2 s here)
 * while this thread loads the configuration and starts the walk (or, for a
 * history scan, while git lists the refs and commits). The next pool started
 * without a watchdog and with the same young generation takes it (posting its
 * {@link WorkerInit} as the first message) instead of starting one. It never
 * keeps the process alive; {@link discardScanWorker} ends it when unused.
 * Does nothing where workers cannot run or one is already waiting.
 */
export function prestartScanWorker(opts: { youngGenerationMb?: number } = {}): void {
  if (spare !== undefined || !poolAvailable()) return;
  const youngMb = opts.youngGenerationMb;
  const worker = newWorker(DEFERRED_INIT, youngMb);
  const s = { worker, failed: false, youngMb };
  const fail = (): void => void (s.failed = true);
  worker.on("error", fail);
  worker.on("exit", fail);
  worker.unref();
  spare = s;
}

/** Ends the worker {@link prestartScanWorker} started if no pool took it; true when there was one. */
export function discardScanWorker(): boolean {
  const s = spare;
  spare = undefined;
  if (s !== undefined) void s.worker.terminate();
  return s !== undefined;
}

/** The waiting spare worker started with `youngMb`, taken (undefined when there is none, it differs or it failed). */
function takeSpare(youngMb: number | undefined): WorkerThread | undefined {
  const s = spare;
  if (s === undefined || s.youngMb !== youngMb) return undefined;
  spare = undefined;
  if (s.failed) {
    void s.worker.terminate();
    return undefined;
  }
  s.worker.removeAllListeners();
  s.worker.ref();
  return s.worker;
}

/** True where the compiled worker exists (a built package), so a pool can start. */
export function poolAvailable(): boolean {
  const url = new URL("./scan-worker.js", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url));
}

/**
 * Starts `n` workers scanning with `config` and `salt`; undefined when
 * workers cannot run here.
 */
export function createScanPool(
  scanner: { config: ResolvedConfig; salt: string | undefined; decoders?: readonly Decoder[] },
  n: number,
  maxSize: number,
  opts: ScanPoolOptions = {},
): ScanPool | undefined {
  // Custom decoders cannot be rebuilt in a worker: such a scanner scans in this thread.
  const decode = scanner.decoders === undefined ? true : workerDecoders(scanner.decoders);
  if (n < 1 || decode === undefined || !poolAvailable()) return undefined;
  // The built-in rules are not copied to the worker (~0.4 MB to clone, ~30 ms to read back there): it loads its own.
  const builtin = isBuiltinList(scanner.config.rules);
  // A clone takes own fields only: lazily loaded built-in rules make theirs own first.
  if (!builtin) for (const def of scanner.config.rules) settleRule(def);
  const init: WorkerInit = {
    config: builtin ? { ...scanner.config, rules: [] } : scanner.config,
    ...(builtin ? { builtinRules: true } : {}),
    decode,
    maxSize,
    ...(scanner.salt !== undefined ? { salt: scanner.salt } : {}),
    ...(opts.timeBudgetMs !== undefined && opts.timeBudgetMs > 0 ? { timeBudgetMs: opts.timeBudgetMs } : {}),
  };
  const watchdogMs = opts.watchdogMs !== undefined && opts.watchdogMs > 0 ? opts.watchdogMs : undefined;
  const youngMb = opts.youngGenerationMb;
  let failure: Error | undefined;
  let closed = false;
  const slots: Slot[] = [];

  const start = (slot: Slot): void => {
    // A worker started ahead, loaded meanwhile, gets its init as the first message (batch mode, the same young generation only).
    const early = watchdogMs === undefined ? takeSpare(youngMb) : undefined;
    let worker: WorkerThread;
    if (early !== undefined) {
      worker = early;
      worker.postMessage({ init } satisfies WorkerInitMessage);
    } else {
      worker = newWorker(init, youngMb);
    }
    slot.worker = worker;
    slot.ready = false;
    worker.on("message", (m: WorkerAnswer) => {
      if (slot.worker !== worker) return;
      if ("ready" in m) {
        slot.ready = true;
        pump(slot);
        return;
      }
      if (watchdogMs === undefined) {
        // The worker starts on the batch queued behind this one: the next one can go now.
        slot.requests--;
        send(slot);
      }
      m.ids.forEach((id, i) => {
        const w = slot.sent.get(id);
        if (!w) return;
        slot.sent.delete(id);
        const o = m.outcomes[i]!;
        if ("error" in o) w.reject(new Error(o.error));
        else w.resolve(o);
      });
      if (watchdogMs !== undefined) {
        clearTimeout(slot.timer);
        slot.timer = undefined;
        pump(slot);
      }
    });
    worker.on("error", (e) => {
      if (slot.worker !== worker) return;
      failure = e;
      clearTimeout(slot.timer);
      for (const w of [...slot.sent.values(), ...slot.queue, ...slot.batch]) w.reject(e);
      slot.sent.clear();
      slot.queue = [];
      slot.batch = [];
    });
    // An idle watchdog worker must not keep the process alive (a caller that forgets close()).
    if (watchdogMs !== undefined) worker.unref();
  };

  /** Watchdog mode: sends the next queued job to an idle, ready worker and arms its timer. */
  const pump = (slot: Slot): void => {
    if (watchdogMs === undefined || closed) return;
    // Referenced while it owes an answer (also while it starts up), so the process waits for it.
    if (slot.sent.size === 0 && slot.queue.length === 0) {
      slot.worker.unref();
      return;
    }
    slot.worker.ref();
    if (!slot.ready || slot.sent.size > 0) return;
    const w = slot.queue.shift()!;
    slot.sent.set(w.id, w);
    const req: WorkerRequest = { ids: [w.id], jobs: [w.job] };
    slot.worker.postMessage(req, transferable(w.job));
    slot.timer = setTimeout(() => stop(slot, w), watchdogMs);
  };

  /** The job ran out of time: end its worker, report it, and go on with a fresh one. */
  const stop = (slot: Slot, w: Waiter): void => {
    slot.timer = undefined;
    slot.sent.delete(w.id);
    const old = slot.worker;
    void old.terminate();
    w.resolve({ kind: "timeout", bytes: sizeOf(w.job) });
    if (!closed) start(slot);
  };

  for (let i = 0; i < n; i++) {
    const slot = { sent: new Map(), batch: [], batchBytes: 0, requests: 0, queue: [], timer: undefined, ready: false } as unknown as Slot;
    start(slot);
    slots.push(slot);
  }

  let nextId = 0;
  let flushQueued = false;
  const send = (slot: Slot): void => {
    if (slot.batch.length === 0) return;
    const req: WorkerRequest = { ids: slot.batch.map((w) => w.id), jobs: slot.batch.map((w) => w.job) };
    for (const w of slot.batch) slot.sent.set(w.id, w);
    slot.worker.postMessage(req, slot.batch.flatMap((w) => transferable(w.job)));
    slot.requests++;
    slot.batch = [];
    slot.batchBytes = 0;
  };
  // A worker with two batches in hand (one it scans, one waiting) gets the next when it answers:
  // a busy worker then gets fewer, fuller messages (each costs a structured clone on both threads).
  const flushAll = (): void => {
    flushQueued = false;
    for (const s of slots) if (s.requests < 2) send(s);
  };
  const load = (s: Slot): number => s.sent.size + s.batch.length + s.queue.length;

  const submit = (job: Job, affinity?: number): Promise<Outcome> => {
    if (failure) return Promise.reject(failure);
    if (closed) return Promise.reject(new Error("scan pool closed"));
    let slot = slots[0]!;
    if (affinity !== undefined) slot = slots[Math.abs(affinity) % slots.length]!;
    else for (const s of slots) if (load(s) < load(slot)) slot = s;
    const id = nextId++;
    return new Promise<Outcome>((resolve, reject) => {
      const w: Waiter = { id, job, resolve, reject };
      if (watchdogMs !== undefined) {
        slot.queue.push(w);
        pump(slot);
        return;
      }
      slot.batch.push(w);
      slot.batchBytes += sizeOf(job);
      if (slot.batch.length >= BATCH_JOBS || slot.batchBytes >= BATCH_BYTES) send(slot);
      else if (!flushQueued) {
        flushQueued = true;
        setImmediate(flushAll);
      }
    });
  };

  return {
    // Each job kind is answered with its own outcome kind (see the worker).
    scan: (job, affinity) => submit(job, affinity) as Promise<BlobOutcome>,
    scanFragment: (fragment) => submit({ fragment }) as Promise<BlobOutcome>,
    scanFile: (job) => submit(job) as Promise<FileOutcome>,
    async close() {
      closed = true;
      for (const s of slots) clearTimeout(s.timer);
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
