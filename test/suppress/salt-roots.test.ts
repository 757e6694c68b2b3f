/**
 * The fingerprint salt is the repository's first root commit: the oldest by
 * committer date, then the smallest id. With one root (most repositories)
 * git is asked once; only several roots (orphan branches, merged unrelated
 * histories) are dated, with a second git run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootCommitSalt } from "../../src/git/repo.js";
import { TestRepo } from "../helpers/git-repo.js";
import { GitTrace } from "../helpers/git-trace.js";
import { removeTempFolders } from "../helpers/temp-folder.js";

describe("rootCommitSalt", { timeout: 60_000 }, () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = new TestRepo();
  });
  afterAll(() => {
    repo.remove();
    removeTempFolders();
  });

  /** The salt, and how many git commands computing it ran (traced only around the call: the fixtures run git too). */
  const salt = async (): Promise<{ salt: string | undefined; runs: number }> => {
    const trace = new GitTrace();
    try {
      const s = await rootCommitSalt(repo.dir);
      return { salt: s, runs: trace.commands().length };
    } finally {
      trace.stop();
    }
  };

  it("no commit: no salt", async () => {
    expect((await salt()).salt).toBeUndefined();
  });

  it("one root: that commit, from one git run", async () => {
    const root = repo.commitFiles({ "a.txt": "a\n" }, "first", "2024-03-01T00:00:00Z");
    repo.commitFiles({ "b.txt": "b\n" }, "second", "2024-03-02T00:00:00Z");
    expect(await salt()).toEqual({ salt: root, runs: 1 });
  });

  it("several roots: the oldest by date, whatever the branch or the id", async () => {
    repo.git("checkout", "-q", "--orphan", "older");
    repo.git("rm", "-q", "-r", "--cached", ".");
    const older = repo.commitFiles({ "c.txt": "c\n" }, "an older, unrelated history", "2023-01-01T00:00:00Z");
    repo.git("checkout", "-q", "--orphan", "newer");
    repo.git("rm", "-q", "-r", "--cached", ".");
    repo.commitFiles({ "d.txt": "d\n" }, "a newer one", "2025-01-01T00:00:00Z");
    expect(await salt()).toEqual({ salt: older, runs: 2 });
  });
});
