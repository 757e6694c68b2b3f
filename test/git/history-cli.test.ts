import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { buildHistory, line } from "../helpers/history-fixture.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});
// One repository with a committed secret for the file: the tests only read it.
let withSecret: { repo: TestRepo; tok: string; sha: string } | undefined;
afterAll(() => withSecret?.repo.remove());
function repoWithSecret(): { repo: TestRepo; tok: string; sha: string } {
  if (!withSecret) {
    const repo = new TestRepo();
    const tok = githubToken(201);
    const [sha] = buildHistory(repo, [{ files: { "cfg.js": line("t", tok) }, message: "add", date: "2024-01-01T00:00:00Z" }]);
    withSecret = { repo, tok, sha };
  }
  return withSecret;
}

describe("leakguard history (CLI)", () => {
  it("exits 1 with the finding at its commit, redacted", async () => {
    const { repo, tok, sha } = repoWithSecret();
    const r = await runIn(repo.dir, ["history", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(tok);
    expect(r.stderr).toBe(""); // not a TTY: no progress line
    const j = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> };
    expect(j.findings).toHaveLength(1);
    expect(j.findings[0]).toMatchObject({ commit: sha, file: "cfg.js", ruleId: "github-pat", author: "Test Author" });
  });

  it("takes the repository as an argument and --show-secrets", async () => {
    const { repo, tok } = repoWithSecret();
    const r = await runIn("/", ["history", "--format", "jsonl", "--show-secrets", repo.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(tok);
  });

  it("exits 0 on an empty repository and says so", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const r = await runIn(repo.dir, ["history"]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/no commits/);
  });

  it("exits 2 with one line outside a repository or for a bad revision", async () => {
    const a = await runIn("/", ["history", "/nonexistent-dir-lg"]);
    expect(a.code).toBe(2);
    expect(a.stderr.trim().split("\n")).toHaveLength(1);
    expect(a.stderr).toMatch(/nonexistent-dir-lg: no such directory/);
    const { repo } = repoWithSecret();
    const b = await runIn(repo.dir, ["history", "--range", "--all"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/not a revision/);
  });
});

describe("leakguard inventory (CLI)", () => {
  it("writes json rows, redacted unless --show-secrets; exit 1 when there are secrets", async () => {
    const { repo, tok, sha } = repoWithSecret();
    const r = await runIn(repo.dir, ["inventory", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(tok);
    const inv = JSON.parse(r.stdout) as { rows: Array<{ introduced: { commit: string }; atHead: boolean; secret: string }> };
    expect(inv.rows).toHaveLength(1);
    expect(inv.rows[0]).toMatchObject({ atHead: true, introduced: { commit: sha } });
    expect(inv.rows[0]!.secret).toMatch(/…$/);
    const shown = await runIn(repo.dir, ["inventory", "--format", "json", "--show-secrets"]);
    expect((JSON.parse(shown.stdout) as { rows: Array<{ secret: string }> }).rows[0]!.secret).toBe(tok);
  });

  it("rejects an unknown format with exit 2", async () => {
    const { repo } = repoWithSecret();
    const r = await runIn(repo.dir, ["inventory", "--format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format xml/);
  });
});

describe("leakguard history (CLI, worker threads)", () => {
  it("reports a secret kept through later modifications once, at its first commit", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const tok = githubToken(202);
    const [first] = buildHistory(
      repo,
      [
        { files: { "app.js": line("t", tok) }, message: "c0", date: "2024-01-01T00:00:00Z" },
        ...[1, 2, 3, 4, 5].map((i) => ({ files: { "app.js": line("t", tok) + `// ${i}\n`.repeat(i), [`other${i}.js`]: `x${i}\n` }, message: `c${i}`, date: `2024-01-0${i + 1}T00:00:00Z` })),
      ],
      { checkout: false },
    );
    const r = await runIn(repo.dir, ["history", "--format", "json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: Array<{ commit: string; file: string }>; summary: { files: number; commits: number } };
    expect(j.findings).toEqual([expect.objectContaining({ commit: first, file: "app.js" })]);
    expect(j.summary).toMatchObject({ files: 11, commits: 6 });
  });
});
