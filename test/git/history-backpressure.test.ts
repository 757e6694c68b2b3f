/**
 * Back-pressure inside a commit: a commit that adds more blobs than may be in
 * flight pauses between them, so a large import or merge never holds all its
 * blobs in memory at once. Observed structurally (the walk's own count of jobs
 * in flight at each scan request), never by timing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { emptyReport } from "../../src/core/report.js";
import { refFacts, refNames } from "../../src/git/history-refs.js";
import { repoInfo } from "../../src/git/repo.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { selectCommits } from "../../src/scans/history-select.js";
import { drain, MAX_IN_FLIGHT, MAX_UNRECORDED, openState, type HistoryState } from "../../src/scans/history-state.js";
import type { HistoryResult, HistoryScanOptions } from "../../src/scans/history-types.js";
import { walkCommits } from "../../src/scans/history-walk.js";
import { scanBlob, type BlobJob, type BlobOutcome } from "../../src/sources/git-blob.js";
import { TestRepo } from "../helpers/git-repo.js";
import { commitAs } from "../helpers/history-fixture.js";

const repos: TestRepo[] = [];
afterAll(() => {
  for (const r of repos.splice(0)) r.remove();
});

/**
 * Walks `repo`'s history with the walk's own state in view: `scan` answers
 * each blob (and may read the state it is handed, set before the first blob).
 */
async function walkWith(repo: TestRepo, scan: (job: BlobJob, st: HistoryState, scanner: Scanner) => Promise<BlobOutcome>): Promise<HistoryResult> {
  const scanner = createScanner({ rules: builtinRules(), allowlists: [], sources: [], scan: {} }, { salt: "s" });
  let st: HistoryState | undefined;
  const opts: HistoryScanOptions = { repo: repo.dir, scanner, scanBlobAsync: (job) => scan(job, st!, scanner) };
  const info = await repoInfo(repo.dir);
  const result: HistoryResult = { report: emptyReport(), places: new Map(), stats: { commits: 0, blobs: 0, blobsScanned: 0, cacheHits: 0, cacheKnown: 0, bytes: 0, missing: 0, durationMs: 0 }, info, pushed: new Set() };
  const refs = await refFacts(repo.dir);
  const sel = await selectCommits(repo.dir, opts, info, result.report, refs, refNames(repo.dir, refs, { tags: true, head: false }));
  st = openState(opts, result, sel, 0);
  try {
    await walkCommits(st);
    await drain(st.flow);
  } finally {
    await st.reader.close();
  }
  return result;
}

describe("history back-pressure", () => {
  it("never has more blobs in flight than the limit, even within one commit", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const files = MAX_IN_FLIGHT + 72;
    for (let i = 0; i < files; i++) repo.write(`f/${i}.txt`, `line ${i}\n`);
    commitAs(repo, "import", "2024-03-01T10:00:00Z");
    let most = 0;
    let scanned = 0;
    await walkWith(repo, (job, st, scanner) => {
      most = Math.max(most, st.flow.inFlight.size);
      scanned++;
      return Promise.resolve(scanBlob(scanner.scanFragment, job));
    });
    expect(scanned).toBe(files);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(MAX_IN_FLIGHT);
  });

  it("keeps reading and scanning behind a slow blob: a scanned blob waiting for its turn to be recorded leaves the in-flight count", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    repo.write("slow.txt", "the slow one\n");
    commitAs(repo, "slow", "2024-03-01T10:00:00Z");
    const others = MAX_IN_FLIGHT * 2 + 50;
    expect(others).toBeLessThan(MAX_UNRECORDED);
    for (let i = 0; i < others; i++) repo.write(`f/${i}.txt`, `line ${i}\n`);
    commitAs(repo, "import", "2024-03-02T10:00:00Z");
    let most = 0;
    let scanned = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let releasedByScans = false;
    let firstScanned: string | undefined;
    // Only a hang guard: had the walk stopped behind the held blob, this releases it and the test fails below.
    let stalled = "";
    const guard = setTimeout(() => {
      stalled = `stalled: ${scanned} of ${others} scanned`;
      release();
    }, 20_000);
    let result: HistoryResult;
    try {
      result = await walkWith(repo, async (job, st, scanner) => {
        firstScanned ??= job.path;
        most = Math.max(most, st.flow.inFlight.size);
        if (job.path === "slow.txt") await held;
        else if (++scanned === others) {
          releasedByScans = true;
          release();
        }
        return scanBlob(scanner.scanFragment, job);
      });
    } finally {
      clearTimeout(guard);
    }
    // The walk goes oldest first: the held blob is the first planned, every other one behind it.
    expect(firstScanned).toBe("slow.txt");
    expect(stalled).toBe("");
    expect(releasedByScans).toBe(true);
    expect(result.stats.blobsScanned).toBe(others + 1);
    expect(most).toBeLessThanOrEqual(MAX_IN_FLIGHT);
  });
});
