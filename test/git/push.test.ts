/**
 * `leakguard push` and the pre-push hook, with a bare remote in a temporary
 * folder and real `git push` runs firing the installed hook.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { gitState } from "../helpers/git-state.js";
import { GitTrace } from "../helpers/git-trace.js";
import { removeTempFolders } from "../helpers/temp-folder.js";
import { buildHistory } from "../helpers/history-fixture.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

interface JsonOut {
  findings: Array<{ ruleId: string; file: string; line: number; source: string; commit?: string; author?: string; email?: string; date?: string; message?: string; pushed?: boolean }>;
  summary: { commits?: number };
}

/** A local repository with a bare `origin` and the pre-push hook installed. */
async function setup(): Promise<{ local: TestRepo; remote: TestRepo }> {
  const remote = new TestRepo({ bare: true });
  const local = new TestRepo();
  repos.push(remote, local);
  local.git("remote", "add", "origin", remote.dir);
  expect((await runIn(local.dir, ["hook", "install", "--type", "pre-push"])).code).toBe(0);
  return { local, remote };
}

function gitPush(r: TestRepo, ...args: string[]): { code: number; stderr: string } {
  const res = spawnSync("git", ["push", ...args], { cwd: r.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1" }, encoding: "utf8" });
  return { code: res.status ?? -1, stderr: res.stderr + res.stdout };
}

const remoteHas = (remote: TestRepo, ref: string): boolean =>
  spawnSync("git", ["rev-parse", "-q", "--verify", ref], { cwd: remote.dir, env: GIT_TEST_ENV }).status === 0;

describe("pre-push hook", { timeout: 120_000 }, () => {
  it("blocks a new branch whose commits hold a secret; a clean one goes through, its base's old secret (on the remote) not scanned again", async () => {
    const { local, remote } = await setup();
    // The branches pushed below, made at once (a push reads refs, not the work tree).
    buildHistory(
      local,
      [
        { files: { "old.txt": `t=${githubToken(52)}\n` }, message: "old secret", date: "2024-01-01T00:00:00Z" },
        { branch: "feature", from: 0, files: { "creds.env": `AWS_ACCESS_KEY_ID=${awsKeyId(51)}\n` }, message: "add creds", date: "2024-01-02T00:00:00Z" },
        { branch: "feature", files: { "creds.env": "AWS_ACCESS_KEY_ID=\n" }, message: "remove creds again", date: "2024-01-03T00:00:00Z" }, // still in history: the push sends it
        { branch: "clean", from: 0, files: { "docs.md": "docs\n" }, message: "docs", date: "2024-01-04T00:00:00Z" },
      ],
      { checkout: false },
    );
    // The remote has main (and its old secret) already.
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    expect(remoteHas(remote, "refs/heads/main")).toBe(true);

    const blocked = gitPush(local, "origin", "feature");
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain("creds.env");
    expect(blocked.stderr).not.toContain("old.txt");
    expect(blocked.stderr).toContain("git push --no-verify");
    expect(remoteHas(remote, "refs/heads/feature")).toBe(false);

    // Only what the new branch adds beyond the remote's branches is scanned: main's old secret does not block it.
    const clean = gitPush(local, "-q", "origin", "clean");
    expect(clean.code, clean.stderr).toBe(0);
    expect(remoteHas(remote, "refs/heads/clean")).toBe(true);
  });

  it("chains an existing pre-push hook and hands it git's ref lines", async () => {
    const { local } = await setup();
    const dir = local.git("rev-parse", "--path-format=absolute", "--git-path", "hooks").trim();
    // Replace our hook with a foreign one, then install again with --chain.
    expect((await runIn(local.dir, ["hook", "uninstall", "--type", "pre-push"])).code).toBe(0);
    writeFileSync(join(dir, "pre-push"), '#!/bin/sh\necho "$1" > "$(git rev-parse --git-dir)/theirs-args"\ncat > "$(git rev-parse --git-dir)/theirs-stdin"\n', { mode: 0o755 });
    expect((await runIn(local.dir, ["hook", "install", "--type", "pre-push", "--chain"])).code).toBe(0);
    const [c] = buildHistory(local, [{ files: { "a.txt": "a\n" }, message: "root", date: "2024-01-01T00:00:00Z" }], { checkout: false });
    expect(gitPush(local, "-q", "origin", "main").code).toBe(0);
    expect(readFileSync(join(local.dir, ".git", "theirs-args"), "utf8")).toBe("origin\n");
    expect(readFileSync(join(local.dir, ".git", "theirs-stdin"), "utf8")).toBe(`refs/heads/main ${c} refs/heads/main ${"0".repeat(40)}\n`);
  });

  it("scans an update range and blocks it; deleting a branch is not scanned", async () => {
    const { local, remote } = await setup();
    buildHistory(
      local,
      [
        { files: { "a.txt": "a\n" }, message: "root", date: "2024-01-01T00:00:00Z" },
        { branch: "old", from: 0, files: { "leak.txt": `t=${githubToken(53)}\n` }, message: "leak", date: "2024-01-02T00:00:00Z" },
      ],
      { checkout: false },
    );
    expect(gitPush(local, "-q", "--no-verify", "origin", "main", "old").code).toBe(0);

    buildHistory(local, [{ files: { "b.txt": "b\n" }, message: "clean update", date: "2024-01-03T00:00:00Z" }], { checkout: false });
    expect(gitPush(local, "-q", "origin", "main").code).toBe(0);
    buildHistory(local, [{ files: { "c.txt": `c=${awsKeyId(54)}\n` }, message: "leaky update", date: "2024-01-04T00:00:00Z" }], { checkout: false });
    const before = remote.git("rev-parse", "main").trim();
    expect(gitPush(local, "origin", "main").code).not.toBe(0);
    expect(remote.git("rev-parse", "main").trim()).toBe(before);

    expect(gitPush(local, "-q", "origin", "--delete", "old").code).toBe(0);
    expect(remoteHas(remote, "refs/heads/old")).toBe(false);
  });
});

describe("leakguard push", { timeout: 120_000 }, () => {
  it("reads pre-push lines: findings carry commit, author, email, date, message, pushed=false", async () => {
    const { local } = await setup();
    const [root, leak] = buildHistory(
      local,
      [
        { files: { "a.txt": "a\n" }, message: "root", date: "2024-01-02T03:04:05Z" },
        { files: { "cfg/k.txt": `one\nk = ${githubToken(55)}\n` }, message: "add key", date: "2024-02-03T04:05:06Z" },
      ],
      { checkout: false },
    );
    const zero = "0".repeat(40);
    const input = `refs/heads/main ${leak} refs/heads/main ${zero}\n`;
    const res = await runIn(local.dir, ["push", "--format", "json", "--remote", "origin"], { input });
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout) as JsonOut;
    expect(out.summary.commits).toBe(2); // root commit scanned too, against the empty tree
    const f = out.findings[0]!;
    expect([f.file, f.line, f.ruleId, f.commit, f.author, f.email, f.message, f.pushed]).toEqual([
      "cfg/k.txt",
      2,
      "github-pat",
      leak,
      "Test Author",
      "author@example.test",
      "add key",
      false,
    ]);
    expect(f.date).toMatch(/^2024-02-03T04:05:06/);
    // Only the range remote..local once the remote has the root.
    const upd = await runIn(local.dir, ["push", "--format", "json"], { input: `refs/heads/main ${leak} refs/heads/main ${root}\n` });
    expect((JSON.parse(upd.stdout) as JsonOut).summary.commits).toBe(1);
    // A deletion line scans nothing.
    const del = await runIn(local.dir, ["push", "--format", "json"], { input: `(delete) ${zero} refs/heads/main ${leak}\n` });
    expect([del.code, (JSON.parse(del.stdout) as JsonOut).summary.commits]).toEqual([0, 0]);
  });

  it("scans a RANGE argument, commit messages included", async () => {
    const { local } = await setup();
    const [a, b] = buildHistory(
      local,
      [
        { files: { "a.txt": "a\n" }, message: "root", date: "2024-01-01T00:00:00Z" },
        { files: { "b.txt": "b\n" }, message: `ci: set token\n\ntoken was ${githubToken(56)}`, date: "2024-01-02T00:00:00Z" },
      ],
      { checkout: false },
    );
    const res = await runIn(local.dir, ["push", "--format", "json", `${a}..${b}`]);
    expect(res.code).toBe(1);
    const f = (JSON.parse(res.stdout) as JsonOut).findings[0]!;
    expect([f.source, f.file, f.line, f.commit]).toEqual(["commit-message", "", 3, b]);
    expect((await runIn(local.dir, ["push", `${b}..${b}`])).code).toBe(0);
    expect((await runIn(local.dir, ["push", "--bogus..range"])).code).toBe(2);
    expect((await runIn(local.dir, ["push", "nope..nada"])).code).toBe(2);
  });

  it("marks findings of a RANGE that the remote already has as pushed", async () => {
    const { local } = await setup();
    const [a, a2] = buildHistory(
      local,
      [
        { files: { "a.txt": "a\n" }, message: "root", date: "2024-01-01T00:00:00Z" },
        { files: { "a2.txt": `a=${githubToken(59)}\n` }, message: "pushed secret", date: "2024-01-02T00:00:00Z" },
      ],
      { checkout: false },
    );
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    const [b] = buildHistory(local, [{ files: { "b.txt": `b=${awsKeyId(60)}\n` }, message: "local only", date: "2024-01-03T00:00:00Z" }], { checkout: false });
    const range = await runIn(local.dir, ["push", "--format", "json", `${a}..${b}`]);
    const found = (JSON.parse(range.stdout) as JsonOut).findings.map((f) => [f.commit, f.pushed]);
    expect(found.sort()).toEqual([[a2, true], [b, false]].sort());
    // One revision: only its commits that no remote has.
    const one = await runIn(local.dir, ["push", "--format", "json", b]);
    expect((JSON.parse(one.stdout) as JsonOut).findings.map((f) => [f.commit, f.pushed])).toEqual([[b, false]]);
  });

  it("takes the pre-commit framework's range as commits about to be pushed: no remote is asked, none is marked pushed", async () => {
    const { local } = await setup();
    const [a, b] = buildHistory(
      local,
      [
        { files: { "a.txt": "a\n" }, message: "root", date: "2024-01-01T00:00:00Z" },
        { files: { "b.txt": `b=${githubToken(61)}\n` }, message: "leak", date: "2024-01-02T00:00:00Z" },
      ],
      { checkout: false },
    );
    // The remote already has them: a RANGE argument would mark the finding pushed.
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    const trace = new GitTrace();
    try {
      const res = await runIn(local.dir, ["push", "--format", "json"], { env: { PRE_COMMIT_FROM_REF: a!, PRE_COMMIT_TO_REF: b! } });
      expect((JSON.parse(res.stdout) as JsonOut).findings.map((f) => [f.commit, f.pushed])).toEqual([[b, false]]);
      expect(trace.commands().filter((c) => c.includes("--remotes")), trace.commands().join("\n")).toEqual([]);
    } finally {
      trace.stop();
      removeTempFolders();
    }
    const given = await runIn(local.dir, ["push", "--format", "json", `${a}..${b}`]);
    expect((JSON.parse(given.stdout) as JsonOut).findings.map((f) => [f.commit, f.pushed])).toEqual([[b, true]]);
  });

  it("reports only a renamed file's added lines, per commit", async () => {
    const { local } = await setup();
    const [a, b] = buildHistory(
      local,
      [
        { files: { "x.txt": `k=${githubToken(57)}\n` }, message: "x", date: "2024-01-01T00:00:00Z" },
        { moves: { "x.txt": "y.txt" }, message: "rename", date: "2024-01-02T00:00:00Z" },
      ],
      { checkout: false },
    );
    const res = await runIn(local.dir, ["push", "--format", "json", `${a}..${b}`]);
    expect(res.code).toBe(0);
  });

  it("changes nothing: index, working tree, refs, hooks", async () => {
    const { local } = await setup();
    local.commitFiles({ "a.txt": `a=${awsKeyId(58)}\n` }, "root");
    local.write("b.txt", "staged\n").add();
    local.write("a.txt", "edited\n");
    const before = gitState(local);
    const head = local.head();
    expect((await runIn(local.dir, ["push", "--remote", "origin"], { input: `refs/heads/main ${head} refs/heads/main ${"0".repeat(40)}\n` })).code).toBe(1);
    expect((await runIn(local.dir, ["staged"])).code).toBe(0);
    expect(gitState(local)).toEqual(before);
  });
});

describe("push without a range, and ranges that name no commit", { timeout: 120_000 }, () => {
  it("empty stdin that is not a terminal (CI, a script, a hook manager) scans HEAD's unpushed commits; with --remote (the hook) it is git's 'nothing to push'", async () => {
    const { local } = await setup();
    local.commitFiles({ "README.md": "hello\n" }, "init");
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    local.commitFiles({ "creds.env": `AWS_ACCESS_KEY_ID=${awsKeyId(61)}\n` }, "add creds");
    const bare = await runIn(local.dir, ["push", "--format", "json"], { input: "" });
    expect(bare.code).toBe(1);
    expect(bare.stderr).not.toMatch(/no commits to scan/);
    expect((JSON.parse(bare.stdout) as JsonOut).findings.map((f) => f.file)).toEqual(["creds.env"]);
    const hook = await runIn(local.dir, ["push", "--format", "json", "--remote", "origin"], { input: "\n" });
    expect(hook.code).toBe(0);
    expect((JSON.parse(hook.stdout) as JsonOut).summary.commits).toBe(0);
    // Once pushed, a run that names nothing says it scanned nothing (a CI job without a range).
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    const none = await runIn(local.dir, ["push"], { input: "" });
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no commits to scan: no RANGE was given/);
  });

  it("a RANGE whose end is not a commit ('.', a typo) is exit 2 with one line, not a pass over no commits", async () => {
    const { local } = await setup();
    local.commitFiles({ "creds.env": `AWS_ACCESS_KEY_ID=${awsKeyId(62)}\n` }, "add creds");
    for (const range of [".", "HEAD..nosuchbranch", "nosuch"]) {
      const res = await runIn(local.dir, ["push", range]);
      expect(res.code, range).toBe(2);
      expect(res.stderr, range).toMatch(/is not a commit of this repository/);
    }
    expect((await runIn(local.dir, ["push", "HEAD"])).code).toBe(1);
  });

  it("a fast-forward to a branch the remote already has sends nothing new: not reported again", async () => {
    const { local } = await setup();
    local.commitFiles({ "README.md": "hello\n" }, "init");
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    local.git("checkout", "-q", "-b", "feature");
    local.commitFiles({ "creds.env": `AWS_ACCESS_KEY_ID=${awsKeyId(63)}\n` }, "add creds");
    expect(gitPush(local, "-q", "--no-verify", "origin", "feature").code).toBe(0);
    local.git("checkout", "-q", "main");
    local.git("merge", "-q", "--ff-only", "feature");
    const res = gitPush(local, "origin", "main");
    expect(res.code, res.stderr).toBe(0);
  });
});

describe("tags and refs that name no commit", { timeout: 120_000 }, () => {
  it("blocks an annotated tag whose message holds a key and a lightweight tag on a blob that holds one; a clean annotated tag goes through, a tag the remote has is not scanned again", async () => {
    const { local, remote } = await setup();
    local.commitFiles({ "README.md": "hello\n" }, "init");
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);

    local.gitWith(["tag", "-a", "v1", "-F", "-"], { input: `release\n\ndeploy token ${githubToken(70)}\n` });
    const tagged = gitPush(local, "origin", "v1");
    expect(tagged.code, tagged.stderr).not.toBe(0);
    expect(tagged.stderr).toMatch(/tag-message|tag message/);
    expect(remoteHas(remote, "refs/tags/v1")).toBe(false);

    const blob = local.gitWith(["hash-object", "-w", "--stdin"], { input: `AWS_ACCESS_KEY_ID=${awsKeyId(71)}\n` }).trim();
    local.git("tag", "keys", blob);
    const onBlob = gitPush(local, "origin", "keys");
    expect(onBlob.code, onBlob.stderr).not.toBe(0);
    expect(onBlob.stderr).toContain("refs/tags/keys");
    expect(remoteHas(remote, "refs/tags/keys")).toBe(false);

    local.gitWith(["tag", "-a", "v2", "-F", "-"], { input: "release 2\n" });
    const clean = gitPush(local, "-q", "origin", "v2");
    expect(clean.code, clean.stderr).toBe(0);
    expect(remoteHas(remote, "refs/tags/v2")).toBe(true);

    // Once the remote has v1 (pushed past the hook), pushing every tag sends only the new one: v1 is not scanned again.
    expect(gitPush(local, "-q", "--no-verify", "origin", "v1").code).toBe(0);
    local.git("tag", "-d", "keys");
    local.gitWith(["tag", "-a", "v3", "-F", "-"], { input: "release 3\n" });
    const all = gitPush(local, "-q", "origin", "--tags");
    expect(all.code, all.stderr).toBe(0);
    expect(remoteHas(remote, "refs/tags/v3")).toBe(true);
  });

  it("reports a tag message as history does (source tag-message, commit = the tagged commit), a tree's blobs under <ref>:<path>, and an annotated RANGE end's message", async () => {
    const { local } = await setup();
    const head = local.commitFiles({ "README.md": "hello\n" }, "init");
    local.gitWith(["tag", "-a", "v1", "-F", "-"], { input: `release\n\ndeploy token ${githubToken(72)}\n` });
    const tagOid = local.git("rev-parse", "v1").trim();
    const zero = "0".repeat(40);
    const res = await runIn(local.dir, ["push", "--format", "json", "--remote", "origin"], { input: `refs/tags/v1 ${tagOid} refs/tags/v1 ${zero}\n` });
    expect(res.code).toBe(1);
    const f = (JSON.parse(res.stdout) as JsonOut).findings;
    expect(f.map((x) => [x.source, x.file, x.line, x.commit, x.pushed])).toEqual([["tag-message", "", 3, head, false]]);
    expect(f[0]!.message).toMatch(/^release\n\ndeploy token /);
    // The remote ref naming this tag already: nothing to scan.
    const same = await runIn(local.dir, ["push", "--format", "json", "--remote", "origin"], { input: `refs/tags/v1 ${tagOid} refs/tags/v1 ${tagOid}\n` });
    expect(same.code).toBe(0);

    // A ref naming a tree: its blobs, named <ref>:<path>.
    local.write("sub/k.env", `AWS_ACCESS_KEY_ID=${awsKeyId(73)}\n`).add();
    const tree = local.git("write-tree").trim();
    const onTree = await runIn(local.dir, ["push", "--format", "json", "--remote", "origin"], { input: `${tree} ${tree} refs/tags/t ${zero}\n` });
    expect(onTree.code).toBe(1);
    expect((JSON.parse(onTree.stdout) as JsonOut).findings.map((x) => [x.file, x.line])).toEqual([["refs/tags/t:sub/k.env", 1]]);

    // RANGE: an end that is an annotated tag has its message scanned too.
    const range = await runIn(local.dir, ["push", "--format", "json", `${head}..v1`]);
    expect(range.code).toBe(1);
    expect((JSON.parse(range.stdout) as JsonOut).findings.map((x) => [x.source, x.commit])).toEqual([["tag-message", head]]);
  });
});

describe("merge commits: a line is added by a merge only when none of its parents has it", { timeout: 120_000 }, () => {
  it("a --no-ff merge of a branch the remote already has is not reported again on the merge commit", async () => {
    const { local } = await setup();
    local.commitFiles({ "README.md": "hello\n" }, "init");
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    local.git("checkout", "-q", "-b", "feature");
    local.commitFiles({ "creds.env": `AWS_ACCESS_KEY_ID=${awsKeyId(80)}\n` }, "add creds");
    expect(gitPush(local, "-q", "--no-verify", "origin", "feature").code).toBe(0);
    local.git("checkout", "-q", "main");
    local.commitFiles({ "docs.md": "docs\n" }, "docs");
    local.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature");
    const res = gitPush(local, "origin", "main");
    expect(res.code, res.stderr).toBe(0);
  });

  it("an evil merge (its conflict resolution adds a key that is in neither parent) is reported on the merge commit, once", async () => {
    const { local } = await setup();
    local.commitFiles({ "cfg.txt": "a\nkey=\nz\n" }, "init");
    expect(gitPush(local, "-q", "--no-verify", "origin", "main").code).toBe(0);
    local.git("checkout", "-q", "-b", "side");
    local.commitFiles({ "cfg.txt": "a\nkey=one\nz\n" }, "one");
    local.git("checkout", "-q", "main");
    local.commitFiles({ "cfg.txt": "a\nkey=two\nz\n", "other.txt": "x\n" }, "two");
    expect(spawnSync("git", ["merge", "-q", "side"], { cwd: local.dir, env: GIT_TEST_ENV }).status).not.toBe(0); // the conflict
    local.write("cfg.txt", `a\nkey=${githubToken(81)}\nz\n`).add();
    const merge = local.commit("merge side");
    const base = local.git("rev-parse", "HEAD~1~1").trim();
    const res = await runIn(local.dir, ["push", "--format", "json", "--remote", "origin"], { input: `refs/heads/main ${merge} refs/heads/main ${base}\n` });
    expect(res.code).toBe(1);
    expect((JSON.parse(res.stdout) as JsonOut).findings.map((f) => [f.file, f.line, f.commit])).toEqual([["cfg.txt", 2, merge]]);
    expect(gitPush(local, "origin", "main").code).not.toBe(0);
  });
});
