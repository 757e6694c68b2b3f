/**
 * The git commands this process runs, from git's own trace (GIT_TRACE into a
 * temporary file): tests count git runs structurally, never by timing.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { TestRepo } from "./git-repo.js";
import { githubToken } from "./secrets.js";
import { removeTempFolders, tempFolder } from "./temp-folder.js";

/** Traces git from construction until {@link GitTrace.stop}; the file lives in a {@link tempFolder}. */
export class GitTrace {
  private readonly file = join(tempFolder({}), "git-trace.log");
  private readonly before = process.env.GIT_TRACE;
  constructor() {
    process.env.GIT_TRACE = this.file;
  }
  /** Forgets the commands traced so far. */
  reset(): void {
    rmSync(this.file, { force: true });
  }
  /** The commands traced since the last reset, each as its arguments after `git`. */
  commands(): string[] {
    let text = "";
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .map((l) => /trace: built-in: git (.*)$/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
  }
  /** Restores GIT_TRACE as it was. */
  stop(): void {
    if (this.before === undefined) delete process.env.GIT_TRACE;
    else process.env.GIT_TRACE = this.before;
  }
}

/** What {@link tracedTaggedRepo} makes for a suite, set once its `beforeAll` ran. */
export interface TracedRepo {
  repo: TestRepo;
  trace: GitTrace;
}

/**
 * For the calling suite: a repository whose one commit holds a GitHub token
 * in `a.env` (built from `seed`), tagged `v1` by an annotated tag whose
 * message holds another (`seed + 1`), with what `more` adds, then git traced
 * from there on; made before the suite's tests, and the trace stopped and
 * everything removed after them.
 */
export function tracedTaggedRepo(seed: number, more?: (repo: TestRepo) => void): TracedRepo {
  const made = {} as TracedRepo;
  beforeAll(() => {
    const repo = new TestRepo();
    repo.commitFiles({ "a.env": `GITHUB_TOKEN=${githubToken(seed)}\n` }, "first");
    repo.gitWith(["tag", "-a", "v1", "-m", `release ${githubToken(seed + 1)}`], {});
    more?.(repo);
    made.repo = repo;
    made.trace = new GitTrace();
  });
  afterAll(() => {
    made.trace?.stop();
    made.repo?.remove();
    removeTempFolders();
  });
  return made;
}
