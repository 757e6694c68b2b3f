/**
 * `--cache DIR` only saves work: a cache that cannot be written costs the next
 * run time, never this run's report (it ended in "internal error", exit 2, no
 * report); a cache path that cannot be a folder is refused before any work.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

function repoWithSecret(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "app.cfg": `token=${githubToken(101)}\n` }, "leak");
  return r;
}

describe("history --cache that cannot be used", { timeout: 60_000 }, () => {
  it("a cache file that cannot be replaced: the report is written all the same, with a warning, exit 1", async () => {
    const r = repoWithSecret();
    const dir = join(r.dir, ".git", "lg-cache");
    expect((await runIn(r.dir, ["history", "--cache", dir, "--format", "json"])).code).toBe(1);
    const [file] = readdirSync(dir).filter((f) => f.startsWith("history-"));
    expect(file).toBeDefined();
    // A folder where the cache file goes: the atomic rename onto it fails.
    rmSync(join(dir, file!));
    mkdirSync(join(dir, file!, "x"), { recursive: true });
    const res = await runIn(r.dir, ["history", "--cache", dir, "--format", "json"]);
    expect(res.code, res.stderr).toBe(1);
    const out = JSON.parse(res.stdout) as { findings: unknown[]; summary: { warnings: string[] } };
    expect(out.findings).toHaveLength(1);
    expect(out.summary.warnings.join("\n")).toMatch(/--cache .*: not saved \(E[A-Z]+\); the next run scans every blob again/);
  });

  it("a file in the folder's place, or an empty value: exit 2 with one line, before any work", async () => {
    const r = repoWithSecret();
    const file = join(r.dir, ".git", "not-a-folder");
    writeFileSync(file, "x");
    for (const [value, why] of [[file, /not a folder/], ["", /--cache needs a folder/]] as const) {
      const res = await runIn(r.dir, ["history", "--cache", value]);
      expect(res.code, String(value)).toBe(2);
      expect(res.stderr.trim().split("\n")).toHaveLength(1);
      expect(res.stderr).toMatch(why);
    }
    expect(readdirSync(r.dir).filter((f) => f.startsWith("history-"))).toEqual([]);
  });
});
