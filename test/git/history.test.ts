import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runHistory, scanHistory } from "../../src/api/history.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { commitAs, line } from "../helpers/history-fixture.js";

const repos: TestRepo[] = [];
const dirs: string[] = [];
function newRepo(opts: { bare?: boolean; dir?: string } = {}): TestRepo {
  const r = new TestRepo(opts);
  repos.push(r);
  return r;
}
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "lg-hist-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("history: attribution", () => {
  it("finds a secret that was added and later deleted, naming the introducing commit", async () => {
    const repo = newRepo();
    const tok = githubToken(11);
    repo.write("README.md", "hello\n");
    commitAs(repo, "init", "2024-01-01T10:00:00Z");
    repo.write("src/config.js", line("token", tok));
    const intro = commitAs(repo, "add config", "2024-02-01T10:00:00Z", "Alice Example", "alice@example.test");
    repo.git("rm", "-q", "src/config.js");
    commitAs(repo, "remove config", "2024-03-01T10:00:00Z", "Bob", "bob@example.test");

    const report = await scanHistory({ repo: repo.dir });
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0]!;
    expect(f).toMatchObject({ ruleId: "github-pat", file: "src/config.js", line: 1, commit: intro, author: "Alice Example", email: "alice@example.test", secret: tok, pushed: false, source: "file" });
    expect(f.date).toBe("2024-02-01T10:00:00+00:00");
    expect(f.location).toBe(`${intro}:src/config.js:github-pat:1`);
    expect(report.history.commits).toBe(3);
  });

  it("reports a secret kept through 5 later modifications once, at its first commit, with 6 occurrences", async () => {
    const repo = newRepo();
    const tok = githubToken(12);
    repo.write("app.js", line("token", tok));
    const first = commitAs(repo, "c0", "2024-01-01T00:00:00Z");
    for (let i = 1; i <= 5; i++) {
      repo.write("app.js", line("token", tok) + `// change ${i}\n`.repeat(i));
      commitAs(repo, `c${i}`, `2024-01-0${i + 1}T00:00:00Z`);
    }
    const res = await runHistory({ repo: repo.dir });
    expect(res.report.findings).toHaveLength(1);
    expect(res.report.findings[0]!.commit).toBe(first);
    const places = res.places.get(res.report.findings[0]!.fingerprint)!;
    expect(places.occurrences).toHaveLength(6);
    expect(places.blobs.size).toBe(6);
    expect(res.stats.blobsScanned).toBe(6);
  });

  it("scans a blob shared by many commits and paths only once", async () => {
    const repo = newRepo();
    const content = line("key", awsKeyId(21));
    repo.write("a/one.js", content);
    commitAs(repo, "one", "2024-01-01T00:00:00Z");
    for (let i = 0; i < 4; i++) {
      repo.write(`other${i}.txt`, `x${i}\n`);
      commitAs(repo, `n${i}`, `2024-01-0${i + 2}T00:00:00Z`);
    }
    repo.write("b/copy.js", content);
    commitAs(repo, "copy", "2024-02-01T00:00:00Z");
    const res = await runHistory({ repo: repo.dir });
    // 1 secret blob + 4 small files: 5 blobs, the copy is not read again.
    expect(res.stats.blobsScanned).toBe(5);
    // The copy at another path is still reported there.
    expect(res.report.findings.map((f) => f.file).sort()).toEqual(["a/one.js", "b/copy.js"]);
  });

  it("reports the same secret in two files as two findings with one fingerprint", async () => {
    const repo = newRepo();
    const tok = githubToken(13);
    repo.write("one.js", line("a", tok));
    repo.write("two.py", `TOKEN = "${tok}"\n`);
    commitAs(repo, "both", "2024-01-01T00:00:00Z");
    const { findings } = await scanHistory({ repo: repo.dir });
    expect(findings.map((f) => f.file).sort()).toEqual(["one.js", "two.py"]);
    expect(findings[0]!.fingerprint).toBe(findings[1]!.fingerprint);
  });
});

describe("history: merges", () => {
  it("attributes a branch's secret to the branch commit, and content new in a merge to the merge", async () => {
    const repo = newRepo();
    repo.write("base.txt", "base\n");
    commitAs(repo, "base", "2024-01-01T00:00:00Z");
    repo.git("checkout", "-q", "-b", "topic");
    const onTopic = githubToken(81);
    repo.write("topic.js", line("t", onTopic));
    const topicCommit = commitAs(repo, "topic", "2024-01-02T00:00:00Z");
    repo.git("checkout", "-q", "main");
    repo.write("main.txt", "main\n");
    commitAs(repo, "main", "2024-01-03T00:00:00Z");
    // A merge whose result holds content neither parent had (an "evil" merge).
    const inMerge = githubToken(82);
    repo.gitWith(["merge", "-q", "--no-commit", "--no-ff", "topic"], {});
    repo.write("merge-only.js", line("m", inMerge));
    const merge = commitAs(repo, "merge topic", "2024-01-04T00:00:00Z");
    const { findings } = await scanHistory({ repo: repo.dir });
    const at = Object.fromEntries(findings.map((f) => [f.secret, f.commit]));
    expect(at).toEqual({ [onTopic]: topicCommit, [inMerge]: merge });
  });
});

describe("history: messages, tags, notes, stash", () => {
  it("scans commit messages, annotated tag messages and notes", async () => {
    const repo = newRepo();
    const inMsg = githubToken(31);
    const inTag = githubToken(32);
    const inNote = githubToken(33);
    repo.write("a.txt", "a\n");
    const c1 = commitAs(repo, `fix login\n\nused ${inMsg} to test`, "2024-01-01T00:00:00Z");
    repo.gitWith(["tag", "-a", "v1", "-m", `release with ${inTag}`], { env: { GIT_COMMITTER_DATE: "2024-01-02T00:00:00Z" } });
    repo.gitWith(["notes", "add", "-m", `note ${inNote}`, c1], { env: { GIT_COMMITTER_DATE: "2024-01-03T00:00:00Z" } });
    const { findings } = await scanHistory({ repo: repo.dir });
    const bySource = Object.fromEntries(findings.map((f) => [f.source, f]));
    expect(Object.keys(bySource).sort()).toEqual(["commit-message", "note", "tag-message"]);
    expect(bySource["commit-message"]).toMatchObject({ secret: inMsg, commit: c1, file: "", line: 3 });
    expect(bySource["tag-message"]).toMatchObject({ secret: inTag, commit: c1, file: "", line: 1 });
    expect(bySource["note"]).toMatchObject({ secret: inNote, commit: c1, author: "Test Author", date: "2024-01-01T00:00:00+00:00" });
  });

  it("adds stash entries only with --stash", async () => {
    const repo = newRepo();
    repo.write("a.txt", "a\n");
    commitAs(repo, "init", "2024-01-01T00:00:00Z");
    const tok = githubToken(34);
    repo.write("a.txt", line("t", tok));
    repo.gitWith(["stash", "push", "-q", "-m", "wip"], { env: { GIT_COMMITTER_DATE: "2024-01-02T00:00:00Z", GIT_AUTHOR_DATE: "2024-01-02T00:00:00Z" } });
    expect((await scanHistory({ repo: repo.dir })).findings).toHaveLength(0);
    const { findings } = await scanHistory({ repo: repo.dir, stash: true });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ source: "stash", file: "a.txt", secret: tok });
  });
});

describe("history: narrowing", () => {
  function threeBranches(): { repo: TestRepo; main1: string; feat: string; tokMain: string; tokFeat: string; tokLate: string } {
    const repo = newRepo();
    const tokMain = githubToken(41);
    const tokFeat = githubToken(42);
    const tokLate = githubToken(43);
    repo.write("m.js", line("m", tokMain));
    const main1 = commitAs(repo, "m1", "2023-01-01T00:00:00Z");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("f.js", line("f", tokFeat));
    const feat = commitAs(repo, "f1", "2023-06-01T00:00:00Z");
    repo.git("checkout", "-q", "main");
    repo.write("late.js", line("l", tokLate));
    commitAs(repo, "m2", "2024-06-01T00:00:00Z");
    return { repo, main1, feat, tokMain, tokFeat, tokLate };
  }

  it("scans every branch by default, one branch with --branch", async () => {
    const { repo, tokMain, tokFeat, tokLate } = threeBranches();
    const all = await scanHistory({ repo: repo.dir });
    expect(all.findings.map((f) => f.secret).sort()).toEqual([tokMain, tokFeat, tokLate].sort());
    const main = await scanHistory({ repo: repo.dir, branch: "main" });
    expect(main.findings.map((f) => f.secret).sort()).toEqual([tokMain, tokLate].sort());
  });

  it("narrows with --range and --since", async () => {
    const { repo, main1, tokFeat, tokLate } = threeBranches();
    const range = await scanHistory({ repo: repo.dir, range: `${main1}..feature` });
    expect(range.findings.map((f) => f.secret)).toEqual([tokFeat]);
    expect(range.history.commits).toBe(1);
    const since = await scanHistory({ repo: repo.dir, since: "2024-01-01" });
    expect(since.findings.map((f) => f.secret)).toEqual([tokLate]);
  });

  it("rejects a revision that looks like an option", async () => {
    const { repo } = threeBranches();
    await expect(scanHistory({ repo: repo.dir, branch: "--output=/tmp/x" })).rejects.toThrow(/not a revision/);
    await expect(scanHistory({ repo: repo.dir, branch: "nope" })).rejects.toThrow(/no such branch/);
  });
});

describe("history: repository shapes", () => {
  function simple(): { repo: TestRepo; tokOld: string; tokNew: string } {
    const repo = newRepo();
    const tokOld = githubToken(51);
    const tokNew = githubToken(52);
    repo.write("old.js", line("o", tokOld));
    commitAs(repo, "old", "2023-01-01T00:00:00Z");
    repo.write("new.js", line("n", tokNew));
    commitAs(repo, "new", "2024-01-01T00:00:00Z");
    return { repo, tokOld, tokNew };
  }

  it("scans what a shallow clone holds and warns about the rest", async () => {
    const { repo, tokNew } = simple();
    const dir = join(tmp(), "shallow");
    execFileSync("git", ["clone", "-q", "--depth", "1", `file://${repo.dir}`, dir], { env: GIT_TEST_ENV });
    const report = await scanHistory({ repo: dir });
    // The shallow tip's tree holds both files; its one commit introduces both.
    expect(report.findings.map((f) => f.secret)).toContain(tokNew);
    expect(report.warnings.join("\n")).toMatch(/^shallow clone: history before 2024-01-01T00:00:00\+00:00 not scanned$/m);
    expect(report.history.commits).toBe(1);
  });

  it("scans a bare repository, marking pushed commits in a clone", async () => {
    const { repo, tokOld, tokNew } = simple();
    const bare = join(tmp(), "bare.git");
    execFileSync("git", ["clone", "-q", "--bare", repo.dir, bare], { env: GIT_TEST_ENV });
    const report = await scanHistory({ repo: bare });
    expect(report.findings.map((f) => f.secret).sort()).toEqual([tokOld, tokNew].sort());
    // In the original repo, the bare clone as a remote: fetched commits count as pushed.
    repo.git("remote", "add", "origin", bare);
    repo.git("fetch", "-q", "origin");
    repo.write("x.js", line("x", githubToken(53)));
    commitAs(repo, "local only", "2024-02-01T00:00:00Z");
    const local = await scanHistory({ repo: repo.dir });
    const pushed = Object.fromEntries(local.findings.map((f) => [f.file, f.pushed]));
    expect(pushed).toEqual({ "old.js": true, "new.js": true, "x.js": false });
  });

  it("skips and counts submodules, LFS pointers and symlinks", async () => {
    const repo = newRepo();
    const sub = newRepo();
    sub.write("s.txt", "s\n");
    const subSha = commitAs(sub, "sub", "2024-01-01T00:00:00Z");
    repo.git("update-index", "--add", "--cacheinfo", `160000,${subSha},vendor/sub`);
    repo.write("big.bin", `version https://git-lfs.github.com/spec/v1\noid sha256:${"a".repeat(64)}\nsize 123\n`);
    repo.write("plain.txt", "p\n");
    repo.git("add", "big.bin", "plain.txt");
    execFileSync("ln", ["-s", "plain.txt", join(repo.dir, "link")]);
    repo.git("add", "link");
    repo.gitWith(["commit", "-q", "-m", "shapes"], { env: { GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z", GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z" } });
    const report = await scanHistory({ repo: repo.dir });
    expect(report.stats.skipped).toMatchObject({ submodule: 1, "lfs-pointer": 1, symlink: 1 });
    expect(report.history.blobsScanned).toBe(2); // plain.txt and the pointer (read, then skipped)
  });

  it("skips blobs over the size limit and counts them", async () => {
    const repo = newRepo();
    repo.write("big.js", line("t", githubToken(55)) + "x".repeat(5000));
    repo.write("small.js", "s\n");
    commitAs(repo, "sizes", "2024-01-01T00:00:00Z");
    const report = await scanHistory({ repo: repo.dir, maxFileSize: 1000 });
    expect(report.findings).toEqual([]);
    expect(report.stats.skipped["too-large"]).toBe(1);
  });

  it("says 'no commits' for an empty repository", async () => {
    const repo = newRepo();
    const report = await scanHistory({ repo: repo.dir });
    expect(report.findings).toEqual([]);
    expect(report.warnings).toEqual(["no commits"]);
  });

  it("finds a commit reachable only from a detached HEAD", async () => {
    const { repo } = simple();
    repo.git("checkout", "-q", "--detach");
    const tok = githubToken(54);
    repo.write("detached.js", line("d", tok));
    const c = commitAs(repo, "detached", "2024-03-01T00:00:00Z");
    const { findings } = await scanHistory({ repo: repo.dir });
    expect(findings.find((f) => f.secret === tok)?.commit).toBe(c);
  });

  it("handles odd file names: spaces, newline, unicode", async () => {
    const repo = newRepo();
    const names = ["with space.js", "new\nline.js", "ünï cödé/файл.js", "-dash.js"];
    names.forEach((n, i) => repo.write(n, line("t", githubToken(60 + i))));
    commitAs(repo, "odd", "2024-01-01T00:00:00Z");
    const { findings } = await scanHistory({ repo: repo.dir });
    expect(findings.map((f) => f.file).sort()).toEqual([...names].sort());
  });

  it("reports a missing blob of a partial clone as a warning", async () => {
    const { repo } = simple();
    repo.git("config", "uploadpack.allowFilter", "true");
    const dir = join(tmp(), "partial");
    execFileSync("git", ["clone", "-q", "--no-checkout", "--filter=blob:none", `file://${repo.dir}`, dir], { env: GIT_TEST_ENV });
    // Make the promisor unreachable so that a lazy fetch cannot fill the gap.
    execFileSync("git", ["remote", "set-url", "origin", `file://${join(tmp(), "gone")}`], { cwd: dir, env: GIT_TEST_ENV });
    const report = await scanHistory({ repo: dir });
    expect(report.history.missing).toBeGreaterThan(0);
    expect(report.warnings.join("\n")).toMatch(/blob\(s\) missing/);
    // gc repacks, keeping the promisor mark that tells the scan to look for missing objects.
    execFileSync("git", ["gc", "-q"], { cwd: dir, env: GIT_TEST_ENV });
    const again = await scanHistory({ repo: dir });
    expect(again.history.missing).toBe(report.history.missing);
  });
});

describe("history: cache and read-only", () => {
  it("second run with --cache scans only new blobs (and re-checks blobs with findings)", async () => {
    const repo = newRepo();
    const cache = tmp();
    repo.write("a.txt", "a\n").write("b.txt", "b\n").write("s.js", line("s", githubToken(71)));
    commitAs(repo, "one", "2024-01-01T00:00:00Z");
    const first = await scanHistory({ repo: repo.dir, cacheDir: cache });
    expect(first.history.blobsScanned).toBe(3);
    repo.write("c.txt", "c\n");
    commitAs(repo, "two", "2024-01-02T00:00:00Z");
    const second = await scanHistory({ repo: repo.dir, cacheDir: cache });
    expect(second.history.cacheHits).toBe(2); // a.txt, b.txt: clean, not read
    expect(second.history.blobsScanned).toBe(2); // c.txt (new) + s.js (holds a finding, never cached)
    expect(second.findings).toHaveLength(1);
    expect(JSON.stringify(second.findings.map((f) => f.fingerprint))).toBe(JSON.stringify(first.findings.map((f) => f.fingerprint)));
    // The cache file holds ids only, never the secret.
    const files = execFileSync("ls", [cache], { encoding: "utf8" }).trim().split("\n");
    expect(readFileSync(join(cache, files[0]!), "utf8")).not.toContain(githubToken(71));
  });

  it("changes nothing in the repository", async () => {
    const repo = newRepo();
    repo.write("a.js", line("a", githubToken(72)));
    commitAs(repo, "one", "2024-01-01T00:00:00Z");
    repo.gitWith(["tag", "-a", "v1", "-m", "t"], {});
    repo.write("b.js", "staged\n");
    repo.git("add", "b.js");
    const snap = (): string[] => [
      readFileSync(join(repo.dir, ".git/index")).toString("base64"),
      readFileSync(join(repo.dir, ".git/config"), "utf8"),
      readFileSync(join(repo.dir, ".git/HEAD"), "utf8"),
      repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
      repo.git("status", "--porcelain=v1", "-z"),
    ];
    const before = snap();
    await scanHistory({ repo: repo.dir, stash: true });
    expect(snap()).toEqual(before);
  });
});
