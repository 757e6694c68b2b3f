/**
 * `leakguard staged` against real repositories: it scans the index (what the
 * commit records), added lines only, across every kind of staged change.
 */
import { chmodSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fingerprintOf, scanStaged } from "../../src/index.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { gitState } from "../helpers/git-state.js";
import { awsKeyId, githubToken, randomToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  return r;
}

interface JsonOut {
  findings: Array<{ ruleId: string; file: string; line: number; column: number; source: string; author?: string; email?: string; commit?: string; secret: string; fingerprint: string }>;
  summary: { findings: number; skipped: Record<string, number>; files: number };
}

async function staged(r: TestRepo, ...args: string[]): Promise<{ code: number; out: JsonOut; stderr: string }> {
  const res = await runIn(r.dir, ["staged", "--format", "json", ...args]);
  if (res.code === 2) throw new Error(`staged failed: ${res.stderr}`);
  return { code: res.code, out: JSON.parse(res.stdout) as JsonOut, stderr: res.stderr };
}

const where = (o: JsonOut): string[] => o.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`);

describe("leakguard staged", { timeout: 120_000 }, () => {
  it("reports a staged secret with the would-be author and no commit; guidance goes to stderr", async () => {
    const r = repo();
    r.commitFiles({ "README.md": "hello\n" }, "init");
    r.write("config.js", `const a = 1;\nconst token = "${githubToken(11)}";\n`).add();
    const { code, out, stderr } = await staged(r);
    expect(code).toBe(1);
    expect(where(out)).toEqual(["config.js:2:github-pat"]);
    const f = out.findings[0]!;
    expect(f.author).toBe("Test Author");
    expect(f.email).toBe("author@example.test");
    expect(f.commit).toBeUndefined();
    expect(f.source).toBe("file");
    expect(JSON.stringify(out)).not.toContain(githubToken(11));
    expect(stderr).toContain("commit blocked");
    expect(stderr).toContain("git restore --staged");
    expect(stderr).toContain("leakguard:allow");
    expect(stderr).toContain("git commit --no-verify");
  });

  it("scans the index, not the working tree (partial staging)", async () => {
    const r = repo();
    r.commitFiles({ "app.py": "x = 1\n" }, "init");
    // Staged part clean, secret only in the unstaged edit: not reported.
    r.write("app.py", "x = 1\ny = 2\n").add("app.py");
    r.write("app.py", `x = 1\ny = 2\nkey = "${awsKeyId(5)}"\n`);
    expect((await staged(r)).code).toBe(0);
    // Secret staged, then removed from the working tree only: reported.
    r.add("app.py");
    r.write("app.py", "x = 1\ny = 2\n");
    const { code, out } = await staged(r);
    expect(code).toBe(1);
    expect(where(out)).toEqual(["app.py:3:aws-access-key-id"]);
  });

  it("reports only added lines; --all-lines scans whole staged files", async () => {
    const r = repo();
    r.write("settings.ini", `[a]\ntoken = ${githubToken(12)}\nname = x\n`).add();
    r.commit("old secret", { noVerify: true });
    r.write("settings.ini", `[a]\ntoken = ${githubToken(12)}\nname = y\n`).add();
    expect((await staged(r)).code).toBe(0);
    const all = await staged(r, "--all-lines");
    expect(all.code).toBe(1);
    expect(where(all.out)).toEqual(["settings.ini:2:github-pat"]);
  });

  it("gives the same fingerprint as a scan salted with the root commit", async () => {
    const r = repo();
    const root = r.commitFiles({ "a.txt": "a\n" }, "root");
    r.write("b.txt", `t=${githubToken(13)}\n`).add();
    const { out } = await staged(r);
    expect(out.findings[0]!.fingerprint).toBe(fingerprintOf("github-pat", githubToken(13), root));
    expect(out.findings[0]!.fingerprint).not.toBe(fingerprintOf("github-pat", githubToken(13)));
  });

  it("reports only the added lines of a renamed file, under its new path", async () => {
    const r = repo();
    r.write("old name.txt", `line1\nold = ${githubToken(14)}\n`).add();
    r.commit("old", { noVerify: true });
    r.git("mv", "old name.txt", "new name.txt");
    expect((await staged(r)).code).toBe(0); // pure rename: nothing added
    r.write("new name.txt", `line1\nold = ${githubToken(14)}\nnew = ${awsKeyId(15)}\n`).add();
    const { out } = await staged(r);
    expect(where(out)).toEqual(["new name.txt:3:aws-access-key-id"]);
  });

  it("passes deletions and mode-only changes", async () => {
    const r = repo();
    r.write("gone.txt", `t=${githubToken(16)}\n`).write("run.sh", `t=${githubToken(17)}\n`).add();
    r.commit("secrets", { noVerify: true });
    r.git("rm", "-q", "gone.txt");
    chmodSync(join(r.dir, "run.sh"), 0o755);
    r.add("run.sh");
    expect(r.git("diff", "--cached", "--name-status")).toContain("run.sh");
    const { code, out } = await staged(r);
    expect(code).toBe(0);
    expect(out.findings).toEqual([]);
  });

  it("skips and counts binary files, symlinks and submodules", async () => {
    const r = repo();
    r.commitFiles({ "a.txt": "a\n" }, "init");
    r.write("blob.bin", Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`t=${githubToken(18)}\n`)]));
    symlinkSync(`t=${githubToken(19)}`, join(r.dir, "link"));
    r.add();
    const sub = r.head();
    r.git("update-index", "--add", "--cacheinfo", `160000,${sub},vendor/sub`);
    const { code, out } = await staged(r);
    expect(code).toBe(0);
    expect(out.summary.skipped).toEqual({ binary: 1, symlink: 1, submodule: 1 });
  });

  it("handles paths with spaces, a newline, unicode and a leading dash", async () => {
    const r = repo();
    r.commitFiles({ "a.txt": "a\n" }, "init");
    const names = ["dir with space/a b.txt", "new\nline.txt", "ünïcødé/ファイル.txt", "-dash.txt", "--all-lines"];
    names.forEach((n, i) => r.write(n, `k = ${githubToken(20 + i)}\n`));
    r.add();
    const { code, out } = await staged(r);
    expect(code).toBe(1);
    expect(out.findings.map((f) => f.file).sort()).toEqual([...names].sort());
  });

  it("works on the first commit of a repository", async () => {
    const r = repo();
    r.write("clean.txt", "nothing here\n").add();
    expect((await staged(r)).code).toBe(0);
    r.write("first.env", `AWS_ACCESS_KEY_ID=${awsKeyId(30)}\n`).add();
    const { code, out } = await staged(r);
    expect(code).toBe(1);
    expect(where(out)).toEqual(["first.env:1:aws-access-key-id"]);
  });

  it("scans what a merge in progress brings in, against HEAD", async () => {
    const r = repo();
    r.commitFiles({ "base.txt": "base\n" }, "base");
    r.git("checkout", "-q", "-b", "feature");
    r.write("feature.txt", `f = ${githubToken(31)}\n`).add();
    r.commit("feature secret", { noVerify: true });
    r.git("checkout", "-q", "main");
    r.commitFiles({ "main.txt": "main\n" }, "main work");
    r.git("merge", "--no-ff", "--no-commit", "-q", "feature");
    expect(r.git("rev-parse", "-q", "--verify", "MERGE_HEAD").trim()).toMatch(/^[0-9a-f]{40}$/);
    const { code, out } = await staged(r);
    expect(code).toBe(1);
    expect(where(out)).toEqual(["feature.txt:1:github-pat"]);
  });

  it("runs from a subfolder and reports root-relative paths", async () => {
    const r = repo();
    r.commitFiles({ "src/a.txt": "a\n" }, "init");
    r.write("src/deep/b.txt", `b = ${githubToken(32)}\n`).add();
    const res = await runIn(join(r.dir, "src"), ["staged", "--format", "json"]);
    expect(res.code).toBe(1);
    expect((JSON.parse(res.stdout) as JsonOut).findings[0]!.file).toBe("src/deep/b.txt");
  });

  it("honours inline allow markers", async () => {
    const r = repo();
    r.write("t.js", `const t = "${githubToken(33)}"; // leakguard:allow test fixture\n`).add();
    expect((await staged(r)).code).toBe(0);
  });

  it("finds a multi-line secret when an added line touches it", async () => {
    const r = repo();
    r.write(
      ".leakguard.toml",
      [
        "[[rules]]",
        'id = "test-multiline-key"',
        'description = "multi-line test key"',
        "regex = '''-----BEGIN TEST KEY-----\\n[A-Za-z0-9+/=\\n]{20,400}-----END TEST KEY-----'''",
        'keywords = ["begin test key"]',
        "",
      ].join("\n"),
    );
    const key = (mid: string): string => `-----BEGIN TEST KEY-----\n${randomToken(40, 60)}\n${mid}\n${randomToken(40, 62)}\n-----END TEST KEY-----\n`;
    r.write("id_test", `header\n${key(randomToken(40, 61))}`).add();
    r.commit("key", { noVerify: true });
    // Only the key's middle line changes: the match spans lines 2-6 and touches added line 4.
    r.write("id_test", `header\n${key(randomToken(40, 63))}`).add();
    const { code, out } = await staged(r);
    expect(code).toBe(1);
    expect(out.findings.map((f) => [f.ruleId, f.line])).toEqual([["test-multiline-key", 2]]);
    // A change elsewhere in the file does not touch it.
    r.commit("key 2", { noVerify: true });
    r.write("id_test", `header changed\n${key(randomToken(40, 63))}`).add();
    expect((await staged(r)).code).toBe(0);
  });

  it("leaves index, working tree, refs and hooks as they were", async () => {
    const r = repo();
    r.commitFiles({ "a.txt": "a\n" }, "init");
    r.write("s.txt", `s = ${githubToken(38)}\n`).add();
    r.write("a.txt", "unstaged edit\n");
    r.write("untracked.txt", "u\n");
    const before = gitState(r);
    expect((await staged(r)).code).toBe(1);
    expect((await staged(r, "--all-lines")).code).toBe(1);
    expect(gitState(r)).toEqual(before);
  });

  // The scan is prepared (config loaded, rules compiled) while git lists the staged changes,
  // for the root the file system shows: what git then says decides, as before.
  it("on the first commit, fingerprints keep the default salt (no root commit yet)", async () => {
    const r = repo();
    r.write("first.env", `AWS_ACCESS_KEY_ID=${awsKeyId(31)}\n`).add();
    const { out } = await staged(r);
    const f = out.findings.find((x) => x.ruleId === "aws-access-key-id")!;
    const raw = await scanStaged({ cwd: r.dir });
    expect(f.fingerprint).toBe(fingerprintOf("aws-access-key-id", raw.findings.find((x) => x.ruleId === "aws-access-key-id")!.secret));
  });

  it("reads the work tree's configuration, from a subfolder too", async () => {
    const r = repo();
    r.commitFiles({ ".leakguard.toml": '[extend]\ndisabledRules = ["github-pat"]\n', "src/keep.txt": "x\n" }, "init");
    r.write("src/notes.txt", `${githubToken(12)}\n`).add();
    expect((await staged(r)).code).toBe(0);
    const res = await runIn(join(r.dir, "src"), ["staged", "--format", "json"]);
    expect((JSON.parse(res.stdout) as JsonOut).findings.map((f) => f.ruleId)).toEqual([]);
    expect(res.code).toBe(0);
  });

  it("a broken configuration is one error naming its file, exit 2", async () => {
    const r = repo();
    r.commitFiles({ "README.md": "x\n" }, "init");
    r.write(".leakguard.toml", "[[rules]]\nid = \"bad\"\nregex = \"(unclosed\"\n");
    r.write("a.txt", "hello\n").add("a.txt");
    const res = await runIn(r.dir, ["staged"]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toContain(".leakguard.toml");
  });

  it("outside a work tree, git's answer is the error even where a broken configuration lies", async () => {
    const r = repo();
    const outside = join(r.dir, ".git", "objects");
    writeFileSync(join(outside, ".leakguard.toml"), "not = [toml\n");
    const res = await runIn(outside, ["staged"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("not inside a git work tree");
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 with one line outside a repository", async () => {
    const r = repo();
    const outside = join(r.dir, ".git", "objects"); // inside .git: not a work tree
    const res = await runIn(outside, ["staged"]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("leakguard staged --message-file", () => {
  it("scans the message git may record: comment lines included (git keeps them unless it strips), the verbose diff excluded", async () => {
    const r = repo();
    r.commitFiles({ "a.txt": "a\n" }, "init");
    const msg = (body: string): string => join(r.dir, ".git", "COMMIT_EDITMSG_TEST") + (r.write(".git/COMMIT_EDITMSG_TEST", body), "");
    const diffOnly = msg(`fix things\n\n# a comment\n# ------------------------ >8 ------------------------\n# Do not modify or remove the line above.\n# Everything below it will be ignored.\ndiff --git a/t b/t\n+t=${awsKeyId(35)}\n`);
    expect((await runIn(r.dir, ["staged", "--message-file", diffOnly])).code).toBe(0);
    const inComment = msg(`fix things\n\n# token ${githubToken(34)}\n`);
    expect((await runIn(r.dir, ["staged", "--message-file", inComment])).code).toBe(1);
    // A scissors look-alike with no verbose diff below (-m, -F): git records what follows, so it is scanned.
    const pastScissors = msg(`fix build\n\n# ------------------------ >8 ------------------------\naws_access_key_id = ${awsKeyId(38)}\n`);
    expect((await runIn(r.dir, ["staged", "--message-file", pastScissors])).code).toBe(1);
    const leaky = msg(`fix things\n\nused ${githubToken(36)} to test\n`);
    const res = await runIn(r.dir, ["staged", "--format", "json", "--message-file", leaky]);
    expect(res.code).toBe(1);
    const f = (JSON.parse(res.stdout) as JsonOut).findings[0]!;
    expect([f.source, f.file, f.line]).toEqual(["commit-message", "", 3]);
    expect(res.stderr).toContain("commit message");
  });
});

describe("scanStaged (library)", () => {
  it("returns raw secrets for the program to use", async () => {
    const r = repo();
    r.commitFiles({ "a.txt": "a\n" }, "init");
    r.write("k.txt", `k = ${awsKeyId(37)}\n`).add();
    const report = await scanStaged({ cwd: r.dir });
    expect(report.findings.map((f) => [f.file, f.secret])).toEqual([["k.txt", awsKeyId(37)]]);
    expect(report.findings[0]!.author).toBe("Test Author");
  });
});
