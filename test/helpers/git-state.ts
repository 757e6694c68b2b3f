/**
 * A snapshot of everything a read-only command must leave alone: the index
 * bytes, the working tree status, the refs, and the hooks folder. Two equal
 * snapshots mean nothing changed.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TestRepo } from "./git-repo.js";

/** What `before` and `after` are compared on. */
export interface GitState {
  index: string;
  status: string;
  refs: string;
  hooks: string[];
  objects: string;
}

const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

/** Takes a snapshot of `repo`. */
export function gitState(repo: TestRepo): GitState {
  // Both paths from one git run (a run forks the test process).
  const [gitDir, hooksDir] = repo.git("rev-parse", "--path-format=absolute", "--git-dir", "--git-path", "hooks").trim().split("\n");
  if (!gitDir || !hooksDir) throw new Error(`gitState: git did not name the git dir and the hooks folder of ${repo.dir}`);
  const indexFile = join(gitDir, "index");
  const hooks = existsSync(hooksDir)
    ? readdirSync(hooksDir)
        .sort()
        .map((n) => {
          const p = join(hooksDir, n);
          return `${n} ${statSync(p).mode.toString(8)} ${sha(readFileSync(p))}`;
        })
    : [];
  return {
    index: existsSync(indexFile) ? sha(readFileSync(indexFile)) : "(none)",
    status: repo.git("status", "--porcelain=v2", "-z", "--untracked-files=all", "--ignored"),
    refs: repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
    hooks,
    objects: repo.git("count-objects", "-v"),
  };
}
