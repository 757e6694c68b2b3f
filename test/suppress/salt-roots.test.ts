/**
 * The fingerprint salt is the repository's first root commit: the oldest by
 * committer date, then the smallest id. git is asked once, however many roots
 * there are (orphan branches, merged unrelated histories): `rev-list
 * --timestamp` dates them as it lists them. A plain folder, with no `.git` or
 * `HEAD` in it or above it, has no salt and starts no git.
 */
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outsideAnyRepository, rootCommitSalt } from "../../src/git/repo.js";
import { TestRepo } from "../helpers/git-repo.js";
import { GitTrace } from "../helpers/git-trace.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

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
    expect(await salt()).toEqual({ salt: older, runs: 1 });
  });

  it("several roots of the same date: the smallest id", async () => {
    repo.git("checkout", "-q", "--orphan", "twin");
    repo.git("rm", "-q", "-r", "--cached", ".");
    const twin = repo.commitFiles({ "e.txt": "e\n" }, "as old as the oldest", "2023-01-01T00:00:00Z");
    const older = repo.git("rev-parse", "older").trim();
    expect(await salt()).toEqual({ salt: twin < older ? twin : older, runs: 1 });
  });
});

describe("a plain folder", { timeout: 60_000 }, () => {
  afterAll(() => removeTempFolders());

  // The system's temporary folder is taken to be outside any repository, as a CI runner's is.
  it.skipIf(process.platform === "win32")("has no salt, and no git is started to learn that", async () => {
    // A git first on the PATH that notes each run: git's own trace says nothing of a run that finds no repository.
    const bin = tempFolder({ git: '#!/bin/sh\necho run >> "$(dirname "$0")/runs"\nexit 128\n' }, "lg-fakegit-");
    chmodSync(join(bin, "git"), 0o755);
    const plain = tempFolder({ "a/b/c.txt": "x\n" }, "lg-plain-");
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path ?? ""}`;
    try {
      expect(await rootCommitSalt(join(plain, "a", "b"))).toBeUndefined();
    } finally {
      process.env.PATH = path;
    }
    expect(existsSync(join(bin, "runs"))).toBe(false);
  });

  it.skipIf(process.platform === "win32")("is one with neither .git nor HEAD in it or above it, on its path or its real path, and no GIT_DIR, GIT_WORK_TREE or GIT_COMMON_DIR", () => {
    const plain = tempFolder({ "a/b/c.txt": "x\n" }, "lg-plain-");
    expect(outsideAnyRepository(join(plain, "a", "b"), {})).toBe(true);
    // git's trace or ceiling do not point git at another repository.
    expect(outsideAnyRepository(plain, { GIT_TRACE: "1", GIT_CEILING_DIRECTORIES: plain })).toBe(true);
    for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR"]) expect(outsideAnyRepository(plain, { [name]: plain })).toBe(false);
    // A work tree's or a submodule's .git (a folder or a file), a bare repository's HEAD, above or here.
    const work = new TestRepo();
    try {
      mkdirSync(join(work.dir, "sub", "deeper"), { recursive: true });
      expect(outsideAnyRepository(join(work.dir, "sub", "deeper"), {})).toBe(false);
    } finally {
      work.remove();
    }
    // A symbolic link into a repository: git walks up from the real path.
    const into = new TestRepo();
    try {
      mkdirSync(join(into.dir, "inner"));
      const viaLink = tempFolder({}, "lg-link-");
      symlinkSync(join(into.dir, "inner"), join(viaLink, "inner"));
      expect(outsideAnyRepository(join(viaLink, "inner"), {})).toBe(false);
    } finally {
      into.remove();
    }
    const linked = tempFolder({ ".git": "gitdir: ../elsewhere\n", "x/y.txt": "y\n" }, "lg-gitfile-");
    expect(outsideAnyRepository(join(linked, "x"), {})).toBe(false);
    const bare = tempFolder({ HEAD: "ref: refs/heads/main\n", "objects/info/packs": "" }, "lg-bare-");
    expect(outsideAnyRepository(join(bare, "objects"), {})).toBe(false);
    writeFileSync(join(plain, "HEAD"), "ref: refs/heads/main\n");
    expect(outsideAnyRepository(join(plain, "a"), {})).toBe(false);
  });
});

