/**
 * buildHistory (one `git fast-import` run) makes the very commits that
 * writing files and running `git add` + `git commit` makes: same ids for the
 * same files and metadata, odd paths, deletions, renames, a branch and a
 * merge, an annotated tag; and leaves index and work tree at the tip.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "./helpers/git-repo.js";
import { buildHistory, commitAs } from "./helpers/history-fixture.js";

const repos: TestRepo[] = [];
afterAll(() => {
  for (const r of repos.splice(0)) r.remove();
});
function newRepo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  return r;
}

const ODD = ["with space.js", "new\nline.js", "ünï cödé/файл.js", "-dash.js", 'q"uote\\d.txt'];

describe("buildHistory", () => {
  it("gives the same commit and tag ids as write + add + commit, and a clean work tree at the tip", () => {
    const slow = newRepo();
    const slowIds: string[] = [];
    slow.write("a.txt", "a\n");
    for (const n of ODD) slow.write(n, `${n}\n`);
    slowIds.push(commitAs(slow, "first\n\nbody line  ", "2024-01-01T10:00:00Z"));
    slow.write("a.txt", "a2\n");
    slow.git("rm", "-q", ODD[0]!);
    slowIds.push(commitAs(slow, "second", "2024-02-01T10:00:00+02:00", "Alice Example", "alice@example.test"));
    mkdirSync(join(slow.dir, "moved"));
    slow.git("mv", "a.txt", "moved/a.txt");
    slowIds.push(commitAs(slow, "move", "2024-02-02T00:00:00-05:30"));
    slow.git("checkout", "-q", "-b", "topic", slowIds[1]!);
    slow.write("topic.js", "t\n");
    slowIds.push(commitAs(slow, "topic", "2024-03-01T00:00:00Z", "Bob", "bob@example.test"));
    slow.git("checkout", "-q", "main");
    slow.gitWith(["merge", "-q", "--no-commit", "--no-ff", "topic"], {});
    slow.write("merge-only.js", "m\n");
    slowIds.push(commitAs(slow, "merge topic", "2024-03-02T00:00:00Z"));
    slow.gitWith(["tag", "-a", "v1", "-m", "release one", slowIds[2]!], { env: { GIT_COMMITTER_DATE: "2024-03-03T00:00:00Z" } });

    const fast = newRepo();
    const fastIds = buildHistory(
      fast,
      [
        { files: { "a.txt": "a\n", ...Object.fromEntries(ODD.map((n) => [n, `${n}\n`])) }, message: "first\n\nbody line  ", date: "2024-01-01T10:00:00Z" },
        { files: { "a.txt": "a2\n", [ODD[0]!]: null }, message: "second", date: "2024-02-01T10:00:00+02:00", author: "Alice Example", email: "alice@example.test" },
        { moves: { "a.txt": "moved/a.txt" }, message: "move", date: "2024-02-02T00:00:00-05:30" },
        { branch: "topic", from: 1, files: { "topic.js": "t\n" }, message: "topic", date: "2024-03-01T00:00:00Z", author: "Bob", email: "bob@example.test" },
        { merge: ["topic"], files: { "merge-only.js": "m\n" }, message: "merge topic", date: "2024-03-02T00:00:00Z" },
      ],
      { tags: [{ name: "v1", at: 2, message: "release one", date: "2024-03-03T00:00:00Z" }] },
    );
    expect(fastIds).toEqual(slowIds);
    const refs = (r: TestRepo): string => r.git("for-each-ref", "--format=%(refname) %(objectname)");
    expect(refs(fast)).toBe(refs(slow));
    expect(fast.head()).toBe(slowIds[4]);
    expect(fast.git("status", "--porcelain=v1", "-z", "--untracked-files=all")).toBe("");
    expect(fast.git("ls-files", "-z").split("\0").sort()).toEqual(slow.git("ls-files", "-z").split("\0").sort());
  });

  it("continues a branch the repository already has, and checks out the branch asked for", () => {
    const repo = newRepo();
    const [first] = buildHistory(repo, [{ files: { "a.txt": "a\n" }, date: "2024-01-01T00:00:00Z" }]);
    const [second, side] = buildHistory(
      repo,
      [
        { files: { "b.txt": "b\n", "a.txt": null }, date: "2024-01-02T00:00:00Z" },
        { branch: "side", from: first, files: { "c.txt": "c\n" }, date: "2024-01-03T00:00:00Z" },
      ],
      { checkout: "side" },
    );
    expect(repo.git("rev-parse", `${second}^`, `${side}^`).trim().split("\n")).toEqual([first, first]);
    expect(repo.git("ls-tree", "--name-only", second!).trim()).toBe("b.txt");
    expect(repo.git("symbolic-ref", "--short", "HEAD").trim()).toBe("side");
    expect(repo.git("status", "--porcelain=v1", "-z")).toBe("");
    expect(repo.git("ls-files").trim().split("\n")).toEqual(["a.txt", "c.txt"]);
  });
});
