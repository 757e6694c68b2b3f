/**
 * Repository questions (I/O edge): where the work tree is, where the git dir
 * is, whether it is bare or shallow, and the fingerprint salt derived from the
 * root commit.
 */
import { existsSync, lstatSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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
 * committer date, then by id), so every clone computes the same
 * fingerprints. Undefined for a repository without commits. One git run:
 * `rev-list --timestamp` prints each root's committer date beside its id
 * (the date `%ct` gives), without keeping every commit's text as a format on
 * the walk would.
 * `signal` stops git (the promise then rejects).
 */
export async function rootCommitSalt(cwd: string, signal?: AbortSignal): Promise<string | undefined> {
  // A plain folder (a scan of an unpacked tree): git would only fail, and starting it costs the
  // scanning thread ~10-25 ms here (node's spawn, the fork of a process this size).
  if (outsideAnyRepository(cwd)) return undefined;
  const out = await gitText(["rev-list", "--max-parents=0", "--timestamp", "--all"], { cwd, okCodes: [0, 128], ...(signal ? { signal } : {}) }).catch((e: unknown) => {
    if (signal?.aborted) throw e;
    return "";
  });
  let roots = out
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ") as [string, string])
    .sort((a, b) => Number(a[0]) - Number(b[0]) || (a[1] < b[1] ? -1 : 1));
  // A shallow clone lists its boundary commits as roots: one that moves with every fetch (a CI
  // checkout of depth 1: the tip), so its fingerprints changed on each push. Without the true
  // first commit the default salt decides: stable, though not a full clone's.
  if (roots.length > 0) {
    const boundary = await shallowBoundary(cwd);
    if (boundary.size > 0) roots = roots.filter(([, id]) => !boundary.has(id));
  }
  return roots[0]?.[1];
}

/**
 * The commits a shallow clone is cut at (`$GIT_DIR/shallow`); empty for a
 * full clone. In a work tree whose `.git` is a folder the file is looked for
 * there (no git run: the salt costs one); elsewhere git names it.
 */
async function shallowBoundary(cwd: string): Promise<Set<string>> {
  const env = process.env;
  // The nearest repository entry up from cwd must be that `.git` folder: a bare repository (or a git dir)
  // inside a work tree holds HEAD first, and the outer `.git` would be another repository's.
  const here = resolve(cwd);
  const nearest = env.GIT_DIR === undefined && env.GIT_COMMON_DIR === undefined ? nearestFolderUp(here, holdsRepositoryEntry) : undefined;
  const top = nearest !== undefined && lstatSync(join(nearest, ".git"), { throwIfNoEntry: false }) !== undefined ? nearest : undefined;
  const dotGit = top !== undefined ? join(top, ".git") : undefined;
  const direct = dotGit !== undefined && lstatSync(dotGit, { throwIfNoEntry: false })?.isDirectory() === true;
  const path = direct ? join(dotGit!, "shallow") : (await gitText(["rev-parse", "--git-path", "shallow"], { cwd }).catch(() => "")).trim();
  if (!path) return new Set();
  try {
    return new Set(readFileSync(resolve(cwd, path), "utf8").split("\n").filter(Boolean));
  } catch {
    return new Set();
  }
}

/**
 * True when git cannot find a repository from `cwd`: neither `cwd` nor any
 * folder above it, on its path as given or on its real path (git walks up
 * from the real one; a symbolic link on the way may lead into a repository),
 * holds an entry named `.git` (a repository's, a worktree's or a
 * submodule's) or `HEAD` (a bare repository, or the inside of a git folder),
 * and `env` sets none of `GIT_DIR`, `GIT_WORK_TREE`, `GIT_COMMON_DIR` (which
 * point git elsewhere; the other variables can only narrow its search, as
 * `GIT_CEILING_DIRECTORIES` does). A false answer says nothing (git
 * decides). It costs a realpath and two lstat calls per folder up to the
 * root. A `cwd` that cannot be looked at: false.
 */
export function outsideAnyRepository(cwd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.GIT_DIR !== undefined || env.GIT_WORK_TREE !== undefined || env.GIT_COMMON_DIR !== undefined) return false;
  try {
    const given = resolve(cwd);
    const real = realpathSync.native(given);
    return nearestFolderUp(given, holdsRepositoryEntry) === undefined && (real === given || nearestFolderUp(real, holdsRepositoryEntry) === undefined);
  } catch {
    return false;
  }
}

/** True when `dir` holds an entry named `.git` or `HEAD` (see {@link outsideAnyRepository}). */
function holdsRepositoryEntry(dir: string): boolean {
  return lstatSync(join(dir, ".git"), { throwIfNoEntry: false }) !== undefined || lstatSync(join(dir, "HEAD"), { throwIfNoEntry: false }) !== undefined;
}

/** The nearest of `dir` and the folders above it that `holds` is true of, or undefined when none is, up to the root. */
export function nearestFolderUp(dir: string, holds: (folder: string) => boolean): string | undefined {
  for (; ; dir = dirname(dir)) {
    if (holds(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The nearest of `dir` and the folders above it holding `.git` (a folder, or a file in linked worktrees and submodules). */
export function nearestDotGit(dir: string): string | undefined {
  return nearestFolderUp(dir, (folder) => existsSync(join(folder, ".git")));
}
