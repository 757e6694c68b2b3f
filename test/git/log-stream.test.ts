/**
 * streamCommits lists every commit oldest first with its first-parent tree
 * changes, however many diff-tree processes describe them: an empty commit,
 * a merge and a root commit included, and the same records when a fresh
 * diff-tree takes over every two commits. Its git processes write with full
 * buffering (seen through a git on PATH that notes its environment).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";
import { streamCommits, type CommitRecord } from "../../src/git/log-stream.js";
import { TestRepo } from "../helpers/git-repo.js";
import { commitAs } from "../helpers/history-fixture.js";

const repos: TestRepo[] = [];
afterAll(() => {
  for (const r of repos.splice(0)) r.remove();
  removeTempFolders();
});

async function records(dir: string, perDiff?: number, extra: string[] = [], revs = ["--all"]): Promise<CommitRecord[]> {
  const out: CommitRecord[] = [];
  await streamCommits(dir, revs, (c) => void out.push(c), { extra, ...(perDiff !== undefined ? { commitsPerDiff: perDiff } : {}) });
  return out;
}

describe("streamCommits", () => {
  it("gives every commit, oldest first, with its changes, across several diff-tree processes", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    repo.write("a.txt", "one\n");
    commitAs(repo, "root", "2024-04-01T10:00:00Z");
    commitAs(repo, "empty", "2024-04-02T10:00:00Z");
    repo.git("checkout", "-q", "-b", "side");
    repo.write("b.txt", "side\n");
    commitAs(repo, "side", "2024-04-03T10:00:00Z");
    repo.git("checkout", "-q", "-");
    repo.write("a.txt", "two\n");
    commitAs(repo, "main", "2024-04-04T10:00:00Z");
    repo.gitWith(["merge", "-q", "--no-ff", "-m", "merge", "side"], { env: { GIT_AUTHOR_DATE: "2024-04-05T10:00:00Z", GIT_COMMITTER_DATE: "2024-04-05T10:00:00Z" } });

    const all = await records(repo.dir);
    expect(all.map((c) => c.message.trim())).toEqual(["root", "empty", "side", "main", "merge"]);
    expect(all[0]!.changes.map((ch) => ch.path)).toEqual(["a.txt"]);
    expect(all[1]!.changes).toEqual([]);
    // The merge brings b.txt over its first parent.
    expect(all[4]!.changes.map((ch) => [ch.path, ch.status])).toEqual([["b.txt", "A"]]);
    expect(await records(repo.dir, 2)).toEqual(all);
    expect(await records(repo.dir, 1)).toEqual(all);
    const firstParent = await records(repo.dir, 2, ["--first-parent"], ["--end-of-options", "HEAD"]);
    expect(firstParent.map((c) => c.message.trim())).toEqual(["root", "empty", "main", "merge"]);
  });

  it("names a revision git does not know", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    repo.write("a.txt", "one\n");
    commitAs(repo, "root", "2024-04-01T10:00:00Z");
    await expect(streamCommits(repo.dir, ["--end-of-options", "no-such-branch"], () => {})).rejects.toThrow(/rev-list failed/);
  });

  it("runs rev-list and diff-tree with full buffering (GIT_FLUSH=0), not a flush per commit", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    repo.write("a.txt", "one\n");
    commitAs(repo, "root", "2024-04-01T10:00:00Z");
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    const shimDir = tempFolder({});
    const log = join(shimDir, "calls.log");
    const shim = join(shimDir, "git");
    writeFileSync(shim, `#!/bin/sh\necho "\${GIT_FLUSH:-unset} $1" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(shim, 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${shimDir}:${path ?? ""}`;
    try {
      expect(await records(repo.dir)).toHaveLength(1);
    } finally {
      process.env.PATH = path;
    }
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls).toEqual(["0 rev-list", "0 diff-tree"]);
  });
});
