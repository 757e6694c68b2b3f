/**
 * `--min-confidence` on every scanning command, in process through
 * run(argv, io) with real git: the default (and so the hooks) keeps today's
 * output; `low` is audit mode and reports what only a heuristic dropped, with
 * its reason; `medium`/`high` hide findings below them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TestRepo } from "../helpers/git-repo.js";
import { buildHistory } from "../helpers/history-fixture.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken, randomToken } from "../helpers/secrets.js";

vi.setConfig({ testTimeout: 60_000 });

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

/** A GitHub token whose checksum fails: the default drops it, audit mode reports it. */
function badCrcToken(seed: number): string {
  const t = githubToken(seed);
  return t.slice(0, -1) + (t.endsWith("A") ? "B" : "A");
}

interface JsonFinding {
  ruleId: string;
  confidence: string;
  secret: string;
  tags: string[];
  auditReason?: string;
}
const findingsOf = (stdout: string): JsonFinding[] => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

/** A repository whose one commit holds a token with a failing checksum in `notes.sh`. */
function repoWithBadToken(seed: number): { r: TestRepo; token: string } {
  const r = new TestRepo();
  repos.push(r);
  const token = badCrcToken(seed);
  buildHistory(r, [
    { files: { "README.md": "hello\n" }, message: "initial", date: "2024-01-01T00:00:00Z" },
    { files: { "notes.sh": `# old token\n${token}\n` }, message: "notes", date: "2024-01-02T00:00:00Z" },
  ]);
  return { r, token };
}

describe("--min-confidence", () => {
  it("scan: the default reports nothing, low reports the candidate with its reason (redacted)", async () => {
    const { r, token } = repoWithBadToken(71);
    const plain = await runIn(r.dir, ["scan", ".", "--format", "json"]);
    expect(plain.code).toBe(0);
    expect(findingsOf(plain.stdout)).toEqual([]);
    const audit = await runIn(r.dir, ["scan", ".", "--format", "json", "--min-confidence", "low"]);
    expect(audit.code).toBe(1);
    const [f, ...rest] = findingsOf(audit.stdout);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "github-pat", confidence: "low", auditReason: "validator: github-crc32" });
    expect(f!.tags).toContain("rejected:validator");
    expect(audit.stdout).not.toContain(token);
    const text = await runIn(r.dir, ["scan", ".", "--min-confidence", "low"]);
    expect(text.stdout).toContain("audit: validator: github-crc32");
    expect(text.stdout).not.toContain(token);
  });

  it("history and inventory take it too", async () => {
    const { r } = repoWithBadToken(72);
    expect((await runIn(r.dir, ["history", "--format", "json"])).code).toBe(0);
    const h = await runIn(r.dir, ["history", "--format", "json", "--min-confidence", "low"]);
    expect(h.code).toBe(1);
    expect(findingsOf(h.stdout).map((f) => f.auditReason)).toEqual(["validator: github-crc32"]);
    expect((await runIn(r.dir, ["inventory", "--format", "json"])).code).toBe(0);
    expect((await runIn(r.dir, ["inventory", "--format", "json", "--min-confidence", "low"])).code).toBe(1);
  });

  it("push (a range) and staged take it too; the hooks' default stays quiet", async () => {
    const { r } = repoWithBadToken(73);
    expect((await runIn(r.dir, ["push", "HEAD~1..HEAD"])).code).toBe(0);
    expect((await runIn(r.dir, ["push", "HEAD~1..HEAD", "--min-confidence", "low"])).code).toBe(1);
    r.write("more.sh", `${badCrcToken(74)}\n`).add();
    expect((await runIn(r.dir, ["staged"])).code).toBe(0);
    const s = await runIn(r.dir, ["staged", "--format", "json", "--min-confidence", "low"]);
    expect(s.code).toBe(1);
    expect(findingsOf(s.stdout).map((f) => f.ruleId)).toEqual(["github-pat"]);
  });

  it("baseline create records audit findings, and a later audit scan with that baseline is clean", async () => {
    const { r } = repoWithBadToken(75);
    expect((await runIn(r.dir, ["baseline", "create", "--min-confidence", "low"])).code).toBe(0);
    const baseline = JSON.parse(readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8")) as { findings?: unknown[] };
    expect(JSON.stringify(baseline)).toContain("github-pat");
    const again = await runIn(r.dir, ["scan", ".", "--min-confidence", "low", "--baseline", ".leakguard-baseline.json"]);
    expect(again.code).toBe(0);
  });

  it("medium hides low-confidence findings the default reports; high keeps high ones", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.write("app.env", `DB_PASSWORD=${randomToken(14, 76)}9#\nGITHUB_TOKEN=${githubToken(77)}\n`);
    const all = await runIn(r.dir, ["scan", ".", "--format", "json"]);
    expect(findingsOf(all.stdout).map((f) => f.confidence).sort()).toEqual(["high", "low"]);
    const high = await runIn(r.dir, ["scan", ".", "--format", "json", "--min-confidence", "high"]);
    expect(findingsOf(high.stdout).map((f) => f.ruleId)).toEqual(["github-pat"]);
  });

  it("an unknown level is a usage error: exit 2, one line", async () => {
    const r = new TestRepo();
    repos.push(r);
    const res = await runIn(r.dir, ["scan", ".", "--min-confidence", "lowest"]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toContain("--min-confidence lowest is not one of low, medium, high");
  });
});
