/**
 * Git faults end with a clear one-line message and exit 2 (or a warning where
 * the rest of the scan is still worth having), never a stack trace or a
 * half-written report.
 */
import { chmodSync, existsSync, readFileSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "a.env": `TOKEN=${githubToken(81)}\n`, "b.txt": "hello\n" }, "first", "2024-01-01T00:00:00Z");
  r.commitFiles({ "b.txt": "hello again\n" }, "second", "2024-01-02T00:00:00Z");
  return r;
}
afterEach(() => {
  while (repos.length) repos.pop()!.remove();
});

function expectCleanFailure(r: { code: number; stdout: string; stderr: string }): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^leakguard: /);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("git faults", () => {
  it("git missing from PATH: exit 2, one line naming git", async () => {
    const r = repo();
    for (const cmd of [["history"], ["staged"], ["push", "HEAD~1..HEAD"]]) {
      // A real process: git is looked up on the PATH the process runs with.
      const res = runCli(cmd, { cwd: r.dir, env: { PATH: "/nonexistent" } });
      expectCleanFailure(res);
      expect(res.stderr).toMatch(/git is not installed or not on PATH/);
    }
  });

  it("not a repository: exit 2", async () => {
    const d = mkdtempSync(join(tmpdir(), "lg-norepo-"));
    try {
      const res = await runIn(d, ["history"], { env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
      expectCleanFailure(res);
      expect(res.stderr).toMatch(/not a git repository/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it("a corrupt object: a clear message, no stack trace, no half-written report", async () => {
    const r = repo();
    const blob = r.git("rev-parse", "HEAD:b.txt").trim();
    const obj = join(r.dir, ".git/objects", blob.slice(0, 2), blob.slice(2));
    chmodSync(obj, 0o644);
    writeFileSync(obj, "this is not a zlib stream");
    const out = join(r.dir, "report.json");
    const res = await runIn(r.dir, ["history", "-f", "json", "-o", out]);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    if (res.code === 2) {
      expect(res.stderr).toMatch(/^leakguard: /);
      expect(existsSync(out)).toBe(false);
    } else {
      // The findings so far, plus a warning naming the problem and counting the skip.
      const report = JSON.parse(readFileSync(out, "utf8")) as { summary: { warnings: string[]; skipped: Record<string, number> } };
      expect(report.summary.warnings.join("\n")).toMatch(/corrupt object/);
      expect(report.summary.skipped["missing-blob"]).toBe(1);
      const text = await runIn(r.dir, ["history"]);
      expect(text.stdout).toMatch(/warning: 1 blob\(s\) missing or unreadable/);
    }
  });

  it("a corrupt object git dies on (its header reads, its body does not inflate): the other commits are reported, the blob is named as skipped, exit 1", async () => {
    const r = new TestRepo();
    repos.push(r);
    const first = githubToken(82);
    const last = githubToken(84);
    r.commitFiles({ "a.env": `TOKEN=${first}\n` }, "first", "2024-01-01T00:00:00Z");
    r.commitFiles({ "bad.env": `TOKEN=${githubToken(83)}\n` + "x".repeat(4000) + "\n" }, "second", "2024-01-02T00:00:00Z");
    r.commitFiles({ "c.env": `TOKEN=${last}\n` }, "third", "2024-01-03T00:00:00Z");
    const blob = r.git("rev-parse", "HEAD:bad.env").trim();
    const obj = join(r.dir, ".git/objects", blob.slice(0, 2), blob.slice(2));
    // A valid zlib stream whose body is flipped past the header: cat-file prints the header, then dies.
    const raw = readFileSync(obj);
    const body = inflateSync(raw);
    const bad = deflateSync(body);
    for (let i = 24; i < bad.length - 8; i++) bad[i]! ^= 0x5a;
    chmodSync(obj, 0o644);
    writeFileSync(obj, bad);
    const res = await runIn(r.dir, ["history", "-f", "json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { findings: Array<{ file: string }>; skipped: Array<{ path: string; reason: string; detail?: string }>; summary: { warnings: string[] } };
    expect(report.findings.map((f) => f.file).sort()).toEqual(["a.env", "c.env"]);
    expect(report.skipped).toEqual([expect.objectContaining({ path: "bad.env", reason: "missing-blob", detail: expect.stringMatching(/git fsck/) })]);
    expect(res.stdout).not.toContain(first);
    expect((await runIn(r.dir, ["history", "--fail-on-unscanned", "--exit-code", "0", "-q"])).code).toBe(1);
    expect((await runIn(r.dir, ["history", "--fail-on-skip", "--exit-code", "0", "-q"])).code).toBe(1);
  });

  it("a missing packfile: exit 2 with one line", async () => {
    const r = repo();
    r.git("repack", "-adq");
    const packDir = join(r.dir, ".git/objects/pack");
    for (const f of readdirSync(packDir)) if (f.endsWith(".pack")) unlinkSync(join(packDir, f));
    const out = join(r.dir, "report.json");
    const res = await runIn(r.dir, ["history", "-f", "json", "-o", out]);
    expectCleanFailure(res);
    expect(existsSync(out)).toBe(false);
  });
});
