/**
 * A history scan asks git for the repository's root commit (the salt) before
 * its configuration is loaded, beside the other listings: a configuration
 * that sets its own salt still decides (the early answer is not used), and a
 * configuration error ends the run with no git process of it left running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprintOf } from "../../src/engine/fingerprint.js";
import { scanHistory } from "../../src/index.js";
import { TestRepo } from "../helpers/git-repo.js";
import { GitTrace } from "../helpers/git-trace.js";
import { childProcesses, newChildProcesses } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";

describe.skipIf(process.platform !== "linux")("the salt asked ahead", { timeout: 60_000 }, () => {
  let repo: TestRepo;
  const token = githubToken(1401);
  beforeAll(() => {
    repo = new TestRepo();
    repo.commitFiles({ "a.env": `GITHUB_TOKEN=${token}\n` }, "first");
  });
  afterAll(() => repo.remove());

  it("without a salt set, the root commit salts the fingerprints", async () => {
    const root = repo.git("rev-list", "--max-parents=0", "HEAD").trim();
    const r = await scanHistory({ repo: repo.dir, env: {} });
    expect(r.findings.map((f) => f.fingerprint)).toEqual([fingerprintOf(r.findings[0]!.ruleId, token, root)]);
  });

  it("a configuration's salt wins over the root commit asked ahead", async () => {
    repo.write(".leakguard.toml", 'salt = "acme"\n');
    try {
      const trace = new GitTrace();
      let r: Awaited<ReturnType<typeof scanHistory>>;
      try {
        r = await scanHistory({ repo: repo.dir, env: {} });
      } finally {
        trace.stop();
      }
      expect(r.findings.map((f) => f.fingerprint)).toEqual([fingerprintOf(r.findings[0]!.ruleId, token, "acme")]);
      // Asked before the configuration said otherwise (and stopped then, if still running).
      expect(trace.commands().filter((c) => c.startsWith("rev-list --max-parents=0"))).toHaveLength(1);
    } finally {
      repo.write(".leakguard.toml", "");
    }
  });

  it("an explicit salt or a private key: the root commit is not asked", async () => {
    for (const opts of [{ salt: "given" }, { fingerprintKey: "k".repeat(32) }]) {
      const trace = new GitTrace();
      try {
        await scanHistory({ repo: repo.dir, env: {}, ...opts });
      } finally {
        trace.stop();
      }
      expect(trace.commands().filter((c) => c.startsWith("rev-list --max-parents=0"))).toEqual([]);
    }
  });

  it("a configuration error ends the run, and leaves none of its git processes running", async () => {
    repo.write(".leakguard.toml", "this is not = = toml\n");
    try {
      const before = childProcesses();
      await expect(scanHistory({ repo: repo.dir, env: {} })).rejects.toThrow(/leakguard\.toml/);
      expect(newChildProcesses(before)).toEqual([]);
    } finally {
      repo.write(".leakguard.toml", "");
    }
  });
});
