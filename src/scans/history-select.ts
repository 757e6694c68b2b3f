/**
 * History scan, stage 1 (select): which commits to walk and the repository
 * facts every later stage needs (pushed commits, stash entries, a shallow
 * boundary, objects missing from a partial clone). User revisions are
 * validated here so git can never read one as an option.
 */
import { statSync } from "node:fs";
import { GitError, UsageError } from "../errors.js";
import type { ScanReport } from "../core/report.js";
import { checkGitDate } from "../git/dates.js";
import { missingObjects, pushedCommits, shallowBoundaryDate, stashCommits, type RefFacts, type RefNames } from "../git/history-refs.js";
import type { RepoInfo } from "../git/repo.js";
import { gitText } from "../git/run.js";
import type { HistoryScanOptions, HistorySelection } from "./history-types.js";

/** What stage 1 found out about the repository and the selection. */
export interface Selection {
  /** `git log` revision arguments. */
  revs: string[];
  /** Commits reachable from a remote-tracking ref. */
  pushed: Set<string>;
  /** Stash tips, and the commits only stash entries reach (source "stash"). */
  stash: { tips: string[]; only: Set<string> };
  /** Blob ids the selection needs that are not in the object store. */
  absent: Set<string>;
  /** Tags, notes refs and remote refs, listed once. */
  refs: RefFacts;
  /** The annotated tags' messages (asked of git beside the walk; scanned after it). */
  names: Promise<RefNames>;
}

const SHA_ARG = /^[^-]/;

/** Validates a user revision so git can never read it as an option. */
function revArg(flag: string, value: string): string {
  if (!SHA_ARG.test(value) || value.includes("\0")) throw new UsageError(`${flag} "${value}" is not a revision`);
  return value;
}

/** Throws a UsageError unless `rev` names a commit. */
async function assertCommit(cwd: string, rev: string, message: string): Promise<void> {
  const ok = await gitText(["rev-parse", "--verify", "-q", "--end-of-options", `${rev}^{commit}`], { cwd, okCodes: [0, 1, 128] });
  if (!ok.trim()) throw new UsageError(message);
}

/** The revisions of a selection that names none (no branch, range, date or stash): every ref but the stash and notes. */
export const ALL_REVISIONS: readonly string[] = ["--exclude=refs/stash", "--exclude=refs/notes/*", "--all"];

/** True when `sel` selects the whole history, so its revisions are {@link ALL_REVISIONS}. */
export const selectsAll = (sel: HistorySelection): boolean => sel.branch === undefined && sel.range === undefined && sel.since === undefined && !sel.stash;

/** The `git log` revision arguments for a selection. */
export async function revisionArgs(cwd: string, sel: HistorySelection, stashTips: string[]): Promise<string[]> {
  const args: string[] = [];
  if (sel.since !== undefined) args.push(`--since=${checkGitDate("--since", sel.since)}`);
  const revs: string[] = [];
  if (sel.branch !== undefined) {
    const b = revArg("--branch", sel.branch);
    await assertCommit(cwd, b, `--branch ${b}: no such branch or revision`);
    revs.push(b);
  }
  if (sel.range !== undefined) {
    const r = revArg("--range", sel.range);
    for (const e of r.split(/\.\.\.?/).filter(Boolean)) await assertCommit(cwd, e, `--range ${r}: "${e}" is not a commit`);
    revs.push(r);
  }
  if (revs.length === 0) args.push(...ALL_REVISIONS);
  if (sel.stash) revs.push(...stashTips);
  if (revs.length) args.push("--end-of-options", ...revs);
  return args;
}

/** Throws a one-line GitError when `dir` is not a directory (git would fail obscurely). */
export function assertDirectory(dir: string): void {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new GitError(`${dir}: no such directory`);
}

/**
 * Stage 1: the revisions to walk and the repository facts; warns about a
 * shallow clone in `report`. What `sel` says was asked ahead (pushed
 * commits, whether the clone is partial) is taken from it.
 */
export async function selectCommits(
  cwd: string,
  sel: HistorySelection & Pick<HistoryScanOptions, "pushed" | "partial">,
  info: RepoInfo,
  report: ScanReport,
  refs: RefFacts,
  names: Promise<RefNames>,
): Promise<Selection> {
  // Independent repository facts, asked for at once.
  const [pushed, stash, shallowDate] = await Promise.all([
    sel.pushed ?? pushedCommits(cwd, refs),
    sel.stash ? stashCommits(cwd) : { tips: [], only: new Set<string>() },
    info.shallow ? shallowBoundaryDate(cwd, info.gitDir) : undefined,
  ]);
  const revs = await revisionArgs(cwd, sel, stash.tips);
  if (info.shallow) report.warnings.push(`shallow clone: history before ${shallowDate ?? "the shallow boundary"} not scanned`);
  const absent = await missingObjects(cwd, revs, info.commonDir, sel.partial);
  return { revs, pushed, stash, absent, refs, names };
}
