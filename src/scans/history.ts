/**
 * The full-history scan (I/O edge). Every commit reachable from the chosen
 * refs is walked once (`git rev-list`, then `git diff-tree --stdin`, see
 * git/log-stream.ts; tree changes only); every blob id
 * is scanned at most once per place key, however many commits share it,
 * through one long-running `git cat-file --batch`; each finding is attributed
 * to the oldest commit that introduced its blob. Commit messages, annotated
 * tag messages and notes are scanned too.
 *
 * A pipeline of named stages over one explicit state (history-state.ts):
 * select commits (history-select.ts) → walk them (history-walk.ts) → plan,
 * read and scan each blob (history-blobs.ts) → scan tag messages and notes
 * (history-refs-text.ts) → attribute findings and collect the report and
 * every occurrence (history-attribute.ts).
 *
 * Output: a {@link ScanReport} with one finding per (secret, path) at its
 * earliest commit, plus every occurrence of every secret and the blob ids
 * holding it, for the inventory.
 *
 * @example
 *   const res = await historyScan({ repo: "/repo", scanner });
 *   for (const f of res.report.findings) console.log(f.commit, f.file, f.ruleId);
 */
import { emptyReport, type ScanReport } from "../core/report.js";
import { hasCommits, refFacts, refNames } from "../git/history-refs.js";
import { repoInfo, type RepoInfo } from "../git/repo.js";
import { attribute, collect } from "./history-attribute.js";
import { scanRefTexts } from "./history-refs-text.js";
import { assertDirectory, selectCommits } from "./history-select.js";
import { drain, openState, startProgress, type HistoryState } from "./history-state.js";
import type { HistoryResult, HistoryScanOptions } from "./history-types.js";
import { walkCommits } from "./history-walk.js";

export { assertDirectory, revisionArgs } from "./history-select.js";
export type { HistoryProgress, HistoryResult, HistoryScanOptions, HistorySelection, HistoryStats, SecretPlaces } from "./history-types.js";

/** Runs the history scan. */
export async function historyScan(opts: HistoryScanOptions): Promise<HistoryResult> {
  const started = Date.now();
  assertDirectory(opts.repo);
  const result = emptyResult(opts.info ?? (await repoInfo(opts.repo)));
  const refs = await (opts.refs ?? refFacts(opts.repo));
  const names = opts.names ?? refNames(opts.repo, refs, { tags: opts.branch === undefined && opts.range === undefined, head: true });
  names.catch(() => undefined); // awaited below; a scan that fails first must not leave it unhandled
  const headBranch = async (): Promise<void> => {
    const head = (await names).headBranch;
    if (head) result.headBranch = head;
  };
  if (!(await hasCommits(opts.repo, refs))) {
    await headBranch();
    result.report.warnings.push("no commits");
    result.report.stats.commits = 0;
    return result;
  }
  const sel = await selectCommits(opts.repo, opts, result.info, result.report, refs, names);
  result.pushed = sel.pushed;
  const st = openState(opts, result, sel, started);
  startProgress(st);
  try {
    await walkCommits(st);
    await drain(st.flow);
    await scanRefTexts(st);
  } finally {
    await Promise.all([st.reader.close(), st.pool?.close()]);
  }
  await headBranch();
  attribute(st);
  collect(st);
  return finish(st);
}

/** A result with nothing found yet. */
function emptyResult(info: RepoInfo): HistoryResult {
  const report: ScanReport = emptyReport();
  const stats = { commits: 0, blobs: 0, blobsScanned: 0, cacheHits: 0, cacheKnown: 0, bytes: 0, missing: 0, durationMs: 0 };
  return { report, places: new Map(), stats, info, pushed: new Set() };
}

/** Saves the cache, stamps the duration and sends the last progress report. */
function finish(st: HistoryState): HistoryResult {
  // The cache only saves work: a folder that cannot be written costs the next run time, not this report.
  try {
    st.cache?.save();
  } catch (e) {
    st.report.warnings.push(`--cache ${st.cache!.dir}: not saved (${(e as NodeJS.ErrnoException).code ?? "error"}); the next run scans every blob again`);
  }
  const stats = st.result.stats;
  stats.durationMs = Date.now() - st.started;
  st.report.stats.durationMs = stats.durationMs;
  st.progress(true);
  return st.result;
}
