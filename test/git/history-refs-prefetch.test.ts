/**
 * The history command lists the repository's refs (then its tags' messages),
 * and for the whole history its commits, while its configuration loads
 * (api/history.ts), and hands the listings to the scan: the scan then lists them no more, and finds
 * what it finds when it lists them itself; a commit listing of other
 * revisions than the selection's is not used. Counted structurally through
 * GIT_TRACE.
 */
import { describe, expect, it } from "vitest";
import { createScanner } from "../../src/core/scanner.js";
import { refFacts, refNames } from "../../src/git/history-refs.js";
import { listCommits } from "../../src/git/log-stream.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { historyScan } from "../../src/scans/history.js";
import { ALL_REVISIONS } from "../../src/scans/history-select.js";
import { TestRepo } from "../helpers/git-repo.js";
import { tracedTaggedRepo } from "../helpers/git-trace.js";

describe("history with refs listed by its caller", () => {
  const suite = tracedTaggedRepo(71);

  const scanner = createScanner({ rules: builtinRules(), allowlists: [], sources: [], scan: {} }, { salt: "s" });
  const sources = (r: Awaited<ReturnType<typeof historyScan>>): string[] => r.report.findings.map((f) => `${f.source ?? "file"}:${f.fingerprint}`).sort();

  const refListings = (): string[] => suite.trace.commands().filter((c) => c.startsWith("for-each-ref"));

  it("does not list them again, and finds the same", async () => {
    suite.trace.reset();
    const own = await historyScan({ repo: suite.repo.dir, scanner, workers: 0 });
    // Every ref, then the annotated tag's message and HEAD's branch's name.
    expect(refListings()).toHaveLength(2);
    expect(own.headBranch).toEqual({ ref: "main", commit: suite.repo.head() });
    const refs = refFacts(suite.repo.dir);
    const facts = await refs;
    suite.trace.reset();
    const given = await historyScan({ repo: suite.repo.dir, scanner, workers: 0, refs });
    expect(refListings()).toHaveLength(1);
    expect(sources(given)).toEqual(sources(own));
    expect(sources(given)).toHaveLength(2);
    const names = refNames(suite.repo.dir, facts, { tags: true, head: false });
    await names;
    suite.trace.reset();
    const both = await historyScan({ repo: suite.repo.dir, scanner, workers: 0, refs, names });
    expect(refListings()).toEqual([]);
    expect(sources(both)).toEqual(sources(own));
    // Not asked for, HEAD's branch is not named.
    expect(both.headBranch).toBeUndefined();
  });

  const walks = (): number => suite.trace.commands().filter((c) => c.startsWith("rev-list --reverse")).length;

  it("walks the commits listed for the whole history without listing them again", async () => {
    const own = await historyScan({ repo: suite.repo.dir, scanner, workers: 0 });
    const result = listCommits(suite.repo.dir, ALL_REVISIONS);
    await result;
    suite.trace.reset();
    const given = await historyScan({ repo: suite.repo.dir, scanner, workers: 0, listed: { revs: ALL_REVISIONS, result } });
    expect(walks()).toBe(0);
    expect(sources(given)).toEqual(sources(own));
    expect(given.stats.commits).toBe(1);
  });

  it("lists the commits itself when the listing given is of other revisions", async () => {
    const result = listCommits(suite.repo.dir, ALL_REVISIONS);
    await result;
    suite.trace.reset();
    const given = await historyScan({ repo: suite.repo.dir, scanner, workers: 0, branch: "HEAD", listed: { revs: ALL_REVISIONS, result } });
    expect(walks()).toBe(1);
    expect(given.stats.commits).toBe(1);
  });
});

describe("listings stopped", () => {
  it("a listing whose signal is aborted rejects once its git has exited, whatever git's exit code", async () => {
    const repo = new TestRepo();
    try {
      repo.commitFiles({ "a.txt": "a\n" }, "first");
      const stop = new AbortController();
      stop.abort();
      // rev-list's listing accepts exit codes 0, 1, 128 and 129: a killed git must not pass as one of them.
      await expect(listCommits(repo.dir, ALL_REVISIONS, [], stop.signal)).rejects.toThrow(/was stopped/);
      await expect(refFacts(repo.dir, stop.signal)).rejects.toThrow(/was stopped/);
      // Unaborted, the same calls answer.
      expect((await listCommits(repo.dir, ALL_REVISIONS, [], new AbortController().signal)).stdout.toString().trim()).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      repo.remove();
    }
  });
});
