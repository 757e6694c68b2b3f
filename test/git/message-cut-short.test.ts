/**
 * A commit message whose scan the time budget cut short may hold a secret
 * past the point the scan reached, which no redaction knows: the findings of
 * that commit (its files' too) carry a note instead of the message, in
 * history and in push alike. The clock is injected: no wall-clock timing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { renderReport } from "../../src/report/index.js";
import { scanHistory, scanPush } from "../../src/index.js";
import { MESSAGE_CUT_SHORT } from "../../src/scans/commits.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** A scanner whose clock jumps past the budget while it scans a commit message, and stands still otherwise. */
function messageTimesOut(root: string): Scanner {
  let t = 0;
  let inMessage = false;
  const inner = createScanner(loadConfig({ root, noConfigFile: true }), { timeBudgetMs: 1000, now: () => (inMessage ? (t += 5000) : t) });
  return {
    ...inner,
    scanFragment: (frag) => {
      inMessage = frag.source === "commit-message";
      return inner.scanFragment(frag);
    },
  };
}

describe("a commit message cut short by the time budget", { timeout: 60_000 }, () => {
  const key = awsKeyId(81);
  const setup = (): TestRepo => {
    const r = new TestRepo();
    repos.push(r);
    r.commitFiles({ "README.md": "hi\n" }, "init");
    r.write("a.env", `GITHUB_TOKEN=${githubToken(82)}\n`).add();
    r.commit(`deploy\n\n${"a line of notes\n".repeat(50)}aws ${key}\n`);
    return r;
  };

  it("history: the file's finding carries the note, not the message; no output holds the key", async () => {
    const r = setup();
    const report = await scanHistory({ repo: r.dir, scanner: messageTimesOut(r.dir) });
    const file = report.findings.find((f) => f.file === "a.env")!;
    expect(file).toBeDefined();
    expect(file.message).toBe(MESSAGE_CUT_SHORT);
    for (const format of ["json", "text", "csv"]) {
      const out = await renderReport(format, report, { showSecrets: false, command: "history" });
      expect(out.includes(key), format).toBe(false);
    }
  });

  it("push: the same", async () => {
    const r = setup();
    const report = await scanPush({ cwd: r.dir, range: "HEAD~1..HEAD", scanner: messageTimesOut(r.dir) });
    const file = report.findings.find((f) => f.file === "a.env")!;
    expect(file.message).toBe(MESSAGE_CUT_SHORT);
    const out = await renderReport("json", report, { showSecrets: false, command: "push" });
    expect(out.includes(key)).toBe(false);
  });

  it("history: a tag message cut short carries the note too, as push's does", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.commitFiles({ "a.txt": "a\n" }, "init");
    const token = githubToken(83);
    r.git("tag", "-a", "v1", "-m", `release\n\ndeploy token ${token}\n`, "HEAD");
    const real = createScanner(loadConfig({ root: r.dir, noConfigFile: true }), { timeBudgetMs: 1000, now: () => 0 });
    // The engine's own verdict, as when its budget runs out after this finding: the rest of the message unread.
    const cut: Scanner = { ...real, scanFragment: (f) => (f.source === "tag-message" ? { ...real.scanFragment(f), timedOut: true } : real.scanFragment(f)) };
    const found = (await scanHistory({ repo: r.dir, scanner: cut })).findings.filter((f) => f.source === "tag-message");
    expect(found.map((f) => [f.secret, f.message])).toEqual([[token, MESSAGE_CUT_SHORT]]);
  });
});
