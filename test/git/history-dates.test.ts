/**
 * Issue #11 item 11: git ignores a date it cannot read, so `--since notadate`
 * used to scan nothing or everything and end green. Bad dates are exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkGitDate, isValidGitDate } from "../../src/git/dates.js";
import { scanHistory } from "../../src/index.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { buildHistory, commitAs, line } from "../helpers/history-fixture.js";

// One repository for the file: every test only reads it.
let shared: TestRepo;
beforeAll(() => {
  shared = new TestRepo();
  buildHistory(shared, [{ files: { "cfg.js": line("t", githubToken(311)) }, message: "add", date: "2024-06-01T00:00:00Z" }]);
});
afterAll(() => shared.remove());
const repoWithSecret = (): TestRepo => shared;

describe("history --since", () => {
  it.each(["notadate", "2099-13-45", "2024-02-30", "2023-02-29", "2024-01-01T25:00", "yesterday", "--all", ""])(
    "refuses %j with exit 2 and one line, before scanning",
    async (bad) => {
      const repo = repoWithSecret();
      const r = await runIn(repo.dir, ["history", "--since", bad]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/--since .* is not a date leakguard understands/);
    },
  );

  it.each(["2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01 10:30", "2024-02-29", "2020-05-01T12:00:00.5+02:00", "200 weeks ago", "1 year ago"])(
    "accepts %j and scans",
    async (good) => {
      const repo = repoWithSecret();
      const r = await runIn(repo.dir, ["history", "--since", good, "--format", "json"]);
      expect(r.stderr).toBe("");
      expect([0, 1]).toContain(r.code);
    },
  );

  it("narrows by a valid date (the finding is older than --since)", async () => {
    const repo = repoWithSecret();
    expect((await runIn(repo.dir, ["history", "--since", "2024-01-01"])).code).toBe(1);
    expect((await runIn(repo.dir, ["history", "--since", "2024-07-01"])).code).toBe(0);
  });

  it("a bare date is the start of that day, whatever the time of the run; an age reaching before 1970 is everything", async () => {
    const repo = new TestRepo();
    try {
      // Local times (no zone): git reads --since without a zone in the same local time.
      repo.write("a.txt", "a\n").add();
      commitAs(repo, "init", "2024-05-01 12:00:00");
      repo.write("cfg.js", line("t", githubToken(312))).add();
      commitAs(repo, "early leak", "2024-05-02 00:30:00");
      expect((await runIn(repo.dir, ["history", "--since", "2024-05-02"])).code).toBe(1);
      expect((await runIn(repo.dir, ["history", "--since", "2024-05-03"])).code).toBe(0);
      for (const age of ["100 years ago", "60 years ago", "999999 days ago"]) expect((await runIn(repo.dir, ["history", "--since", age])).code, age).toBe(1);
    } finally {
      repo.remove();
    }
  });

  it("the library refuses a bad date too", async () => {
    const repo = repoWithSecret();
    await expect(scanHistory({ repo: repo.dir, since: "2099-13-45" })).rejects.toThrow(/not a date/);
  });

  it("checks the calendar", () => {
    expect(isValidGitDate("2000-02-29")).toBe(true);
    expect(isValidGitDate("1900-02-29")).toBe(false);
    expect(isValidGitDate("2024-04-31")).toBe(false);
    expect(isValidGitDate("2024-12-31T23:59:59-05:00")).toBe(true);
    expect(isValidGitDate("3 fortnights ago")).toBe(false);
  });
});

describe("--since before 1970 in any time zone", () => {
  it("1970-01-01 east of UTC, and ages in calendar months past 1970, mean everything", () => {
    const now = Date.UTC(2026, 11, 7, 12);
    expect(checkGitDate("--since", "600 months ago", now)).toBe("600 months ago");
    expect(checkGitDate("--since", "690 months ago", now)).toBe("1970-01-01 00:00:00 +0000");
    expect(checkGitDate("--since", "1970-01-01T00:00:00+05:00", now)).toBe("1970-01-01 00:00:00 +0000");
    expect(checkGitDate("--since", "2024-05-02", now)).toBe("2024-05-02 00:00:00");
  });
});
