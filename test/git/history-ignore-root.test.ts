/**
 * `leakguard history REPO` run from another folder applies REPO's own
 * `.leakguardignore` (as `scanHistory()` does), not the current folder's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";
import { commitAs, line } from "../helpers/history-fixture.js";

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

describe("history REPO from another folder", () => {
  it("honours the repository's .leakguardignore", async () => {
    const repo = new TestRepo();
    cleanup.push(() => repo.remove());
    const elsewhere = mkdtempSync(join(tmpdir(), "lg-elsewhere-"));
    cleanup.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    repo.write("cfg.js", line("t", githubToken(311)));
    commitAs(repo, "add", "2024-01-01T00:00:00Z");

    const before = await runIn(elsewhere, ["history", "--format", "json", repo.dir]);
    expect(before.code).toBe(1);
    const [finding] = (JSON.parse(before.stdout) as { findings: Array<{ fingerprint: string }> }).findings;
    repo.write(".leakguardignore", `${finding!.fingerprint} # reviewed: test fixture\n`);

    const fromRepo = await runIn(repo.dir, ["history", "--format", "json"]);
    const fromElsewhere = await runIn(elsewhere, ["history", "--format", "json", repo.dir]);
    expect(fromRepo.code).toBe(0);
    expect(fromElsewhere.code).toBe(0);
    expect(JSON.parse(fromElsewhere.stdout).findings).toEqual([]);
  });
});
