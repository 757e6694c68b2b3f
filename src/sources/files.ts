/**
 * The file-tree source (I/O edge): walks paths, honours `.gitignore` files
 * (the `ignore` package, nested files applied relative to their folder) and
 * include/exclude globs, never follows symlinks, skips binary and oversized
 * files with a count, and hands each text file to a scanner.
 */
import { constants as fsc } from "node:fs";
import { lstat, open, readdir, readFile } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import { globMatcher } from "../engine/glob.js";
import { countSkip, emptyReport, skipFile, type ScanReport } from "../core/report.js";
import { DEFAULT_TIME_BUDGET_MS, scanGuarded, stoppedDetail, type Scanner } from "../core/scanner.js";
import { InputError } from "../errors.js";
import { describeError } from "../util/scrub.js";
import { archiveKind, expandArchive, type ArchiveKind, type ArchiveLimits } from "./archive.js";
import { decodeBytes, looksBinary, sniffUtf16 } from "./text.js";
import { maxFileSizeOf } from "../util/size-limit.js";

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
}

export { DEFAULT_MAX_FILE_SIZE } from "../util/size-limit.js";

/** Default time budget per file for `leakguard scan` and scanPaths, ms (the one every command uses). */
export const DEFAULT_FILE_TIME_BUDGET_MS = DEFAULT_TIME_BUDGET_MS;

/** What reading one path gave. */
type ReadResult =
  | { kind: "text"; bytes: Buffer }
  | { kind: "archive"; archive: ArchiveKind; bytes: Buffer }
  | { kind: "binary" }
  | { kind: "special" }
  | { kind: "too-large"; size: number };

// Non-blocking and no-follow: a FIFO swapped in after the listing must not block the open,
// and a symlink swapped in must not be followed. Absent flags (Windows) are 0.
const OPEN_FLAGS = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOFOLLOW ?? 0);

/** Errors that mean "this file cannot be read", as opposed to a bug. */
function isReadError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}

/**
 * Reads a regular file of at most `max` bytes. Checks the type on the open
 * handle, and reads the first bytes first: a binary file is rejected without
 * reading it all.
 */
async function readRegularFile(abs: string, max: number): Promise<ReadResult> {
  const fh = await open(abs, OPEN_FLAGS);
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { kind: "special" };
    if (st.size > max) return { kind: "too-large", size: st.size };
    const head = Buffer.alloc(Math.min(st.size, SNIFF_HEAD));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const first = head.subarray(0, bytesRead);
    const archive = archiveKind(abs, first);
    if (archive === undefined && looksBinary(first) && sniffUtf16(first) === undefined) return { kind: "binary" };
    let buf = Buffer.alloc(Math.max(st.size, bytesRead));
    first.copy(buf, 0);
    let got = bytesRead;
    while (got < st.size) {
      const { bytesRead: n } = await fh.read(buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    buf = buf.subarray(0, got);
    return archive !== undefined ? { kind: "archive", archive, bytes: buf } : { kind: "text", bytes: buf };
  } finally {
    await fh.close();
  }
}

const SNIFF_HEAD = 8000;

const toSlash = (p: string): string => (sep === "/" ? p : p.split(sep).join("/"));

interface IgnoreLayer {
  dir: string; // relative, "/"-separated, "" for root
  ig: Ignore;
  text: string;
}

async function readIgnore(absDir: string, relDir: string): Promise<IgnoreLayer | undefined> {
  try {
    const text = await readFile(join(absDir, ".gitignore"), "utf8");
    return { dir: relDir, ig: ignore().add(text), text };
  } catch {
    return undefined;
  }
}

/** A path as a literal gitignore pattern (glob characters and a leading `!`/`#` escaped). */
const literalPattern = (p: string): string => p.replace(/[\\*?[\]!#\s]/g, (c) => `\\${c}`);

/**
 * An ignore layer above an explicitly named folder, re-including that folder
 * and the folders between: as in ripgrep, a path the user names is scanned
 * even when `.gitignore` excludes it (`leakguard scan node_modules`); the
 * rules still apply to what lies below it.
 */
function reincluding(layer: IgnoreLayer, targetRel: string): IgnoreLayer {
  const sub = layer.dir === "" ? targetRel : targetRel.slice(layer.dir.length + 1);
  if (!sub || !layer.ig.ignores(sub + "/")) return layer;
  const parts = sub.split("/");
  const negations = parts.map((_, i) => `!/${literalPattern(parts.slice(0, i + 1).join("/"))}/`);
  return { ...layer, ig: ignore().add(layer.text).add(negations.join("\n")) };
}

function ignored(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const l of layers) {
    const sub = l.dir === "" ? rel : rel.slice(l.dir.length + 1);
    if (sub && l.ig.ignores(isDir ? sub + "/" : sub)) return true;
  }
  return false;
}

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

  /** Decodes and scans one text (a file or an archive entry); counts what it skips. */
  const scanBytes = async (rel: string, bytes: Uint8Array): Promise<void> => {
    const decoded = decodeBytes(bytes);
    if (decoded.kind === "binary") return skipFile(report, { path: rel, reason: "binary" });
    if (decoded.kind === "lfs-pointer") return void countSkip(stats, "lfs-pointer");
    const res = await scanGuarded(scanner, { text: decoded.text, path: rel });
    if (res.stopped) return skipFile(report, { path: rel, reason: "timeout", detail: stoppedDetail(scanner.timeBudgetMs) });
    if (res.timedOut) {
      skipFile(report, { path: rel, reason: "timeout", detail: "time budget ran out (--timeout-per-file); findings up to that point are reported, the rest of the file is not scanned" });
    }
    stats.files++;
    stats.bytes += bytes.length;
    report.findings.push(...res.findings);
    report.suppressed.push(...res.suppressed);
  };

  const scanOne = async (abs: string, rel: string, size: number): Promise<void> => {
    if (!isIncluded(rel) || isExcluded(rel)) return;
    if (size > max) return skipFile(report, { path: rel, reason: "too-large", detail: `skipped, ${size} bytes is over the ${max}-byte limit (--max-file-size)` });
    // Any surprise while reading or scanning one file costs that file only, never silently.
    try {
      const got = await readRegularFile(abs, max);
      if (got.kind === "special") return skipFile(report, { path: rel, reason: "special-file", detail: "not a regular file; skipped" });
      if (got.kind === "too-large") {
        return skipFile(report, { path: rel, reason: "too-large", detail: `skipped, ${got.size} bytes is over the ${max}-byte limit (--max-file-size)` });
      }
      if (got.kind === "binary") return skipFile(report, { path: rel, reason: "binary" });
      if (got.kind === "archive") {
        if (!archiveLimits) return void countSkip(stats, "archive");
        const startBytes = stats.bytes;
        // Entries are collected, then scanned: a scan may wait on the watchdog thread.
        const entries: Array<[string, Uint8Array]> = [];
        expandArchive(got.archive, rel, got.bytes, {
          file: (inner, data) => void entries.push([inner, data]),
          skip: (reason, inner, why) => {
            const detail = why ?? (reason !== "binary" ? `skipped (${reason})` : undefined);
            skipFile(report, { path: inner, reason, ...(detail !== undefined ? { detail } : {}) });
          },
        }, archiveLimits);
        for (const [inner, data] of entries) await scanBytes(inner, data);
        options.onFile?.(rel, stats.bytes - startBytes);
        return;
      }
      await scanBytes(rel, got.bytes);
      options.onFile?.(rel, got.bytes.length);
    } catch (e) {
      if (isReadError(e)) skipFile(report, { path: rel, reason: "unreadable", detail: `cannot read (${(e as NodeJS.ErrnoException).code})` });
      else skipFile(report, { path: rel, reason: "error", detail: `skipped after an internal error (${describeError(e)}); please report it` });
    }
  };

  const walk = async (absDir: string, layers: IgnoreLayer[]): Promise<void> => {
    const relDir = toSlash(relative(root, absDir));
    let entries;
    try {
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (e) {
      return skipFile(report, { path: relDir || ".", reason: "unreadable", detail: `cannot list folder (${(e as NodeJS.ErrnoException).code ?? "error"})` });
    }
    const here = useGitignore ? await readIgnore(absDir, relDir) : undefined;
    const lays = here ? [...layers, here] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: Array<[string, string]> = [];
    for (const ent of entries) {
      const abs = join(absDir, ent.name);
      const rel = relDir === "" ? ent.name : `${relDir}/${ent.name}`;
      if (ent.isSymbolicLink()) {
        countSkip(stats, "symlink");
        continue;
      }
      if (ent.isDirectory()) {
        if (ent.name === ".git") continue;
        if (useGitignore && ignored(lays, rel, true)) continue;
        if (isExcluded(rel) || isExcluded(rel + "/")) continue;
        await walk(abs, lays);
      } else if (ent.isFile()) {
        if (useGitignore && ignored(lays, rel, false)) continue;
        files.push([abs, rel]);
      } else {
        skipFile(report, { path: rel, reason: "special-file" });
      }
    }
    // Stat and read a few files at once: the disk works while the engine scans.
    const LIMIT = 8;
    for (let i = 0; i < files.length; i += LIMIT) {
      const batch = files.slice(i, i + LIMIT);
      const sizes = await Promise.all(batch.map(([abs]) => lstat(abs).then((s) => s.size, () => -1)));
      for (let j = 0; j < batch.length; j++) {
        const [abs, rel] = batch[j]!;
        if (sizes[j]! < 0) {
          skipFile(report, { path: rel, reason: "unreadable", detail: "cannot stat" });
          continue;
        }
        await scanOne(abs, rel, sizes[j]!);
      }
    }
  };

  const targets = paths.length > 0 ? paths : ["."];
  for (const p of targets) {
    const abs = resolve(root, p);
    let st;
    try {
      st = await lstat(abs);
    } catch (e) {
      throw new InputError(`${p}: cannot read (${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : (e as NodeJS.ErrnoException).code})`);
    }
    if (st.isSymbolicLink()) {
      countSkip(stats, "symlink");
      report.warnings.push(`${relOf(abs)}: is a symbolic link; not followed`);
    } else if (st.isDirectory()) {
      // Ignore files of the folders between the root and this path still apply.
      const layers: IgnoreLayer[] = [];
      if (useGitignore) {
        const rel = toSlash(relative(root, abs));
        const parts = rel && !rel.startsWith("..") ? rel.split("/") : [];
        let cur = root;
        let curRel = "";
        for (let i = 0; i <= parts.length - 1; i++) {
          const l = await readIgnore(cur, curRel);
          if (l) layers.push(reincluding(l, rel));
          cur = join(cur, parts[i]!);
          curRel = curRel ? `${curRel}/${parts[i]}` : parts[i]!;
        }
      }
      await walk(abs, layers);
    } else if (st.isFile()) {
      await scanOne(abs, relOf(abs), st.size);
    } else {
      skipFile(report, { path: relOf(abs), reason: "special-file", detail: "not a regular file; skipped" });
    }
  }
  stats.durationMs = Date.now() - started;
  return report;
}

/** Scans a buffer read from standard input, reported under `name`. */
export async function scanBuffer(scanner: Scanner, buf: Buffer, name = "-"): Promise<ScanReport> {
  const started = Date.now();
  const report = emptyReport();
  const decoded = decodeBytes(buf);
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
  report.stats.durationMs = Date.now() - started;
  return report;
}
