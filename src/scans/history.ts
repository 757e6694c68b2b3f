/**
 * The full-history scan (I/O edge). Every commit reachable from the chosen
 * refs is walked once with `git log --raw` (tree changes only); every blob id
 * is scanned at most once, however many commits share it, through one
 * long-running `git cat-file --batch`; each finding is attributed to the
 * oldest commit that introduced its blob. Commit messages, annotated tag
 * messages and notes are scanned too.
 *
 * Output: a {@link ScanReport} with one finding per (secret, path) at its
 * earliest commit, plus every occurrence of every secret and the blob ids
 * holding it, for the inventory.
 *
 * @example
 *   const res = await historyScan({ repo: "/repo", scanner });
 *   for (const f of res.report.findings) console.log(f.commit, f.file, f.ruleId);
 */
import { statSync } from "node:fs";
import { GitError, UsageError } from "../errors.js";
import type { EngineResult } from "../engine/scan.js";
import type { CommitInfo, Finding, FindingSource, Fragment, SuppressedFinding } from "../engine/types.js";
import type { Occurrence } from "../inventory/types.js";
import { countSkip, emptyReport, skipFile, type ScanReport } from "../core/report.js";
import { dependsOnCommit, placeKey } from "../engine/place.js";
import { stoppedDetail, watchdogGrace, type Scanner } from "../core/scanner.js";
import { checkGitDate } from "../git/dates.js";
import { BlobCache, cacheKey, placeTag } from "./blob-cache.js";
import { BlobReader } from "../git/blobs.js";
import { annotatedTags, hasCommits, missingObjects, notes, parseCommitObject, pushedCommits, shallowBoundaryDate, stashCommits } from "../git/history-refs.js";
import { streamCommits, type CommitRecord } from "../git/log-stream.js";
import { isNullOid } from "../git/oid.js";
import { repoInfo, type RepoInfo } from "../git/repo.js";
import { gitText } from "../git/run.js";
import { scanBlob, type BlobJob, type BlobOutcome } from "../sources/git-blob.js";
import { createScanPool, defaultWorkers } from "../core/scan-pool.js";
import { maxFileSizeOf } from "../util/size-limit.js";

/** Which commits to walk. */
export interface HistorySelection {
  /** Only commits reachable from this branch (or any revision). */
  branch?: string;
  /** `A..B` (or `A...B`). */
  range?: string;
  /** Only commits newer than this date (anything `git log --since` takes). */
  since?: string;
  /** Add stash entries (source "stash"). */
  stash?: boolean;
}

/** Progress counters, reported a few times a second. */
export interface HistoryProgress {
  commits: number;
  totalCommits?: number;
  blobs: number;
  bytes: number;
  elapsedMs: number;
}

/** Options for {@link historyScan}. */
export interface HistoryScanOptions extends HistorySelection {
  /** Repository folder (work tree or bare git dir). */
  repo: string;
  scanner: Scanner;
  /** Folder of the blob cache (see blob-cache.ts). */
  cacheDir?: string;
  /** Skip blobs larger than this many bytes (default: the config's, else 50 MB like `scan`). */
  maxFileSize?: number;
  /** Called with counters while scanning. */
  onProgress?: (p: HistoryProgress) => void;
  /**
   * Scans one blob off the main thread (a worker pool); default scans in
   * this thread with `scanner`.
   */
  scanBlobAsync?: (job: BlobJob) => Promise<BlobOutcome>;
  /** Worker threads scanning blobs (default 2; 0 scans in this thread). */
  workers?: number;
}

/** Counters of one history scan. */
export interface HistoryStats {
  commits: number;
  /** Distinct blob ids met. */
  blobs: number;
  /** Blobs read and scanned this run. */
  blobsScanned: number;
  /** Blobs skipped because the cache knew them clean. */
  cacheHits: number;
  /** Blob ids the cache already knew (clean or with findings) when the scan started. */
  cacheKnown: number;
  /** Bytes of blob content read this run. */
  bytes: number;
  missing: number;
  durationMs: number;
}

/** A secret's places, for the inventory. */
export interface SecretPlaces {
  occurrences: Occurrence[];
  /** Blob ids whose content holds it (file sources only). */
  blobs: Set<string>;
}

/** Result of {@link historyScan}. */
export interface HistoryResult {
  report: ScanReport;
  /** Fingerprint → where it stands (every occurrence, and the blob ids holding it). */
  places: Map<string, SecretPlaces>;
  stats: HistoryStats;
  info: RepoInfo;
  /** Commits reachable from a remote-tracking ref. */
  pushed: Set<string>;
}

/** One place a blob was introduced: a commit (in walk order) and a path. */
interface Intro {
  seq: number;
  commit: CommitInfo;
  path: string;
  source: FindingSource;
  /** The path the same blob left in the same commit: a plain rename. */
  renamedFrom?: string;
}

/** Back-pressure: blobs requested or being scanned, and their bytes, at most this many. */
const MAX_IN_FLIGHT = 512;
const MAX_BYTES_IN_FLIGHT = 64 << 20;
const SHA_ARG = /^[^-]/;

/** Validates a user revision so git can never read it as an option. */
function revArg(flag: string, value: string): string {
  if (!SHA_ARG.test(value) || value.includes("\0")) throw new UsageError(`${flag} "${value}" is not a revision`);
  return value;
}

/** The `git log` revision arguments for a selection. */
export async function revisionArgs(cwd: string, sel: HistorySelection, stashTips: string[]): Promise<string[]> {
  const args: string[] = [];
  if (sel.since !== undefined) args.push(`--since=${checkGitDate("--since", sel.since)}`);
  const revs: string[] = [];
  if (sel.branch !== undefined) {
    const b = revArg("--branch", sel.branch);
    const ok = await gitText(["rev-parse", "--verify", "-q", "--end-of-options", `${b}^{commit}`], { cwd, okCodes: [0, 1, 128] });
    if (!ok.trim()) throw new UsageError(`--branch ${b}: no such branch or revision`);
    revs.push(b);
  }
  if (sel.range !== undefined) {
    const r = revArg("--range", sel.range);
    const ends = r.split(/\.\.\.?/);
    for (const e of ends.filter(Boolean)) {
      const ok = await gitText(["rev-parse", "--verify", "-q", "--end-of-options", `${e}^{commit}`], { cwd, okCodes: [0, 1, 128] });
      if (!ok.trim()) throw new UsageError(`--range ${r}: "${e}" is not a commit`);
    }
    revs.push(r);
  }
  if (revs.length === 0) args.push("--exclude=refs/stash", "--exclude=refs/notes/*", "--all");
  if (sel.stash) revs.push(...stashTips);
  if (revs.length) args.push("--end-of-options", ...revs);
  return args;
}

/** Throws a one-line GitError when `dir` is not a directory (git would fail obscurely). */
export function assertDirectory(dir: string): void {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new GitError(`${dir}: no such directory`);
}

/** Key grouping a secret's findings into one reported finding. */
const findingPlace = (f: Finding, file = f.file): string => `${f.source}\0${f.fingerprint}\0${file}`;

/** Runs the history scan. */
export async function historyScan(opts: HistoryScanOptions): Promise<HistoryResult> {
  const started = Date.now();
  const cwd = opts.repo;
  assertDirectory(cwd);
  const info = await repoInfo(cwd);
  const report = emptyReport();
  const stats: HistoryStats = { commits: 0, blobs: 0, blobsScanned: 0, cacheHits: 0, cacheKnown: 0, bytes: 0, missing: 0, durationMs: 0 };
  const places = new Map<string, SecretPlaces>();
  const result: HistoryResult = { report, places, stats, info, pushed: new Set() };
  if (!(await hasCommits(cwd))) {
    report.warnings.push("no commits");
    report.stats.commits = 0;
    return result;
  }
  const scanner = opts.scanner;
  // Independent repository facts, asked for at once.
  const [pushed, stash, shallowDate] = await Promise.all([
    pushedCommits(cwd),
    opts.stash ? stashCommits(cwd) : { tips: [], only: new Set<string>() },
    info.shallow ? shallowBoundaryDate(cwd, info.gitDir) : undefined,
  ]);
  result.pushed = pushed;
  const revs = await revisionArgs(cwd, opts, stash.tips);
  if (info.shallow) report.warnings.push(`shallow clone: history before ${shallowDate ?? "the shallow boundary"} not scanned`);
  const absent = await missingObjects(cwd, revs);
  const cache = opts.cacheDir !== undefined ? new BlobCache(opts.cacheDir, cacheKey(scanner.config, scanner.salt)) : undefined;
  stats.cacheKnown = cache?.size ?? 0;
  const maxSize = maxFileSizeOf(scanner.config.scan, opts.maxFileSize);
  // Custom regexes under a budget: the pool is also the watchdog (one blob per worker, a late one is stopped).
  const budget = scanner.timeBudgetMs;
  const watchdogMs = scanner.guarded && budget !== undefined ? budget + watchdogGrace(budget) : undefined;
  const workers = Math.max(opts.workers ?? defaultWorkers(), watchdogMs !== undefined ? 1 : 0);
  const pool = opts.scanBlobAsync
    ? undefined
    : createScanPool(scanner, workers, maxSize, { ...(budget !== undefined ? { timeBudgetMs: budget } : {}), ...(watchdogMs !== undefined ? { watchdogMs } : {}) });
  const scanAsync = opts.scanBlobAsync ?? (pool ? pool.scan : (job: BlobJob) => Promise.resolve(scanBlob(scanner.scanFragment, job, maxSize)));
  /** Scans a message or note: through the watchdog pool when there is one, else here. */
  const scanText = async (fragment: Fragment): Promise<EngineResult> => {
    if (!pool || watchdogMs === undefined) return scanner.scanFragment(fragment);
    const out = await pool.scanFragment(fragment);
    return out.kind === "scanned" ? out.result : { findings: [], suppressed: [], timedOut: true, stopped: true };
  };
  /** Records a message or note whose budget ran out, under the commit it belongs to. */
  const timedOut = (commit: string, what: string, res: { stopped?: boolean }): void => {
    const detail = res.stopped ? stoppedDetail(budget) : "time budget ran out; findings up to that point are reported";
    skipFile(report, { path: `(${what})`, reason: "timeout", commit, detail });
  };
  let bytesInFlight = 0;
  /** The first error of a blob job; ends the walk. */
  let failure: Error | undefined;

  let totalCommits: number | undefined;
  if (opts.onProgress) {
    const n = await gitText(["rev-list", "--count", ...revs.filter((a) => a !== "--end-of-options"), "--"], { cwd, okCodes: [0, 128] }).catch(() => "");
    if (/^\d+/.test(n)) totalCommits = Number(n);
  }
  let lastProgress = 0;
  const progress = (force = false): void => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < 200) return;
    lastProgress = now;
    opts.onProgress({ commits: stats.commits, ...(totalCommits !== undefined ? { totalCommits } : {}), blobs: stats.blobsScanned, bytes: stats.bytes, elapsedMs: now - started });
  };

  // Blob bookkeeping. A blob is judged per place key (engine/place.ts): the same content
  // under a path that another allowlist, path rule or test-file tag applies to is scanned
  // again, so a secret first committed under an allowlisted path is still found where it
  // was copied. `seen` holds every (blob, place key) met; `pending` the ones being
  // scanned (with every distinct path they were introduced under); `hits` the ones with findings.
  const seen = new Set<string>();
  const seenOids = new Set<string>();
  const skippedOids = new Set<string>();
  const seenGitlinks = new Set<string>(); // submodule paths
  const seenLinks = new Set<string>(); // symlink targets (their blob may equal a file's blob)
  const pending = new Map<string, Intro[]>();
  const hits = new Map<string, { oid: string; intros: Intro[]; findings: Finding[] }>();
  const rawFindings: Array<{ seq: number; finding: Finding; blob?: string; renamedFrom?: string }> = [];
  const suppressed = new Map<string, SuppressedFinding>();
  const inFlight = new Set<Promise<void>>();
  const reader = new BlobReader(cwd);
  let seq = 0;

  // Place keys, interned: most histories have one or two.
  const rs = scanner.ruleSet;
  const byCommit = dependsOnCommit(rs);
  const keyOfPath = new Map<string, number>();
  const keyIds = new Map<string, number>();
  const keyTags: string[] = [];
  const placeOf = (path: string, commit: string): number => {
    let id = byCommit ? undefined : keyOfPath.get(path);
    if (id !== undefined) return id;
    const k = placeKey(rs, path, commit);
    id = keyIds.get(k);
    if (id === undefined) {
      id = keyTags.length;
      keyIds.set(k, id);
      keyTags.push(placeTag(k));
    }
    if (!byCommit) keyOfPath.set(path, id);
    return id;
  };

  const seenIn = (r: { findings: Finding[]; suppressed: SuppressedFinding[] }): void => {
    const list = (report.alsoRedact ??= []);
    for (const f of r.findings) list.push(f.secret);
    for (const s of r.suppressed) list.push(s.finding.secret);
  };

  const keepSuppressed = (list: SuppressedFinding[]): void => {
    for (const s of list) {
      const k = `${findingPlace(s.finding)}\0${s.reason}`;
      if (!suppressed.has(k)) suppressed.set(k, s);
    }
  };

  const addIntro = (list: Intro[], intro: Intro): void => {
    if (!list.some((i) => i.path === intro.path)) list.push(intro);
  };

  /** A blob not (fully) scanned: named once, at the first place it was met. */
  const noteSkip = (oid: string, intro: Intro, reason: string, detail?: string): void => {
    if (skippedOids.has(oid)) return;
    skippedOids.add(oid);
    if (reason === "lfs-pointer") return void countSkip(report.stats, reason);
    skipFile(report, { path: intro.path, reason, commit: intro.commit.commit, ...(detail !== undefined ? { detail } : {}) });
  };
  const noteMissing = (oid: string, intro: Intro): void => {
    if (!skippedOids.has(oid)) stats.missing++;
    noteSkip(oid, intro, "missing-blob");
  };

  const onBlob = (oid: string, intro: Intro): void => {
    const place = placeOf(intro.path, intro.commit.commit);
    const key = `${oid}:${place}`;
    if (seen.has(key)) {
      const p = pending.get(key) ?? hits.get(key)?.intros;
      if (p) addIntro(p, intro);
      return;
    }
    seen.add(key);
    if (!seenOids.has(oid)) {
      seenOids.add(oid);
      stats.blobs++;
    }
    const cacheId = oid + keyTags[place]!;
    if (cache?.clean.has(cacheId)) {
      stats.cacheHits++;
      return;
    }
    const cachedSkip = cache?.skipped.get(cacheId);
    if (cachedSkip !== undefined) {
      stats.cacheHits++;
      noteSkip(oid, intro, cachedSkip, skipDetail(cachedSkip, maxSize));
      return;
    }
    if (absent.has(oid)) return noteMissing(oid, intro);
    const intros = [intro];
    pending.set(key, intros);
    const job = reader.read(oid).then(async (ans) => {
      if (ans.kind !== "blob") {
        noteMissing(oid, intro);
        pending.delete(key);
        return;
      }
      const size = ans.data.length;
      stats.bytes += size;
      stats.blobsScanned++;
      bytesInFlight += size;
      const first = intros[0]!;
      // Only the sha crosses to a worker (commit allowlists); findings get the full commit in rebind().
      const out = await scanAsync({ path: first.path, data: ans.data, commit: { commit: first.commit.commit }, source: first.source }).finally(() => {
        bytesInFlight -= size;
      });
      pending.delete(key);
      if (out.kind === "timeout") {
        // Never cached, clean or skipped: a later run (another budget, a fixed rule) scans it again.
        noteSkip(oid, first, "timeout", stoppedDetail(budget));
        return;
      }
      if (out.kind !== "scanned") {
        noteSkip(oid, first, out.kind, skipDetail(out.kind, maxSize));
        cache?.skipped.set(cacheId, out.kind);
        return;
      }
      report.stats.files++;
      report.stats.bytes += out.bytes;
      keepSuppressed(out.result.suppressed.map((x) => ({ ...x, finding: rebind(x.finding, first) })));
      if (out.result.timedOut) noteSkip(oid, first, "timeout", skipDetail("timeout", maxSize));
      if (out.result.findings.length === 0) {
        // A blob the time budget cut short is not known clean: the next run scans it again.
        if (!out.result.timedOut) cache?.clean.add(cacheId);
        return;
      }
      cache?.hits.add(cacheId);
      cache?.clean.delete(cacheId);
      hits.set(key, { oid, intros, findings: out.result.findings });
    });
    track(job);
  };

  /** Keeps a job in flight (back-pressure) until it settles; its first error ends the walk. */
  function track(job: Promise<void>): void {
    const tracked = job.catch((e: unknown) => void (failure ??= e as Error)).finally(() => {
      inFlight.delete(tracked);
      wake?.();
    });
    inFlight.add(tracked);
  }

  const onCommit = (c: CommitRecord): void | Promise<void> => {
    if (failure) throw failure;
    stats.commits++;
    const s = ++seq;
    const commit: CommitInfo = { commit: c.sha, author: c.author, email: c.email, date: c.date, message: c.message.replace(/\n+$/, ""), pushed: pushed.has(c.sha) };
    const source: FindingSource = stash.only.has(c.sha) ? "stash" : "file";
    // With --no-renames a rename is the blob deleted at one path and added at another.
    let gone: Map<string, string> | undefined;
    for (const ch of c.changes) if (isNullOid(ch.oid) && !isNullOid(ch.oldOid)) (gone ??= new Map()).set(ch.oldOid, ch.path);
    if (c.message) {
      const keep = (r: EngineResult): void => {
        if (r.timedOut) timedOut(c.sha, "commit message", r);
        for (const f of r.findings) rawFindings.push({ seq: s, finding: f });
        keepSuppressed(r.suppressed);
      };
      const frag: Fragment = { text: c.message, path: "", source: "commit-message", commit };
      if (watchdogMs === undefined) keep(scanner.scanFragment(frag));
      else track(scanText(frag).then(keep));
    }
    for (const ch of c.changes) {
      if (isNullOid(ch.oid)) continue; // deleted
      if (ch.mode === "160000") {
        if (!seenGitlinks.has(ch.path)) {
          seenGitlinks.add(ch.path);
          countSkip(report.stats, "submodule");
        }
        continue;
      }
      if (ch.mode === "120000") {
        if (!seenLinks.has(ch.oid)) {
          seenLinks.add(ch.oid);
          countSkip(report.stats, "symlink");
        }
        continue;
      }
      const from = gone?.get(ch.oid);
      onBlob(ch.oid, { seq: s, commit, path: ch.path, source, ...(from !== undefined ? { renamedFrom: from } : {}) });
    }
    progress();
    if (inFlight.size >= MAX_IN_FLIGHT || bytesInFlight > MAX_BYTES_IN_FLIGHT) return backOff();
  };
  // One waiter woken by each finished blob (Promise.race over the whole set would cost O(n) per wake).
  let wake: (() => void) | undefined;
  const backOff = async (): Promise<void> => {
    while (inFlight.size >= MAX_IN_FLIGHT / 2 || bytesInFlight > MAX_BYTES_IN_FLIGHT / 2) {
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  };

  try {
    await streamCommits(cwd, revs, onCommit);
    while (inFlight.size) await Promise.all([...inFlight]);
    if (failure) throw failure;

    // Annotated tag messages: attributed to the tag (tagger, date), commit = tagged object.
    if (opts.branch === undefined && opts.range === undefined) {
      for (const t of await annotatedTags(cwd)) {
        const commit: CommitInfo = { commit: t.target, author: t.tagger, email: t.email, date: t.date, message: t.message.replace(/\n+$/, ""), pushed: pushed.has(t.target) };
        const r = await scanText({ text: t.message, path: "", source: "tag-message", commit });
        if (r.timedOut) timedOut(t.target, "tag message", r);
        for (const f of r.findings) rawFindings.push({ seq: ++seq, finding: f });
        keepSuppressed(r.suppressed);
      }
      // Notes: attributed to the annotated commit.
      for (const n of await notes(cwd)) {
        const blob = await reader.read(n.blob);
        if (blob.kind !== "blob") {
          stats.missing++;
          continue;
        }
        const target = await reader.read(n.object);
        const meta = target.kind !== "blob" || target.type !== "commit" ? undefined : parseCommitObject(target.data.toString("utf8"));
        const commit: CommitInfo = { commit: n.object, ...(meta ?? {}), pushed: pushed.has(n.object) };
        // The same message as the commit's own findings carry (trailing newlines dropped).
        if (commit.message !== undefined) commit.message = commit.message.replace(/\n+$/, "");
        // The note carries its commit's message, which --since may have left unscanned: its secrets must still be redacted.
        if (meta?.message) seenIn(await scanText({ text: meta.message, path: "", source: "commit-message", commit }));
        const job: BlobJob = { path: "", data: blob.data, commit, source: "note" };
        const out = pool && watchdogMs !== undefined ? await pool.scan(job) : scanBlob(scanner.scanFragment, job, maxSize);
        if (out.kind === "timeout") timedOut(n.object, "note", { stopped: true });
        if (out.kind !== "scanned") continue;
        if (out.result.timedOut) timedOut(n.object, "note", out.result);
        for (const f of out.result.findings) rawFindings.push({ seq: ++seq, finding: f });
        keepSuppressed(out.result.suppressed);
      }
    }
  } finally {
    await Promise.all([reader.close(), pool?.close()]);
  }

  // Expand blob findings to every distinct path their blob was introduced under.
  for (const h of hits.values()) {
    for (const intro of h.intros) {
      for (const f of h.findings) rawFindings.push({ seq: intro.seq, finding: rebind(f, intro), blob: h.oid, ...(intro.renamedFrom !== undefined ? { renamedFrom: intro.renamedFrom } : {}) });
    }
  }
  rawFindings.sort((a, b) => a.seq - b.seq);
  const reported = new Map<string, Finding>();
  // Every (secret, path) met so far: a rename whose old path held the secret is an occurrence, not a new finding.
  const met = new Set<string>();
  for (const { finding: f, blob, renamedFrom } of rawFindings) {
    const k = findingPlace(f);
    const moved = renamedFrom !== undefined && met.has(findingPlace(f, renamedFrom));
    met.add(k);
    if (!moved && !reported.has(k)) reported.set(k, f);
    let p = places.get(f.fingerprint);
    if (!p) places.set(f.fingerprint, (p = { occurrences: [], blobs: new Set() }));
    p.occurrences.push({ commit: f.commit ?? "", file: f.file, line: f.line, ruleId: f.ruleId, date: f.date ?? "" });
    if (blob) p.blobs.add(blob);
  }
  report.findings = [...reported.values()];
  report.suppressed = [...suppressed.values()];
  report.stats.commits = stats.commits;
  if (stats.missing) report.warnings.push(`${stats.missing} blob(s) missing or unreadable (a partial clone, or a corrupt object: try 'git fsck'): not scanned`);
  if (stats.commits === 0 && report.warnings.length === 0) report.warnings.push("no commits in the selected range");
  cache?.save();
  stats.durationMs = Date.now() - started;
  report.stats.durationMs = stats.durationMs;
  progress(true);
  return result;
}

/** The warning detail of a skipped blob (none for binary and missing blobs: they are only named). */
function skipDetail(reason: string, maxSize: number): string | undefined {
  if (reason === "too-large") return `skipped, larger than ${maxSize} bytes (max file size)`;
  if (reason === "timeout") return "time budget ran out; findings up to that point are reported";
  return undefined;
}

/** A blob's finding moved to another introduction (commit and path). */
function rebind(f: Finding, intro: Intro): Finding {
  const c = intro.commit;
  const out: Finding = { ...f, file: intro.path, source: intro.source, location: `${c.commit}:${intro.path}:${f.ruleId}:${f.line}`, commit: c.commit };
  for (const k of ["author", "email", "date", "message", "pushed"] as const) {
    if (c[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = c[k];
  }
  return out;
}
