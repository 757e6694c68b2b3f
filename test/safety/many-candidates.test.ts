/**
 * A text with more candidates than a function call takes arguments (a
 * fixture of 200,000 password lines gave ~150,000): appending them to the
 * report with `push(...list)` overflowed the stack, and the hook, failing
 * closed, refused every commit of that file. Each source that gathers a
 * text's candidates into a report is run here with a scanner that hands back
 * 150,000 candidates for one real finding (scanning 150,000 real lines takes
 * ~10 s).
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { scanPaths, scanPush, scanStaged } from "../../src/index.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const MANY = 150_000;

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** A scanner whose every finding comes back MANY times, as found and as suppressed. */
function multiplying(root: string): Scanner {
  const real = createScanner(loadConfig({ root, noConfigFile: true }));
  return {
    ...real,
    scanFragment: (f) => {
      const res = real.scanFragment(f);
      if (res.findings.length === 0) return res;
      const f0 = res.findings[0]!;
      return { ...res, findings: Array.from({ length: MANY }, () => f0), suppressed: Array.from({ length: MANY }, () => ({ finding: f0, reason: "allowlist" as const })) };
    },
  };
}

function repoWithSecret(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "README.md": "hello\n" }, "init");
  r.write("fixture.py", `token = "${githubToken(5)}"\n`).add();
  return r;
}

describe(`${MANY.toLocaleString("en")} candidates in one text`, { timeout: 60_000 }, () => {
  it("staged: reported, not a crash", async () => {
    const r = repoWithSecret();
    const report = await scanStaged({ cwd: r.dir, scanner: multiplying(r.dir) });
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it("push (a range): reported, not a crash", async () => {
    const r = repoWithSecret();
    r.commit("add fixture");
    const report = await scanPush({ cwd: r.dir, range: "HEAD~1..HEAD", scanner: multiplying(r.dir) });
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it("scan (files): reported, not a crash", async () => {
    const r = repoWithSecret();
    const report = await scanPaths([r.dir], { root: r.dir, scanner: multiplying(r.dir), workers: 0 });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.skipped ?? []).toEqual([]);
  });
});
