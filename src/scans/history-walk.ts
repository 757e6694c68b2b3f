/**
 * History scan, stage 2 (walk): every selected commit once, oldest first,
 * with the tree changes it made against its first parent. Each commit's
 * message is scanned; each changed blob goes to the plan stage
 * (history-blobs.ts), with the rename source when the same blob left another
 * path in the same commit. Submodules and symlinks are counted, not read.
 */
import type { EngineResult } from "../engine/scan.js";
import type { CommitInfo, FindingSource, Fragment } from "../engine/types.js";
import { countSkip } from "../core/report.js";
import { streamCommits, type CommitRecord, type TreeChange } from "../git/log-stream.js";
import { isNullOid } from "../git/oid.js";
import { hasPathOnlyRules, scanPlace } from "../engine/path-rules.js";
import { planBlob } from "./history-blobs.js";
import { backOff, keepSuppressed, mustBackOff, noteTimedOut, scanText, track, type HistoryState } from "./history-state.js";
import { hideCutShortMessage, MESSAGE_CUT_SHORT } from "./commits.js";

/** Stage 2: walks the selected commits, planning every blob they introduce. */
export async function walkCommits(st: HistoryState): Promise<void> {
  // The walk's own listing gives the progress total (no second walk to count them).
  const early = st.opts.listed;
  const listed = early && early.revs.length === st.sel.revs.length && early.revs.every((r, i) => r === st.sel.revs[i]) ? early.result : undefined;
  // A range leaves ancestors out (what A has): a merge then counts only what none of its parents had. Not
  // for --since: there a branch older than the date merged today would be reported nowhere (a nightly job
  // would miss it), so the merge takes it, as against its first parent.
  const narrowed = st.opts.range !== undefined;
  await streamCommits(st.cwd, st.sel.revs, (c) => onCommit(st, c), { onListed: (n) => void (st.totalCommits = n), ...(listed ? { listed } : {}), ...(narrowed ? { mergeChanges: "combined" } : {}) });
}

/** One commit: its message, then its changed blobs; pauses git when too much is in flight. */
function onCommit(st: HistoryState, c: CommitRecord): void | Promise<void> {
  if (st.flow.failure) throw st.flow.failure;
  st.result.stats.commits++;
  const seq = ++st.seq;
  const commit: CommitInfo = { commit: c.sha, author: c.author, email: c.email, date: c.date, message: c.message.replace(/\n+$/, ""), pushed: st.sel.pushed.has(c.sha) };
  if (c.message) scanMessage(st, seq, c.message, commit);
  const paused = planChanges(st, seq, commit, c.changes, c.parents.length > 1);
  st.progress();
  if (paused) return paused;
  if (mustBackOff(st.flow)) return backOff(st.flow);
}

/**
 * Messages found clean are remembered (HistoryState.cleanMessages) by place key
 * and text: equal text at an equal place key gives equal findings
 * (engine/place.ts), so a repeated message ("Merge branch 'master'", a version
 * number) is scanned once. Only short ones, and a bounded number (at most
 * ~4 MB): the messages that repeat are short, and git/git's 99 MB of messages,
 * nearly all different, must not stay in memory.
 */
const CLEAN_MESSAGE_MAX_CHARS = 200;
const CLEAN_MESSAGES_MAX = 20_000;

/** A commit message: scanned here, or in the watchdog pool when custom regexes run under a budget. */
function scanMessage(st: HistoryState, seq: number, text: string, commit: CommitInfo): void {
  const clean = st.cleanMessages;
  const key = text.length <= CLEAN_MESSAGE_MAX_CHARS ? `${st.placeKeys.of("", commit.commit)}\0${text}` : undefined;
  if (key !== undefined && clean.has(key)) return;
  const keep = (r: EngineResult): void => {
    if (r.timedOut) {
      noteTimedOut(st, commit.commit, "commit message", r, seq);
      // What the scan did not reach may hold a secret no redaction knows: the commit's findings
      // (its blobs' too: they are bound to this object at the end) carry no message.
      commit.message = MESSAGE_CUT_SHORT;
      hideCutShortMessage(r);
    }
    else if (key !== undefined && r.findings.length === 0 && r.suppressed.length === 0 && clean.size < CLEAN_MESSAGES_MAX) clean.add(key);
    for (const f of r.findings) st.rawFindings.push({ seq, finding: f });
    keepSuppressed(st, r.suppressed, seq);
  };
  const frag: Fragment = { text, path: "", source: "commit-message", commit };
  if (st.watchdogMs === undefined) keep(st.scanner.scanFragment(frag));
  else track(st.flow, scanText(st, frag).then(keep));
}

/**
 * A commit's tree changes: every added or modified file blob goes to the plan
 * stage. A commit that changes many files (an import, a merge's first-parent
 * diff) pauses between blobs when too much is in flight, so it cannot put
 * all its blobs in memory at once: the promise it then returns settles once
 * all are planned.
 */
function planChanges(st: HistoryState, seq: number, commit: CommitInfo, changes: TreeChange[], merge: boolean): Promise<void> | undefined {
  const source: FindingSource = st.sel.stash.only.has(commit.commit) ? "stash" : "file";
  // With --no-renames a rename is the blob deleted at one path and added at another.
  let gone: Map<string, string[]> | undefined;
  // Each blob deleted at some paths: an added path with that blob takes one of them as its rename (two identical
  // files moved together are two renames); an added path left without one is a copy.
  for (const ch of changes) {
    if (!isNullOid(ch.oid) || isNullOid(ch.oldOid)) continue;
    const list = (gone ??= new Map()).get(ch.oldOid);
    if (list) list.push(ch.path);
    else gone.set(ch.oldOid, [ch.path]);
  }
  const plan = (ch: TreeChange): void => planChange(st, seq, commit, source, gone, ch, merge);
  for (let i = 0; i < changes.length; i++) {
    plan(changes[i]!);
    if (i + 1 < changes.length && mustBackOff(st.flow)) return planPaused(st, changes, i + 1, plan);
  }
  return undefined;
}

/** The rest of a large commit's changes, from `from` on, each planned once the jobs in flight allow it. */
async function planPaused(st: HistoryState, changes: TreeChange[], from: number, plan: (ch: TreeChange) => void): Promise<void> {
  for (let i = from; i < changes.length; i++) {
    if (mustBackOff(st.flow)) await backOff(st.flow);
    if (st.flow.failure) throw st.flow.failure;
    plan(changes[i]!);
  }
}

/** One changed path: a deleted file is nothing to scan; a submodule or symlink is counted; a file blob is planned. */
function planChange(st: HistoryState, seq: number, commit: CommitInfo, source: FindingSource, gone: Map<string, string[]> | undefined, ch: TreeChange, merge: boolean): void {
  if (isNullOid(ch.oid)) return; // deleted
  if (ch.mode === "160000") countOnce(st, st.blobs.seenGitlinks, ch.path, "submodule");
  else if (ch.mode === "120000") countOnce(st, st.blobs.seenLinks, ch.oid, "symlink");
  else {
    const from = gone?.get(ch.oid)?.shift();
    const intro = { seq, commit, path: ch.path, source, ...(from !== undefined ? { renamedFrom: from } : {}), ...(merge ? { merge } : {}) };
    if (hasPathOnlyRules(st.scanner.ruleSet)) flagPath(st, seq, commit, source, ch.path, ch.oid);
    // The blob this one replaces at the same path: what it adds over that is what needs scanning.
    planBlob(st, ch.oid, intro, isNullOid(ch.oldOid) ? undefined : ch.oldOid);
  }
}

/**
 * Path-only rules flag a file by its name wherever a commit adds or changes
 * it, whatever its blob holds (binary too) and whether or not the blob was
 * scanned before elsewhere; collect() reports each (rule, path) once, at the
 * first such commit.
 */
function flagPath(st: HistoryState, seq: number, commit: CommitInfo, source: FindingSource, path: string, blob: string): void {
  const r = scanPlace(st.scanner.ruleSet, { path, commit, source }, st.scanner.engineOptions);
  // With its blob, as a blob's findings: the inventory tells from the blobs whether HEAD still holds it.
  for (const f of r.findings) st.rawFindings.push({ seq, finding: f, blob });
  if (r.suppressed.length > 0) keepSuppressed(st, r.suppressed, seq);
}

/** Counts a skipped kind (submodule, symlink) once per distinct `id`. */
function countOnce(st: HistoryState, seen: Set<string>, id: string, reason: string): void {
  if (seen.has(id)) return;
  seen.add(id);
  countSkip(st.report.stats, reason);
}
