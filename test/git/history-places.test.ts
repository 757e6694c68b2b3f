/**
 * History judges a blob at every place it appears, not by the first path it
 * came under: path allowlists, path-scoped rules and test-file tagging are
 * decided per (blob, place), the blob cache remembers the place too, and a
 * plain rename is still one finding.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scanInventory } from "../../src/api/inventory.js";
import { scanHistory } from "../../src/api/history.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken, randomToken } from "../helpers/secrets.js";
import { buildHistory, type HistoryCommit, line } from "../helpers/history-fixture.js";

const repos: TestRepo[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function newRepo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  return r;
}

const TOK = githubToken(701);
const CONTENT = `[pypi]\ntoken = ${TOK}\n`;

/** A repository whose config allowlists `fixtures/`, with a token committed there first, then `later` commits. */
function allowlistedFirst(later: HistoryCommit[] = []): { repo: TestRepo; tok: string; content: string; ids: string[] } {
  const repo = newRepo();
  const ids = buildHistory(repo, [
    { files: { ".leakguard.toml": `[allowlist]\ndescription = "fixtures"\npaths = ['''^fixtures/''']\n`, "fixtures/pypirc": CONTENT }, message: "fixture", date: "2024-01-01T00:00:00Z" },
    ...later,
  ]);
  return { repo, tok: TOK, content: CONTENT, ids };
}

describe("history: a blob is judged at every path it appears under", () => {
  it("a secret first committed under an allowlisted path, then copied to .pypirc, is reported at the copy (history, inventory)", async () => {
    const { repo, tok, ids } = allowlistedFirst([{ files: { ".pypirc": CONTENT }, message: "copy to .pypirc", date: "2024-02-01T00:00:00Z" }]);
    const copy = ids[1];

    const report = await scanHistory({ repo: repo.dir });
    expect(report.findings.map((f) => [f.file, f.commit, f.secret])).toEqual([[".pypirc", copy, tok]]);
    // The allowlisted place is suppressed, not lost.
    expect(report.suppressed.some((s) => s.finding.file === "fixtures/pypirc" && s.reason === "allowlist")).toBe(true);

    const inv = await scanInventory({ repo: repo.dir, now: "2024-06-01T00:00:00Z" });
    expect(inv.rows).toHaveLength(1);
    expect(inv.rows[0]).toMatchObject({ ruleId: "github-pat", files: [".pypirc"], atHead: true });
    expect(inv.rows[0]!.introduced.commit).toBe(copy);

    const cli = await runIn(repo.dir, ["history", "--format", "json"]);
    expect(cli.code).toBe(1);
    const j = JSON.parse(cli.stdout) as { findings: Array<{ file: string; commit: string }> };
    expect(j.findings.map((f) => [f.file, f.commit])).toEqual([[".pypirc", copy]]);
    const inventory = await runIn(repo.dir, ["inventory", "--format", "json"]);
    expect(inventory.code).toBe(1);
    expect((JSON.parse(inventory.stdout) as { rows: Array<{ files: string[] }> }).rows.map((r) => r.files)).toEqual([[".pypirc"]]);
  });

  it("--cache: a blob cached clean under the allowlisted path is scanned again at the new path, on every later run", async () => {
    const { repo, content } = allowlistedFirst();
    const cache = mkdtempSync(join(tmpdir(), "lg-cache-"));
    dirs.push(cache);
    const one = await runIn(repo.dir, ["history", "--format", "json", "--cache", cache]);
    expect(one.code).toBe(0); // only the allowlisted place so far: cached clean there

    const [copy] = buildHistory(repo, [{ files: { ".pypirc": content }, message: "copy to .pypirc", date: "2024-02-01T00:00:00Z" }]);
    for (let run = 0; run < 2; run++) {
      const r = await runIn(repo.dir, ["history", "--format", "json", "--cache", cache]);
      expect(r.code).toBe(1);
      const j = JSON.parse(r.stdout) as { findings: Array<{ file: string; commit: string }> };
      expect(j.findings.map((f) => [f.file, f.commit])).toEqual([[".pypirc", copy]]);
      const inv = await runIn(repo.dir, ["inventory", "--format", "json", "--cache", cache]);
      expect(inv.code).toBe(1);
      expect((JSON.parse(inv.stdout) as { rows: unknown[] }).rows).toHaveLength(1);
    }
  });

  it("a path-scoped rule whose path the first place did not match fires at a later place", async () => {
    const repo = newRepo();
    const password = `Xq${randomToken(14, 702)}9`;
    const content = `[pypi]\nusername = ci\npassword = ${password}\n`;
    const [, copy] = buildHistory(
      repo,
      [
        { files: { "notes/pypi-setup.cfg": content }, message: "setup notes", date: "2024-01-01T00:00:00Z" },
        { files: { "deploy/.pypirc": content }, message: "deploy config", date: "2024-02-01T00:00:00Z" },
      ],
      { checkout: false },
    );
    const report = await scanHistory({ repo: repo.dir });
    const scoped = report.findings.filter((f) => f.ruleId === "pypirc-password");
    expect(scoped.map((f) => [f.file, f.commit, f.secret])).toEqual([["deploy/.pypirc", copy, password]]);
  });

  it("test-file tagging follows the path: a fixture copied into src/ is reported there untagged, at full confidence", async () => {
    const repo = newRepo();
    const tok = githubToken(703);
    const [first, copy] = buildHistory(
      repo,
      [
        { files: { "test/fixture.js": line("t", tok) }, message: "fixture", date: "2024-01-01T00:00:00Z" },
        { files: { "src/app.js": line("t", tok) }, message: "copy", date: "2024-02-01T00:00:00Z" },
      ],
      { checkout: false },
    );
    const report = await scanHistory({ repo: repo.dir });
    const at = Object.fromEntries(report.findings.map((f) => [f.file, f]));
    expect(at["test/fixture.js"]).toMatchObject({ commit: first, confidence: "medium" });
    expect(at["test/fixture.js"]!.tags).toContain("test-file");
    expect(at["src/app.js"]).toMatchObject({ commit: copy, confidence: "high" });
    expect(at["src/app.js"]!.tags).not.toContain("test-file");
  });

  it("a plain rename is one finding, at the first commit and path; the new path is an occurrence", async () => {
    const repo = newRepo();
    const tok = githubToken(704);
    const [first] = buildHistory(
      repo,
      [
        { files: { "a/config.js": line("t", tok) }, message: "add", date: "2024-01-01T00:00:00Z" },
        { moves: { "a/config.js": "b/settings.js" }, message: "rename", date: "2024-02-01T00:00:00Z" },
        { moves: { "b/settings.js": "c/final.js" }, message: "rename again", date: "2024-03-01T00:00:00Z" },
      ],
      { checkout: false },
    );
    const report = await scanHistory({ repo: repo.dir });
    expect(report.findings.map((f) => [f.file, f.commit])).toEqual([["a/config.js", first]]);
    const inv = await scanInventory({ repo: repo.dir, now: "2024-06-01T00:00:00Z" });
    expect(inv.rows).toHaveLength(1);
    expect(inv.rows[0]).toMatchObject({ files: ["a/config.js", "b/settings.js", "c/final.js"], atHead: true });
  });

  it("a rename out of an allowlisted path is reported at the rename", async () => {
    const { repo, tok, ids } = allowlistedFirst([{ moves: { "fixtures/pypirc": ".pypirc" }, message: "move", date: "2024-02-01T00:00:00Z" }]);
    const moved = ids[1];
    const report = await scanHistory({ repo: repo.dir });
    expect(report.findings.map((f) => [f.file, f.commit, f.secret])).toEqual([[".pypirc", moved, tok]]);
  });
});
