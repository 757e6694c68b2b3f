/**
 * Repository questions (I/O edge): where the work tree is, where the git dir
 * is, whether it is bare or shallow, and the fingerprint salt derived from the
 * root commit.
 */
import { GitError } from "../errors.js";
import { gitText } from "./run.js";

/** Facts about a repository. */
export interface RepoInfo {
  /** Work tree root (absent for bare repos). */
  root?: string;
  /** The git dir (absolute). */
  gitDir: string;
  /** The common git dir (differs from gitDir in a linked worktree). */
  commonDir: string;
  bare: boolean;
  shallow: boolean;
}

/** Finds the repository containing `cwd`; throws GitError when there is none. */
export async function repoInfo(cwd: string): Promise<RepoInfo> {
  let out: string;
  try {
    out = await gitText(
      ["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir", "--is-bare-repository", "--is-shallow-repository", "--show-toplevel"],
      { cwd, okCodes: [0, 128] },
    );
  } catch (e) {
    throw e instanceof GitError ? e : new GitError(`${cwd}: cannot run git`);
  }
  const lines = out.split("\n");
  if (lines.length < 4 || !lines[0]) throw new GitError(`${cwd}: not a git repository`);
  const info: RepoInfo = { gitDir: lines[0]!, commonDir: lines[1]!, bare: lines[2] === "true", shallow: lines[3] === "true" };
  if (!info.bare && lines[4]) info.root = lines[4];
  return info;
}

/**
 * Fingerprint salt for a repository: its first root commit's id (oldest by
 * date, then by id), so every clone computes the same fingerprints. Undefined
 * for a repository without commits.
 */
export async function rootCommitSalt(cwd: string): Promise<string | undefined> {
  // The roots first, their dates after: a format on the walk itself kept every commit's text (twice the memory on git/git).
  const ids = await gitText(["rev-list", "--max-parents=0", "--all"], { cwd, okCodes: [0, 128] }).catch(() => "");
  const list = ids.split("\n").filter(Boolean);
  if (list.length === 0) return undefined;
  // One root (most repositories): it is the oldest, no dates needed (and no second git run).
  if (list.length === 1) return list[0];
  const out = await gitText(["log", "--no-walk=unsorted", "--stdin", "--format=%ct %H"], { cwd, input: ids, okCodes: [0, 128] }).catch(() => "");
  const roots = out
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ") as [string, string])
    .sort((a, b) => Number(a[0]) - Number(b[0]) || (a[1] < b[1] ? -1 : 1));
  return roots[0]?.[1];
}
