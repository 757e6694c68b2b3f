import { afterEach, describe, expect, it } from "vitest";
import { scanInventory } from "../src/api/inventory.js";
import { scanHistory } from "../src/api/history.js";
import { buildInventory, riskScore } from "../src/inventory/build.js";
import { PresenceTracker } from "../src/inventory/presence.js";
import type { Finding } from "../src/engine/types.js";
import { TestRepo } from "./helpers/git-repo.js";
import { awsKeyId, githubToken } from "./helpers/secrets.js";
import { buildHistory, line } from "./helpers/history-fixture.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/**
 * C: a token since 2023-06-01, modified in 5 later commits, still at HEAD.
 * A: a token reused in two files since 2024-01-10, still at HEAD.
 * B: an AWS key id added 2024-02-01 and removed 2024-03-01.
 */
function fixture() {
  const repo = new TestRepo();
  repos.push(repo);
  const a = githubToken(101);
  const b = awsKeyId(102);
  const c = githubToken(103);
  const ids = buildHistory(
    repo,
    [
      { files: { "svc/client.js": line("c", c) }, message: "client", date: "2023-06-01T00:00:00Z", author: "Carol", email: "carol@example.test" },
      ...[1, 2, 3, 4, 5].map((i) => ({ files: { "svc/client.js": line("c", c) + `// v${i}\n`.repeat(i) }, message: `client v${i}`, date: `2023-0${6 + Math.min(i, 3)}-1${i}T00:00:00Z` })),
      { files: { "one.js": line("a", a), "two.js": line("a2", a) }, message: "reuse", date: "2024-01-10T00:00:00Z", author: "Alice", email: "alice@example.test" },
      { files: { "aws.env": `AWS_ACCESS_KEY_ID=${b}\n` }, message: "aws", date: "2024-02-01T00:00:00Z", author: "Bob", email: "bob@example.test" },
      { files: { "aws.env": null }, message: "drop aws", date: "2024-03-01T00:00:00Z", author: "Dan", email: "dan@example.test" },
      { files: { "later.txt": "later\n" }, message: "later", date: "2024-04-01T00:00:00Z" },
    ],
    { checkout: false },
  );
  const [cIntro, aIntro, bIntro, bGone] = [ids[0]!, ids[6]!, ids[7]!, ids[8]!];
  return { repo, a, b, c, aIntro, bIntro, bGone, cIntro };
}

describe("inventory of a fixture repository", () => {
  it("has one row per secret with commits, head flags, exposure, reuse and risk order", async () => {
    const fx = fixture();
    const inv = await scanInventory({ repo: fx.repo.dir, now: "2024-06-01T00:00:00Z" });
    expect(inv.rows.map((r) => r.secret)).toEqual([fx.c, fx.a, fx.b]); // by risk
    const [c, a, b] = inv.rows as [typeof inv.rows[0], typeof inv.rows[0], typeof inv.rows[0]];

    expect(c).toMatchObject({ ruleId: "github-pat", files: ["svc/client.js"], occurrences: 6, commitCount: 6, atHead: true, reused: false, exposureDays: 366, risk: 100 });
    expect(c.introduced).toEqual({ commit: fx.cIntro, date: "2023-06-01T00:00:00+00:00", author: "Carol", email: "carol@example.test" });
    expect(c.removed).toBeUndefined();

    expect(a).toMatchObject({ files: ["one.js", "two.js"], occurrences: 2, commitCount: 1, atHead: true, reused: true, exposureDays: 143, pushed: false });
    expect(a.introduced.commit).toBe(fx.aIntro);
    expect(a.tags).toContain("reused");
    expect(a.risk).toBe(riskScore({ severity: "critical", confidence: "high", atHead: true, pushed: false, reused: true, exposureDays: 143 }));
    expect(a.risk).toBe(91);

    // Removed from HEAD on 2024-03-01 but never marked rotated: still exposed on 2024-06-01 (every clone holds it).
    expect(b).toMatchObject({ ruleId: "aws-access-key-id", files: ["aws.env"], atHead: false, reused: false, exposureDays: 121, state: "in-history" });
    expect(b.risk).toBe(riskScore({ severity: "high", confidence: b.confidence, atHead: false, pushed: false, reused: false, exposureDays: 121 }));
    expect(b.introduced.commit).toBe(fx.bIntro);
    expect(b.removed).toEqual({ commit: fx.bGone, date: "2024-03-01T00:00:00+00:00", author: "Dan", email: "dan@example.test" });
    expect(b.remediation).toMatch(/IAM/);
    expect(b.references.length).toBeGreaterThan(0);

    expect(inv.summary).toMatchObject({ secrets: 3, atHead: 2, removedButInHistory: 1, reused: 1, canaries: 0, commitsScanned: 10 });
    expect(inv.summary.bySeverity).toEqual({ critical: 2, high: 1, medium: 0, low: 0 });
    expect(inv.head?.ref).toBe("main");
    expect(inv.generatedAt).toBe("2024-06-01T00:00:00.000Z");
  });

  it("a secret only on an unmerged branch is neither at HEAD nor removed", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    buildHistory(
      repo,
      [
        { files: { "a.txt": "a\n" }, message: "init", date: "2024-01-01T00:00:00Z" },
        { branch: "side", from: 0, files: { "s.js": line("s", githubToken(104)) }, message: "side", date: "2024-01-02T00:00:00Z" },
      ],
      { checkout: false },
    );
    const inv = await scanInventory({ repo: repo.dir, now: "2024-01-12T00:00:00Z" });
    expect(inv.rows).toHaveLength(1);
    expect(inv.rows[0]).toMatchObject({ atHead: false, exposureDays: 10 });
    expect(inv.rows[0]!.removed).toBeUndefined();
  });

  it("a secret removed, re-added and removed again is removed at the last removal", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const t = githubToken(105);
    const [, , , last] = buildHistory(
      repo,
      [
        { files: { "k.js": line("k", t) }, message: "add", date: "2024-01-01T00:00:00Z" },
        { files: { "k.js": null }, message: "rm", date: "2024-01-02T00:00:00Z" },
        { files: { "k2.js": line("k", t) }, message: "again", date: "2024-01-03T00:00:00Z" },
        { files: { "k2.js": null }, message: "rm again", date: "2024-01-04T00:00:00Z" },
      ],
      { checkout: false },
    );
    const inv = await scanInventory({ repo: repo.dir, now: "2024-02-01T00:00:00Z" });
    expect(inv.rows).toHaveLength(1);
    expect(inv.rows[0]!.removed?.commit).toBe(last);
    expect(inv.rows[0]!.exposureDays).toBe(31); // exposure runs on after removal until rotation
  });

  it("a secret moved from a test fixture to a production path: reported at both, the row judged by the production path", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const t = githubToken(106);
    repo.write("tests/fixture.cfg", `k=${t}\n`).add();
    const fixture = repo.commit("fixture", { date: "2024-01-01T00:00:00Z" });
    repo.git("mv", "tests/fixture.cfg", "prod.cfg");
    const promoted = repo.commit("promote to prod", { date: "2024-02-01T00:00:00Z" });
    const { findings } = await scanHistory({ repo: repo.dir });
    const at = Object.fromEntries(findings.map((f) => [f.file, { commit: f.commit, confidence: f.confidence, testFile: f.tags.includes("test-file") }]));
    expect(at).toEqual({
      "tests/fixture.cfg": { commit: fixture, confidence: "medium", testFile: true },
      "prod.cfg": { commit: promoted, confidence: "high", testFile: false },
    });
    const inv = await scanInventory({ repo: repo.dir, now: "2024-03-01T00:00:00Z" });
    expect(inv.rows).toHaveLength(1);
    expect(inv.rows[0]).toMatchObject({ confidence: "high", atHead: true, introduced: { commit: fixture } });
    expect(inv.rows[0]!.tags).not.toContain("test-file");
  });

  it("a plain rename between two paths judged alike stays one finding", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const t = githubToken(107);
    repo.write("old.cfg", `k=${t}\n`).add();
    const intro = repo.commit("add", { date: "2024-01-01T00:00:00Z" });
    repo.git("mv", "old.cfg", "new.cfg");
    repo.commit("rename", { date: "2024-02-01T00:00:00Z" });
    const { findings } = await scanHistory({ repo: repo.dir });
    expect(findings.map((f) => [f.file, f.commit])).toEqual([["old.cfg", intro]]);
    // One place to rotate, moved: not reused (a copy is).
    const inv = await scanInventory({ repo: repo.dir, now: "2024-03-01T00:00:00Z" });
    expect(inv.rows[0]).toMatchObject({ files: ["new.cfg", "old.cfg"], reused: false });
    expect(inv.rows[0]!.tags).not.toContain("reused");
    repo.write("copy.cfg", `k=${t}\n`).add();
    repo.commit("copy", { date: "2024-02-02T00:00:00Z" });
    expect((await scanInventory({ repo: repo.dir, now: "2024-03-01T00:00:00Z" })).rows[0]).toMatchObject({ reused: true });
  });

  it("lists the commit that re-added a secret after its removal among the row's commits", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const t = githubToken(108);
    const [added, , readded] = buildHistory(
      repo,
      [
        { files: { "k.cfg": `k=${t}\n` }, message: "add", date: "2024-01-01T00:00:00Z" },
        { files: { "k.cfg": null }, message: "rm", date: "2024-01-02T00:00:00Z" },
        { files: { "k.cfg": `k=${t}\n` }, message: "again", date: "2024-01-03T00:00:00Z" },
      ],
      { checkout: false },
    );
    const inv = await scanInventory({ repo: repo.dir, now: "2024-02-01T00:00:00Z" });
    expect(inv.rows[0]).toMatchObject({ commits: [added, readded], commitCount: 2, atHead: true, introduced: { commit: added } });
    // Still one finding, at the first commit.
    expect((await scanHistory({ repo: repo.dir })).findings.map((f) => f.commit)).toEqual([added]);
  });

  it("a merge that only brings a branch's secret along is not one of the row's commits", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const t = githubToken(109);
    const [, onTopic] = buildHistory(
      repo,
      [
        { files: { "base.txt": "base\n" }, message: "base", date: "2024-01-01T00:00:00Z" },
        { branch: "topic", from: 0, files: { "k.cfg": `k=${t}\n` }, message: "topic", date: "2024-01-02T00:00:00Z" },
        { files: { "main.txt": "main\n" }, message: "main", date: "2024-01-03T00:00:00Z" },
        { merge: ["topic"], message: "merge topic", date: "2024-01-04T00:00:00Z" },
      ],
      { checkout: false },
    );
    const inv = await scanInventory({ repo: repo.dir, now: "2024-02-01T00:00:00Z" });
    expect(inv.rows[0]).toMatchObject({ commits: [onTopic], commitCount: 1, atHead: true });
  });
});

describe("inventory: pure parts", () => {
  const base: Finding = {
    ruleId: "r1", title: "Thing", severity: "high", confidence: "medium", file: "a.js", line: 1, column: 1, endLine: 1, endColumn: 5,
    secret: "value-1", match: "value-1", fingerprint: "fp1", location: "c1:a.js:r1:1", entropy: 2, tags: [], source: "file",
    commit: "c1", author: "A", date: "2024-01-01T00:00:00Z", pushed: true,
  };
  const input = (findings: Finding[]) => ({
    findings, occurrences: new Map(), atHead: new Set<string>(), removed: new Map(), rules: new Map(),
    generatedAt: "2024-01-01T00:00:00Z", repository: "/r", version: "0", commitsScanned: 1,
  });

  it("groups one value found under two rules as reused, naming the other rule", () => {
    const inv = buildInventory(input([base, { ...base, ruleId: "r2", fingerprint: "fp2", tags: ["canary"] }]));
    expect(inv.rows).toHaveLength(2);
    const r1 = inv.rows.find((r) => r.ruleId === "r1")!;
    expect(r1).toMatchObject({ reused: true, otherRules: ["r2"], canary: false, pushed: true, exposureDays: 0 });
    expect(inv.rows.find((r) => r.ruleId === "r2")).toMatchObject({ otherRules: ["r1"], canary: true });
    expect(inv.summary.canaries).toBe(1);
  });

  it("risk weights follow the documented formula", () => {
    const f = { severity: "critical", confidence: "high", atHead: true, pushed: false, reused: false } as const;
    expect(riskScore({ ...f, exposureDays: 365 })).toBe(100);
    expect(riskScore({ ...f, exposureDays: 0 })).toBe(60);
    expect(riskScore({ ...f, atHead: false, exposureDays: 7 })).toBe(30);
    expect(riskScore({ ...f, reused: true, exposureDays: 365 })).toBe(100); // clipped
    expect(riskScore({ severity: "low", confidence: "low", atHead: false, pushed: false, reused: false, exposureDays: 0 })).toBe(3);
  });

  it("presence tracker: count per path, removal only when the last copy goes", () => {
    const t = new PresenceTracker(new Map([["b1", ["s"]], ["b2", ["s"]]]));
    const ref = (c: string) => ({ commit: c, date: "", author: "" });
    const Z = "0".repeat(40);
    t.commit(ref("1"), [{ oldOid: Z, oid: "b1" }, { oldOid: Z, oid: "b2" }]);
    t.commit(ref("2"), [{ oldOid: "b1", oid: Z }]);
    expect(t.present("s")).toBe(true);
    t.commit(ref("3"), [{ oldOid: "b2", oid: "x" }]);
    expect(t.removedAt("s")?.commit).toBe("3");
    t.commit(ref("4"), [{ oldOid: Z, oid: "b1" }]);
    expect(t.removedAt("s")).toBeUndefined();
  });
});
