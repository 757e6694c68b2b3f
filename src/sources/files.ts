/**
 * The file-tree source (I/O edge): walks paths, honours `.gitignore` files
 * (the `ignore` package, nested files applied relative to their folder) and
 * include/exclude globs, never follows symlinks, skips binary and oversized
 * files with a count, and hands each text file to a scanner.
 */
import { lstatSync, readdirSync } from "node:fs";
import type { EngineResult } from "../engine/scan.js";
import { hasPathOnlyRules, scanPlace } from "../engine/path-rules.js";
import { basename, join, relative, resolve, sep } from "node:path";
import { ignored, readIgnore, reincluding, type IgnoreLayer } from "./gitignore.js";
import { globMatcher } from "../engine/glob.js";
import { countSkip, emptyReport, skipFile, type ScanReport } from "../core/report.js";
import { poolOptionsOf, scanGuarded, stoppedDetail, workersCanScanFor, type Scanner } from "../core/scanner.js";
import { createScanPool, defaultWorkers, earlyFileWorker, type ScanPool } from "../core/scan-pool.js";
import { InputError } from "../errors.js";
import { describeError } from "../util/scrub.js";
import { expandArchive, type ArchiveLimits } from "./archive.js";
import { prepareFile, scanFile, type FileJob, type FileOutcome } from "./file-read.js";
import { decodeBytes } from "./text.js";
import { maxFileSizeOf } from "../util/size-limit.js";
import { append } from "../util/append.js";

/** Options for {@link scanFiles}. */
export interface FileScanOptions {
  /** Root that finding paths are relative to (default: cwd). */
  root?: string;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Only scan paths matching one of these globs (relative to root). */
  include?: string[];
  /** Never scan paths matching one of these globs. */
  exclude?: string[];
  /** Largest file scanned, bytes (default 50 MiB). */
  maxFileSize?: number;
  /** Look inside zip/tar/gzip files (default true), optionally with other limits. */
  archives?: boolean | Partial<ArchiveLimits>;
  /** Called after each file, for progress. */
  onFile?: (path: string, bytes: number) => void;
  /**
   * Worker threads that read and scan files once a scan is large (default
   * {@link defaultFileWorkers}: one; 0 = this thread only). This thread keeps
   * scanning beside them whenever they have enough files queued (except under
   * the watchdog, where every file goes to a worker). Used only where workers
   * scan exactly as `scanner` does (see workersCanScanFor).
   */
  workers?: number;
  /**
   * When a scan moves to the workers: once the walk has found this many
   * files to scan, or this thread has scanned this many bytes (default
   * {@link defaultWorkerThreshold}; `{ files: 0, bytes: 0 }` uses workers
   * from the first file). The walk looks ahead for the files before the
   * first is read, so the workers start while this thread scans. Small scans
   * never pay for starting workers.
   */
  workerThreshold?: { files: number; bytes: number };
  /**
   * Files queued for the workers before this thread scans one itself
   * (default {@link HELP_AFTER}); tests lower it to make this thread take a share of a small tree.
   */
  helpAfter?: number;
  /** Called once when the scan moves to worker threads, with their number (for progress and tests). */
  onWorkers?: (workers: number) => void;
}

/**
 * On more than two cores, a scan moves to worker threads when the walk finds
 * this many files, or after this many bytes scanned in its own thread.
 * Starting a worker (a fresh isolate loading the engine and compiling the
 * rules) costs about 0.4 s of CPU: about what scanning 3 MB or 400 files
 * takes here. Below this, a scan is not worth the start-up; above it, a
 * spare core wins it back.
 */
export const DEFAULT_WORKER_THRESHOLD: Readonly<{ files: number; bytes: number }> = { files: 500, bytes: 4 * 1024 * 1024 };

/**
 * The threshold on two cores or fewer (see earlyFileWorker): only a scan
 * that has read this much in its own thread moves to a worker, whatever the
 * number of files. A worker there pays for itself only over what remains
 * once it has warmed up: git/git's HEAD (46 MB, 4,843 files) took as long
 * with one as without, and a far larger tree goes faster with one.
 */
export const FEW_CORES_WORKER_THRESHOLD: Readonly<{ files: number; bytes: number }> = { files: Infinity, bytes: 64 * 1024 * 1024 };

/** The default {@link FileScanOptions.workerThreshold} on a machine with `cores` cores. */
export function defaultWorkerThreshold(cores?: number): Readonly<{ files: number; bytes: number }> {
  return earlyFileWorker(cores) ? DEFAULT_WORKER_THRESHOLD : FEW_CORES_WORKER_THRESHOLD;
}

/**
 * Files handed to the workers and not yet answered, at most: enough to keep
 * both busy between the main thread's turns, few enough that a worker stuck
 * on one large file holds back little while the other takes the new ones.
 */
const IN_FLIGHT = 128;

/**
 * Files queued for the workers before this thread scans one itself: enough
 * that they stay busy while it does (a batch is eight files, see scan-pool.ts).
 */
export const HELP_AFTER = 24;

/**
 * Worker threads of a large file scan by default: one fewer than
 * {@link defaultWorkers} (at least one), since this thread, whose rules are
 * already compiled, keeps scanning beside them (and alone while they start).
 * A third isolate on two cores would only pay start-up and warm-up again
 * (loading the engine, compiling and tiering up some thousand regexes).
 */
export function defaultFileWorkers(): number {
  return Math.max(1, defaultWorkers() - 1);
}

export { DEFAULT_MAX_FILE_SIZE } from "../util/size-limit.js";

const toSlash = (p: string): string => (sep === "/" ? p : p.split(sep).join("/"));

/**
 * What the walk meets, in the order it is reported: a file to scan (`size`
 * when known from an lstat), or a step that reports a skip (a symlink, a
 * special file, a folder that cannot be listed).
 */
type WalkItem = { abs: string; rel: string; size?: number } | { step: () => void };

/** A subfolder the walk enters, with the ignore files that apply in it. */
type Subfolder = { dir: string; layers: IgnoreLayer[] };

/**
 * While the workers have enough queued, this thread lets their answers in (a
 * turn of the event loop) at most this often, ms: each turn polls the system,
 * and a worker answers a batch of files at once.
 */
const YIELD_MS = 1;

/** Files the walk looks ahead for at most before the first is read (see DEFAULT_WORKER_THRESHOLD). */
const LOOKAHEAD = 4096;

/** Scans files and folders; `paths` default to the root. */
export async function scanFiles(scanner: Scanner, paths: readonly string[], options: FileScanOptions = {}): Promise<ScanReport> {
  const started = Date.now();
  const root = resolve(options.root ?? process.cwd());
  const report = emptyReport();
  const stats = report.stats;
  const max = maxFileSizeOf(scanner.config.scan, options.maxFileSize);
  const useGitignore = options.gitignore ?? true;
  const exclude = [...(options.exclude ?? []), ...(scanner.config.scan.exclude ?? [])];
  const isExcluded = exclude.length > 0 ? globMatcher(exclude) : () => false;
  const isIncluded = options.include && options.include.length > 0 ? globMatcher(options.include) : () => true;

  const relOf = (abs: string): string => {
    const r = toSlash(relative(root, abs));
    return r === "" ? basename(abs) : r;
  };

  const archiveLimits = options.archives === false ? undefined : { maxEntryBytes: max, ...(typeof options.archives === "object" ? options.archives : {}) };

  const tooLarge = (rel: string, size: number): void =>
    skipFile(report, { path: rel, reason: "too-large", detail: `skipped, ${size} bytes is over the ${max}-byte limit (--max-file-size)` });
  // Any surprise while reading or scanning one file costs that file only, never silently.
  const internalError = (rel: string, e: unknown): void =>
    skipFile(report, { path: rel, reason: "error", detail: `skipped after an internal error (${describeError(e)}); please report it` });

  /** Counts one scanned text (a file or an archive entry) and keeps its findings. */
  const record = (rel: string, bytes: number, res: EngineResult): void => {
    if (res.stopped) return skipFile(report, { path: rel, reason: "timeout", detail: stoppedDetail(scanner.timeBudgetMs) });
    if (res.timedOut) {
      skipFile(report, { path: rel, reason: "timeout", detail: "time budget ran out (--timeout-per-file); findings up to that point are reported, the rest of the file is not scanned" });
    }
    stats.files++;
    stats.bytes += bytes;
    append(report.findings, res.findings);
    append(report.suppressed, res.suppressed);
  };

  // Path-only rules flag a file by its name, whatever becomes of its content (binary, too large, …).
  const byPath = hasPathOnlyRules(scanner.ruleSet);
  const flagPath = (rel: string): void => {
    if (!byPath) return;
    const res = scanPlace(scanner.ruleSet, { path: rel }, scanner.engineOptions);
    append(report.findings, res.findings);
    append(report.suppressed, res.suppressed);
  };

  /** Decodes and scans an archive entry in this thread; counts what it skips. */
  const scanEntry = async (rel: string, bytes: Uint8Array): Promise<void> => {
    flagPath(rel);
    const decoded = decodeBytes(bytes);
    if (decoded.kind === "binary") return skipFile(report, { path: rel, reason: "binary" });
    if (decoded.kind === "lfs-pointer") return void countSkip(stats, "lfs-pointer");
    record(rel, bytes.length, await scanGuarded(scanner, { text: decoded.text, path: rel }));
  };

  /** Reports what became of one file (read here or by a worker). */
  const reportFile = async (rel: string, o: FileOutcome): Promise<void> => {
    if (o.kind !== "special") flagPath(rel);
    switch (o.kind) {
      case "special":
        return skipFile(report, { path: rel, reason: "special-file", detail: "not a regular file; skipped" });
      case "too-large":
        return tooLarge(rel, o.size);
      case "unreadable":
        return skipFile(report, { path: rel, reason: "unreadable", detail: o.stat ? `cannot read (${o.code})` : "cannot stat" });
      case "binary":
        skipFile(report, { path: rel, reason: "binary" });
        if (o.bytes !== undefined) options.onFile?.(rel, o.bytes);
        return;
      case "lfs-pointer":
        countSkip(stats, "lfs-pointer");
        return options.onFile?.(rel, o.bytes);
      case "timeout":
        skipFile(report, { path: rel, reason: "timeout", detail: stoppedDetail(scanner.timeBudgetMs) });
        return options.onFile?.(rel, o.bytes);
      case "scanned":
        record(rel, o.bytes, o.result);
        return options.onFile?.(rel, o.bytes);
      case "archive": {
        if (!archiveLimits || o.bytes === undefined) return void countSkip(stats, "archive");
        const startBytes = stats.bytes;
        // Entries are collected, then scanned: a scan may wait on the watchdog thread.
        const entries: Array<[string, Uint8Array]> = [];
        expandArchive(o.archive, rel, o.bytes, {
          file: (inner, data) => void entries.push([inner, data]),
          skip: (reason, inner, why) => {
            if (reason === "binary") flagPath(inner);
            const detail = why ?? (reason !== "binary" ? `skipped (${reason})` : undefined);
            skipFile(report, { path: inner, reason, ...(detail !== undefined ? { detail } : {}) });
          },
        }, archiveLimits);
        for (const [inner, data] of entries) await scanEntry(inner, data);
        return options.onFile?.(rel, stats.bytes - startBytes);
      }
    }
  };

  // Results are reported in walk order, whichever thread produced them: a
  // step runs now when nothing is pending, else once every earlier one ran.
  // A worker's answer waits in its slot; answered files no longer count
  // against IN_FLIGHT, so a large file at the head never stalls the other worker.
  type Step = () => void | Promise<void>;
  const pending: Array<{ step: Step | undefined }> = [];
  let unanswered = 0;
  let wake: (() => void) | undefined;
  const inOrder = (step: Step): void => {
    if (pending.length === 0) void step();
    else pending.push({ step });
  };
  const reportReady = async (): Promise<void> => {
    while (pending.length > 0 && pending[0]!.step !== undefined) await pending.shift()!.step!();
  };
  /** Waits until fewer than `limit` files are unanswered, reporting what is ready meanwhile. */
  const answered = async (limit: number): Promise<void> => {
    await reportReady();
    while (unanswered >= limit) {
      await new Promise<void>((r) => (wake = r));
      await reportReady();
    }
  };

  // Files are read and scanned here until the scan proves large, then by the pool's workers.
  const threshold = options.workerThreshold ?? defaultWorkerThreshold();
  const workers = options.workers ?? defaultFileWorkers();
  // Under the watchdog every file must run in a worker it can stop.
  const helps = !scanner.guarded;
  const helpAfter = Math.max(1, options.helpAfter ?? HELP_AFTER);
  let pool: ScanPool | undefined;
  let poolDecided = workers < 1 || !workersCanScanFor(scanner);
  /** Files the walk has found (and will scan), and bytes this thread has scanned. */
  let found = 0;
  let hereBytes = 0;
  /** When this thread last let the workers' answers in (see YIELD_MS). */
  let lastTurn = 0;
  const poolNow = (): ScanPool | undefined => {
    if (poolDecided || (found < threshold.files && hereBytes < threshold.bytes)) return pool;
    poolDecided = true;
    // Configured regexes: each worker runs one file at a time under the watchdog, as scanAsync does.
    pool = createScanPool(scanner, workers, max, poolOptionsOf(scanner));
    if (pool) options.onWorkers?.(workers);
    return pool;
  };

  const scanHere = async (abs: string, rel: string): Promise<void> => {
    try {
      const prep = prepareFile(abs, max, archiveLimits !== undefined);
      if (prep.kind !== "text") return await reportFile(rel, prep);
      hereBytes += prep.bytes;
      const result = await scanGuarded(scanner, { text: prep.text, path: rel });
      await reportFile(rel, { kind: "scanned", bytes: prep.bytes, result });
    } catch (e) {
      internalError(rel, e);
    }
  };

  /** What a worker (or this thread, beside it) is asked to scan. */
  const fileJob = (abs: string, rel: string): FileJob => ({ file: abs, path: rel, archives: archiveLimits !== undefined });
  /** The in-order step that reports a scanned file; a failure while reporting is that file's internal error. */
  const reportStep =
    (rel: string, o: FileOutcome): Step =>
    async () => {
      try {
        await reportFile(rel, o);
      } catch (e) {
        internalError(rel, e);
      }
    };

  /**
   * Scans a file in this thread while the workers are busy, exactly as a
   * worker would (the same scanFile); reported in walk order like theirs.
   */
  const scanBeside = async (abs: string, rel: string): Promise<void> => {
    const slot: { step: Step | undefined } = { step: undefined };
    pending.push(slot);
    try {
      slot.step = reportStep(rel, scanFile(scanner.scanFragment, fileJob(abs, rel), max));
    } catch (e) {
      slot.step = () => internalError(rel, e);
    }
    await answered(IN_FLIGHT);
  };

  /** One file of the walk: scanned here or handed to a worker. `size` when known from an lstat. */
  const scanOne = async (abs: string, rel: string, size?: number): Promise<void> => {
    if (size !== undefined && size > max) return inOrder(() => tooLarge(rel, size));
    const p = poolNow();
    // Nothing is pending before the pool starts: a file scanned here is reported at once.
    if (!p) return scanHere(abs, rel);
    if (helps && unanswered >= helpAfter) {
      // The workers have enough to do: let their answers in, and if they still do, scan this one here.
      // A turn of the event loop (a poll of the system) at most every YIELD_MS: a worker answers eight files at a time.
      const now = performance.now();
      if (now - lastTurn >= YIELD_MS) {
        await new Promise<void>((r) => setImmediate(r));
        lastTurn = performance.now();
      }
      if (unanswered >= helpAfter) return scanBeside(abs, rel);
    }
    const slot: { step: Step | undefined } = { step: undefined };
    pending.push(slot);
    unanswered++;
    void p
      .scanFile(fileJob(abs, rel))
      .then(
        (o): Step => reportStep(rel, o),
        (e: unknown): Step => () => internalError(rel, e),
      )
      .then((step) => {
        slot.step = step;
        unanswered--;
        const w = wake;
        wake = undefined;
        w?.();
      });
    await answered(IN_FLIGHT);
  };

  const included = (rel: string): boolean => isIncluded(rel) && !isExcluded(rel);

  /**
   * One folder listed: its skips and files to scan in the order they are
   * reported (see {@link WalkItem}), each subfolder as a {@link Subfolder}
   * where the walk enters it (its whole tree comes there, before the folder's
   * own files).
   */
  function listFolder(absDir: string, layers: IgnoreLayer[]): Array<WalkItem | Subfolder> {
    const relDir = toSlash(relative(root, absDir));
    let entries;
    try {
      entries = readdirSync(absDir, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      return [{ step: () => skipFile(report, { path: relDir || ".", reason: "unreadable", detail: `cannot list folder (${code})` }) }];
    }
    // A folder without a `.gitignore` entry costs no open (a failed one threw, ~190 times on git/git).
    // Any case: on a case-insensitive file system the open finds `.GitIgnore` too, as git does there.
    const here = useGitignore && entries.some((e) => e.name.length === 10 && e.name.toLowerCase() === ".gitignore") ? readIgnore(absDir, relDir) : undefined;
    const lays = here ? [...layers, here] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out: Array<WalkItem | Subfolder> = [];
    const files: Array<[string, string]> = [];
    // absDir is resolved (normalized) and a name holds no separator: path.join's normalizing
    // would give the same, at a cost per entry (and in what the optimizing compiler inlines here).
    const dirPrefix = absDir.endsWith(sep) ? absDir : absDir + sep;
    for (const ent of entries) {
      const abs = dirPrefix + ent.name;
      const rel = relDir === "" ? ent.name : `${relDir}/${ent.name}`;
      if (ent.isSymbolicLink()) {
        out.push({ step: () => countSkip(stats, "symlink") });
      } else if (ent.isDirectory()) {
        if (ent.name === ".git") continue;
        if (useGitignore && ignored(lays, rel, true)) continue;
        if (isExcluded(rel) || isExcluded(rel + "/")) continue;
        out.push({ dir: abs, layers: lays });
      } else if (ent.isFile()) {
        if (useGitignore && ignored(lays, rel, false)) continue;
        files.push([abs, rel]);
      } else {
        out.push({ step: () => skipFile(report, { path: rel, reason: "special-file" }) });
      }
    }
    // No stat here: the reader opens each file once and asks the open descriptor for its type and
    // size only when the first read comes back empty or full (see file-read.ts).
    for (const [abs, rel] of files) if (included(rel)) out.push({ abs, rel });
    return out;
  }

  /**
   * A folder's tree, in the order it is reported: each folder is listed when
   * the walk reaches it, and one generator walks a stack of the listed
   * folders (a generator per folder joined by `yield*` resumed every level
   * above an item for each item, and was the largest function V8's optimizing
   * compiler compiled in a scan, twice).
   */
  function* walk(absDir: string, layers: IgnoreLayer[]): Generator<WalkItem> {
    const stack: Array<{ items: Array<WalkItem | Subfolder>; next: number }> = [{ items: listFolder(absDir, layers), next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next === top.items.length) {
        stack.pop();
        continue;
      }
      const item = top.items[top.next++]!;
      if ("dir" in item) stack.push({ items: listFolder(item.dir, item.layers), next: 0 });
      else yield item;
    }
  }

  /** Everything the scan meets, target by target. Throws an InputError for a target that is not there. */
  function* walkTargets(): Generator<WalkItem> {
    for (const p of paths.length > 0 ? paths : ["."]) {
      const abs = resolve(root, p);
      let st;
      try {
        st = lstatSync(abs);
      } catch (e) {
        throw new InputError(`${p}: cannot read (${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : (e as NodeJS.ErrnoException).code})`);
      }
      if (st.isSymbolicLink()) {
        yield {
          step: () => {
            countSkip(stats, "symlink");
            report.warnings.push(`${relOf(abs)}: is a symbolic link; not followed`);
          },
        };
      } else if (st.isDirectory()) {
        // Ignore files of the folders between the root and this path still apply.
        const layers: IgnoreLayer[] = [];
        if (useGitignore) {
          const rel = toSlash(relative(root, abs));
          const parts = rel && !rel.startsWith("..") ? rel.split("/") : [];
          let cur = root;
          let curRel = "";
          for (let i = 0; i <= parts.length - 1; i++) {
            const l = readIgnore(cur, curRel);
            if (l) layers.push(reincluding(l, rel));
            cur = join(cur, parts[i]!);
            curRel = curRel ? `${curRel}/${parts[i]}` : parts[i]!;
          }
        }
        yield* walk(abs, layers);
      } else if (st.isFile()) {
        const rel = relOf(abs);
        if (included(rel)) yield { abs, rel, size: st.size };
      } else {
        yield { step: () => skipFile(report, { path: relOf(abs), reason: "special-file", detail: "not a regular file; skipped" }) };
      }
    }
  }

  // The walk runs ahead of the reads until it has found enough files for the
  // workers (or the tree ends), so that they start before the first file is
  // read and load while this thread scans.
  const items = walkTargets();
  const ahead: WalkItem[] = [];
  let walked = false;
  const pull = (): void => {
    const next = items.next();
    if (next.done) walked = true;
    else {
      if (!("step" in next.value)) found++;
      ahead.push(next.value);
    }
  };
  try {
    // No look-ahead when the file count alone never starts the workers.
    const lookahead = Number.isFinite(threshold.files) ? Math.min(threshold.files, LOOKAHEAD) : 0;
    while (!walked && found < lookahead) pull();
    for (let i = 0; ; i++) {
      if (i === ahead.length) {
        ahead.length = i = 0;
        pull();
        if (walked) break;
      }
      const item = ahead[i]!;
      if ("step" in item) inOrder(item.step);
      else await scanOne(item.abs, item.rel, item.size);
    }
    await answered(1);
  } finally {
    // Not awaited: the workers' isolates are torn down on their own threads while this one finishes the report.
    void pool?.close().catch(() => undefined);
  }
  stats.durationMs = Date.now() - started;
  return report;
}

/** Scans a buffer read from standard input, reported under `name`. */
export async function scanBuffer(scanner: Scanner, buf: Buffer, name = "-"): Promise<ScanReport> {
  const started = Date.now();
  const report = emptyReport();
  const decoded = decodeBytes(buf);
  const byPath = scanPlace(scanner.ruleSet, { path: name }, scanner.engineOptions);
  if (decoded.kind === "binary") skipFile(report, { path: name, reason: "binary" });
  else {
    const res = await scanGuarded(scanner, { text: decoded.text, path: name });
    if (res.stopped) {
      skipFile(report, { path: name, reason: "timeout", detail: stoppedDetail(scanner.timeBudgetMs) });
    } else if (res.timedOut) {
      skipFile(report, { path: name, reason: "timeout", detail: "time budget ran out (--timeout-per-file); findings up to that point are reported, the rest is not scanned" });
    }
    report.findings = res.findings;
    report.suppressed = res.suppressed;
    report.stats.files = 1;
    report.stats.bytes = buf.length;
  }
  // Named on standard input (--stdin-name), a path-only rule flags it too.
  if (name !== "-") {
    append(report.findings, byPath.findings);
    append(report.suppressed, byPath.suppressed);
  }
  report.stats.durationMs = Date.now() - started;
  return report;
}
