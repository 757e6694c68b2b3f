import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runHistory, scanHistory } from "../../src/api/history.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { buildHistory, commitAs, line } from "../helpers/history-fixture.js";
import { scanInventory } from "../../src/index.js";
import { runIn } from "../helpers/in-process.js";

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
    const [, intro] = buildHistory(
      repo,
      [
        { files: { "README.md": "hello\n" }, message: "init", date: "2024-01-01T10:00:00Z" },
        { files: { "src/config.js": line("token", tok) }, message: "add config", date: "2024-02-01T10:00:00Z", author: "Alice Example", email: "alice@example.test" },
        { files: { "src/config.js": null }, message: "remove config", date: "2024-03-01T10:00:00Z", author: "Bob", email: "bob@example.test" },
      ],
      { checkout: false },
    );

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
    const [first] = buildHistory(
      repo,
      [0, 1, 2, 3, 4, 5].map((i) => ({ files: { "app.js": line("token", tok) + `// change ${i}\n`.repeat(i) }, message: `c${i}`, date: `2024-01-0${i + 1}T00:00:00Z` })),
      { checkout: false },
    );
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
    buildHistory(
      repo,
      [
        { files: { "a/one.js": content }, message: "one", date: "2024-01-01T00:00:00Z" },
        ...[0, 1, 2, 3].map((i) => ({ files: { [`other${i}.txt`]: `x${i}\n` }, message: `n${i}`, date: `2024-01-0${i + 2}T00:00:00Z` })),
        { files: { "b/copy.js": content }, message: "copy", date: "2024-02-01T00:00:00Z" },
      ],
      { checkout: false },
    );
    const res = await runHistory({ repo: repo.dir });
    // 1 secret blob + 4 small files: 5 blobs, the copy is not read again.
    expect(res.stats.blobsScanned).toBe(5);
    // The copy at another path is still reported there.
    expect(res.report.findings.map((f) => f.file).sort()).toEqual(["a/one.js", "b/copy.js"]);
  });

  it("reports the same secret in two files as two findings with one fingerprint", async () => {
    const repo = newRepo();
    const tok = githubToken(13);
    buildHistory(repo, [{ files: { "one.js": line("a", tok), "two.py": `TOKEN = "${tok}"\n` }, message: "both", date: "2024-01-01T00:00:00Z" }], { checkout: false });
    const { findings } = await scanHistory({ repo: repo.dir });
    expect(findings.map((f) => f.file).sort()).toEqual(["one.js", "two.py"]);
    expect(findings[0]!.fingerprint).toBe(findings[1]!.fingerprint);
  });
});

describe("history: merges", () => {
  it("attributes a branch's secret to the branch commit, and content new in a merge to the merge", async () => {
    const repo = newRepo();
    const onTopic = githubToken(81);
    const inMerge = githubToken(82);
    const [, topicCommit, , merge] = buildHistory(
      repo,
      [
        { files: { "base.txt": "base\n" }, message: "base", date: "2024-01-01T00:00:00Z" },
        { branch: "topic", from: 0, files: { "topic.js": line("t", onTopic) }, message: "topic", date: "2024-01-02T00:00:00Z" },
        { files: { "main.txt": "main\n" }, message: "main", date: "2024-01-03T00:00:00Z" },
        // A merge whose result holds content neither parent had (an "evil" merge).
        { merge: ["topic"], files: { "merge-only.js": line("m", inMerge) }, message: "merge topic", date: "2024-01-04T00:00:00Z" },
      ],
      { checkout: false },
    );
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
    const [c1] = buildHistory(repo, [{ files: { "a.txt": "a\n" }, message: `fix login\n\nused ${inMsg} to test`, date: "2024-01-01T00:00:00Z" }], {
      tags: [{ name: "v1", at: 0, message: `release with ${inTag}`, date: "2024-01-02T00:00:00Z" }],
      checkout: false,
    });
    repo.gitWith(["notes", "add", "-m", `note ${inNote}`, c1], { env: { GIT_COMMITTER_DATE: "2024-01-03T00:00:00Z", GIT_AUTHOR_DATE: "2024-01-03T00:00:00Z" } });
    const notesCommit = repo.git("rev-parse", "refs/notes/commits").trim();
    const { findings } = await scanHistory({ repo: repo.dir });
    const bySource = Object.fromEntries(findings.map((f) => [f.source, f]));
    expect(Object.keys(bySource).sort()).toEqual(["commit-message", "note", "tag-message"]);
    expect(bySource["commit-message"]).toMatchObject({ secret: inMsg, commit: c1, file: "", line: 3 });
    expect(bySource["tag-message"]).toMatchObject({ secret: inTag, commit: c1, file: "", line: 1 });
    expect(bySource["note"]).toMatchObject({ secret: inNote, commit: notesCommit, file: `refs/notes/commits:${c1}`, author: "Test Author", date: "2024-01-03T00:00:00+00:00" });
  });

  it("credits a note to the notes commit that added or last changed it, not to the annotated commit; unpushed while only the branch is pushed", async () => {
    const repo = newRepo();
    const [c1, c2] = buildHistory(
      repo,
      [
        { files: { "a.txt": "a\n" }, message: "init", date: "2023-01-01T00:00:00Z", author: "Carol", email: "carol@example.test" },
        { files: { "b.txt": "b\n" }, message: "second", date: "2023-02-01T00:00:00Z", author: "Carol", email: "carol@example.test" },
      ],
      { checkout: false },
    );
    repo.git("update-ref", "refs/remotes/origin/main", c2);
    const as = (name: string, date: string): NodeJS.ProcessEnv => ({ GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: `${name.toLowerCase()}@example.test`, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: `${name.toLowerCase()}@example.test`, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    const [onC1, onC2, edited, review] = [githubToken(35), githubToken(36), githubToken(37), githubToken(38)];
    // Dave notes c1 in 2026; Erin notes c2 later, then Frank rewrites Dave's note: each note is Dave's, Erin's or Frank's.
    repo.gitWith(["notes", "add", "-m", `deploy ${onC1}`, c1], { env: as("Dave", "2026-01-01T00:00:00Z") });
    const daveCommit = repo.git("rev-parse", "refs/notes/commits").trim();
    repo.gitWith(["notes", "add", "-m", `token ${onC2}`, c2], { env: as("Erin", "2026-02-01T00:00:00Z") });
    const erinCommit = repo.git("rev-parse", "refs/notes/commits").trim();
    repo.gitWith(["notes", "append", "-m", `also ${edited}`, c1], { env: as("Frank", "2026-03-01T00:00:00Z") });
    const frankCommit = repo.git("rev-parse", "refs/notes/commits").trim();
    // The same text under another notes ref is another place.
    repo.gitWith(["notes", "--ref=review", "add", "-m", `token ${onC2}\nreview ${review}`, c2], { env: as("Gus", "2026-04-01T00:00:00Z") });
    const gusCommit = repo.git("rev-parse", "refs/notes/review").trim();

    const { findings } = await scanHistory({ repo: repo.dir });
    const notes = findings.filter((f) => f.source === "note").map((f) => ({ secret: f.secret, commit: f.commit, author: f.author, email: f.email, date: f.date, file: f.file, pushed: f.pushed }));
    const at = (secret: string, commit: string, author: string, date: string, file: string) => ({ secret, commit, author, email: `${author.toLowerCase()}@example.test`, date, file, pushed: false });
    expect(notes).toEqual(
      expect.arrayContaining([
        at(onC1, frankCommit, "Frank", "2026-03-01T00:00:00+00:00", `refs/notes/commits:${c1}`),
        at(edited, frankCommit, "Frank", "2026-03-01T00:00:00+00:00", `refs/notes/commits:${c1}`),
        at(onC2, erinCommit, "Erin", "2026-02-01T00:00:00+00:00", `refs/notes/commits:${c2}`),
        at(onC2, gusCommit, "Gus", "2026-04-01T00:00:00+00:00", `refs/notes/review:${c2}`),
        at(review, gusCommit, "Gus", "2026-04-01T00:00:00+00:00", `refs/notes/review:${c2}`),
      ]),
    );
    expect(notes).toHaveLength(5);
    expect(daveCommit).not.toBe(frankCommit);
    const locations = findings.filter((f) => f.secret === onC2).map((f) => f.location);
    expect(new Set(locations).size).toBe(2);

    // The inventory dates the note's secret from the note, not from the 2023 commit.
    const inv = await scanInventory({ repo: repo.dir, now: "2026-12-07T00:00:00Z" });
    const row = inv.rows.find((r) => r.secret === onC1);
    expect(row?.introduced).toMatchObject({ commit: frankCommit, author: "Frank", date: "2026-03-01T00:00:00+00:00" });
    expect(inv.rows.every((r) => r.introduced.date.startsWith("2026-"))).toBe(true);

    // A notes ref a remote-tracking ref reaches is pushed.
    repo.git("update-ref", "refs/remotes/origin/notes/commits", "refs/notes/commits");
    const again = (await scanHistory({ repo: repo.dir })).findings.filter((f) => f.source === "note");
    expect(again.find((f) => f.secret === onC2 && f.file.startsWith("refs/notes/commits:"))?.pushed).toBe(true);
    expect(again.find((f) => f.file.startsWith("refs/notes/review:"))?.pushed).toBe(false);
    // The text report names the note by its notes ref and the annotated commit, then the notes commit.
    const text = await runIn(repo.dir, ["history", "--no-progress"]);
    expect(text.stdout).toContain(`note refs/notes/review:${c2.slice(0, 12)} (${gusCommit.slice(0, 12)})`);
  });

  it("a note added by the first notes commit stays its author's whatever the user's log.showRoot says", async () => {
    const repo = newRepo();
    const [c1, , c3] = buildHistory(
      repo,
      [
        { files: { "a.txt": "1\n" }, message: "c1", date: "2023-01-01T00:00:00Z" },
        { files: { "a.txt": "2\n" }, message: "c2", date: "2023-01-02T00:00:00Z" },
        { files: { "a.txt": "3\n" }, message: "c3", date: "2023-01-03T00:00:00Z" },
      ],
      { checkout: false },
    );
    const as = (name: string, date: string): NodeJS.ProcessEnv => ({ GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: `${name.toLowerCase()}@example.test`, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: `${name.toLowerCase()}@example.test`, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    const token = githubToken(39);
    repo.gitWith(["notes", "add", "-m", `key ${token}`, c1], { env: as("Dave", "2024-01-01T00:00:00Z") });
    repo.gitWith(["notes", "add", "-m", "benign", c3], { env: as("Zoe", "2025-01-01T00:00:00Z") });
    repo.git("config", "log.showRoot", "false");
    const f = (await scanHistory({ repo: repo.dir })).findings.filter((x) => x.secret === token);
    expect(f.map((x) => x.author)).toEqual(["Dave"]);
  });

  it("a note stays credited to its author when git later rewrites the notes tree into fan-out folders", async () => {
    const repo = newRepo();
    const [c1] = buildHistory(repo, [{ files: { "a.txt": "a\n" }, message: "init", date: "2023-01-01T00:00:00Z" }], { checkout: false });
    const tok = githubToken(39);
    const env = { GIT_AUTHOR_NAME: "Dave", GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z", GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z" };
    repo.gitWith(["notes", "add", "-m", `deploy ${tok}`, c1], { env });
    const dave = repo.git("rev-parse", "refs/notes/commits").trim();
    // 300 notes in one commit: git moves every note, Dave's too, under two-digit folders.
    for (let i = 0; i < 300; i++) repo.write(`blobs/${i}`, `${i}\n`);
    const oids = repo.gitWith(["hash-object", "-w", "--stdin-paths"], { input: Array.from({ length: 300 }, (_, i) => `blobs/${i}`).join("\n") + "\n" }).trim().split("\n");
    const other = repo.gitWith(["hash-object", "-w", "--stdin"], { input: "a plain note\n" }).trim();
    repo.gitWith(["notes", "add", "-C", other, oids[0]!], { env: { GIT_AUTHOR_NAME: "Erin" } });
    repo.gitWith(["notes", "copy", "--stdin"], { input: oids.slice(1).map((o) => `${oids[0]} ${o}`).join("\n") + "\n", env: { GIT_AUTHOR_NAME: "Erin" } });
    expect(repo.git("ls-tree", "--name-only", "refs/notes/commits")).not.toContain(c1);
    const note = (await scanHistory({ repo: repo.dir })).findings.find((f) => f.source === "note");
    expect(note).toMatchObject({ secret: tok, commit: dave, author: "Dave", file: `refs/notes/commits:${c1}` });
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
  // One repository for the describe: its tests only read it.
  let shared: { repo: TestRepo; main1: string; feat: string; tokMain: string; tokFeat: string; tokLate: string };
  beforeAll(() => {
    const repo = new TestRepo();
    const tokMain = githubToken(41);
    const tokFeat = githubToken(42);
    const tokLate = githubToken(43);
    const [main1, feat] = buildHistory(repo, [
      { files: { "m.js": line("m", tokMain) }, message: "m1", date: "2023-01-01T00:00:00Z" },
      { branch: "feature", from: 0, files: { "f.js": line("f", tokFeat) }, message: "f1", date: "2023-06-01T00:00:00Z" },
      { files: { "late.js": line("l", tokLate) }, message: "m2", date: "2024-06-01T00:00:00Z" },
    ]);
    shared = { repo, main1, feat, tokMain, tokFeat, tokLate };
  });
  afterAll(() => shared.repo.remove());
  const threeBranches = (): typeof shared => shared;

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
    buildHistory(repo, [
      { files: { "old.js": line("o", tokOld) }, message: "old", date: "2023-01-01T00:00:00Z" },
      { files: { "new.js": line("n", tokNew) }, message: "new", date: "2024-01-01T00:00:00Z" },
    ]);
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
    // The inventory says so too: in its data, on stderr for a data format, in the text view.
    const inv = await scanInventory({ repo: dir });
    expect((inv.warnings ?? []).join("\n")).toMatch(/^shallow clone: history before/m);
    const json = await runIn(dir, ["inventory", "--format", "json"]);
    expect(json.stderr).toMatch(/shallow clone: history before/);
    expect((await runIn(dir, ["inventory"])).stdout).toMatch(/warning: shallow clone: history before/);
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
    const [subSha] = buildHistory(sub, [{ files: { "s.txt": "s\n" }, message: "sub", date: "2024-01-01T00:00:00Z" }], { checkout: false });
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
    buildHistory(repo, [{ files: { "big.js": line("t", githubToken(55)) + "x".repeat(5000), "small.js": "s\n" }, message: "sizes", date: "2024-01-01T00:00:00Z" }], { checkout: false });
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
    buildHistory(repo, [{ files: Object.fromEntries(names.map((n, i) => [n, line("t", githubToken(60 + i))])), message: "odd", date: "2024-01-01T00:00:00Z" }], { checkout: false });
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
    buildHistory(repo, [{ files: { "a.txt": "a\n", "b.txt": "b\n", "s.js": line("s", githubToken(71)) }, message: "one", date: "2024-01-01T00:00:00Z" }], { checkout: false });
    const first = await scanHistory({ repo: repo.dir, cacheDir: cache });
    expect(first.history.blobsScanned).toBe(3);
    buildHistory(repo, [{ files: { "c.txt": "c\n" }, message: "two", date: "2024-01-02T00:00:00Z" }], { checkout: false });
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

describe("fingerprints in a shallow clone", () => {
  it("do not move with the shallow boundary: two depth-1 clones of different tips give one fingerprint", async () => {
    const repo = new TestRepo();
    const dirs: string[] = [];
    try {
      const token = githubToken(57);
      buildHistory(repo, [
        { files: { "a.txt": "a\n" }, message: "init", date: "2024-01-01T00:00:00Z" },
        { files: { "fixture.cfg": line("t", token) }, message: "fixture", date: "2024-01-02T00:00:00Z" },
      ]);
      const fingerprints: string[] = [];
      for (const n of [1, 2]) {
        if (n === 2) commitAs(repo.write("more.txt", "m\n").add(), "more", "2024-01-03T00:00:00Z");
        const dir = mkdtempSync(join(tmpdir(), "lg-shallow-"));
        dirs.push(dir);
        execFileSync("git", ["clone", "-q", "--depth", "1", `file://${repo.dir}`, join(dir, "c")], { env: GIT_TEST_ENV });
        const res = await runIn(join(dir, "c"), ["scan", ".", "--format", "json"]);
        fingerprints.push(...(JSON.parse(res.stdout) as { findings: Array<{ fingerprint: string }> }).findings.map((f) => f.fingerprint));
      }
      expect(fingerprints).toHaveLength(2);
      expect(fingerprints[0]).toBe(fingerprints[1]);
    } finally {
      repo.remove();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("fingerprints in a shallow bare clone inside a work tree", () => {
  it("do not follow the tip either (the outer work tree's .git is another repository's)", async () => {
    const outer = new TestRepo();
    const repo = new TestRepo();
    try {
      buildHistory(repo, [
        { files: { "a.txt": "a\n" }, message: "init", date: "2024-01-01T00:00:00Z" },
        { files: { "fixture.cfg": line("t", githubToken(58)) }, message: "fixture", date: "2024-01-02T00:00:00Z" },
        { files: { "b.txt": "b\n" }, message: "more", date: "2024-01-03T00:00:00Z" },
      ]);
      const fingerprints: string[] = [];
      for (const depth of ["1", "2"]) {
        const dir = join(outer.dir, `bare-${depth}.git`);
        execFileSync("git", ["clone", "-q", "--bare", "--depth", depth, `file://${repo.dir}`, dir], { env: GIT_TEST_ENV });
        const report = await scanHistory({ repo: dir });
        fingerprints.push(...report.findings.map((f) => f.fingerprint));
      }
      expect(fingerprints).toHaveLength(2);
      expect(fingerprints[0]).toBe(fingerprints[1]);
    } finally {
      repo.remove();
      outer.remove();
    }
  });
});
