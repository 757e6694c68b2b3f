/**
 * How many worker threads a history scan starts by default: one per core
 * beyond the first (the main thread and git fill one), at least one, at most
 * two; and how far the walk may run ahead of them. Pure facts of the
 * constants and the core count, so no timing is involved.
 */
import { describe, expect, it } from "vitest";
import { BATCH_JOBS } from "../../src/core/scan-pool.js";
import { defaultHistoryWorkers, MAX_IN_FLIGHT } from "../../src/scans/history-state.js";
import type * as HistoryModule from "../../src/scans/history.js";
import type * as PipelineModule from "../../src/api/pipeline.js";
import type * as PoolModule from "../../src/core/scan-pool.js";
import type * as StateModule from "../../src/scans/history-state.js";
import type * as ApiModule from "../../src/api/history.js";
import type * as BlobModule from "../../src/sources/git-blob.js";
import type { BlobJob, BlobOutcome } from "../../src/sources/git-blob.js";
import type { ScanReport } from "../../src/core/report.js";
import type { Scanner } from "../../src/core/scanner.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { line } from "../helpers/history-fixture.js";

describe("history worker count", () => {
  it("leaves a core to the main thread and git", () => {
    expect(defaultHistoryWorkers(2)).toBe(1);
    expect(defaultHistoryWorkers(3)).toBe(2);
  });

  it("starts at least one worker and at most two", () => {
    expect(defaultHistoryWorkers(1)).toBe(1);
    expect(defaultHistoryWorkers(0)).toBe(1);
    expect(defaultHistoryWorkers(64)).toBe(2);
  });

  it("keeps two batches in flight when a paused walk resumes (one scanning, one queued)", () => {
    // backOff waits until half the jobs in flight are done.
    expect(MAX_IN_FLIGHT / 2).toBeGreaterThanOrEqual(2 * BATCH_JOBS);
  });
});

describe("history worker started ahead", { timeout: 120_000 }, () => {
  // Workers need the compiled worker file: the modules come from dist/ (built before the tests).
  const dist = (p: string): string => new URL(`../../dist/${p}`, import.meta.url).href;
  const load = async () => ({
    ...((await import(dist("scans/history.js"))) as typeof HistoryModule),
    ...((await import(dist("api/pipeline.js"))) as typeof PipelineModule),
    ...((await import(dist("core/scan-pool.js"))) as typeof PoolModule),
    ...((await import(dist("scans/history-state.js"))) as typeof StateModule),
    ...((await import(dist("api/history.js"))) as typeof ApiModule),
    ...((await import(dist("sources/git-blob.js"))) as typeof BlobModule),
  });

  /** A few commits with secrets added, moved and removed, plus a message holding one. */
  function plantedRepo(): TestRepo {
    const repo = new TestRepo();
    repo.commitFiles({ "app/config.js": line("token", githubToken(1)), "README.md": "# app\n" }, "start");
    repo.commitFiles({ "app/keys.env": `AWS_ACCESS_KEY_ID=${awsKeyId(2)}\n`, "app/config.js": "const token = process.env.TOKEN;\n" }, "keys");
    repo.commitFiles({ "lib/moved.js": line("token", githubToken(1)) }, `rotate ${githubToken(3)}`);
    return repo;
  }

  const content = (r: ScanReport): unknown => {
    const { durationMs: _, ...stats } = r.stats;
    return { findings: r.findings, suppressed: r.suppressed, skipped: r.skipped, warnings: r.warnings, stats };
  };

  /**
   * Runs `test` with the modules, a {@link plantedRepo}, a scanner prepared
   * for it and its history scanned in this thread (the reference); removes
   * the repository after.
   */
  async function withPlanted(test: (m: Awaited<ReturnType<typeof load>>, repo: TestRepo, scanner: Scanner, here: ScanReport) => Promise<void>): Promise<void> {
    const m = await load();
    const repo = plantedRepo();
    try {
      const { scanner } = await m.prepareScan({ root: repo.dir, repository: repo.dir, saltFirst: true }, {});
      await test(m, repo, scanner, (await m.historyScan({ repo: repo.dir, scanner, workers: 0 })).report);
    } finally {
      repo.remove();
    }
  }

  it("is taken by the scan's pool, gets its configuration as the first message, and reports what the scan in this thread reports", () =>
    withPlanted(async (m, repo, scanner, here) => {
      m.prestartScanWorker({ youngGenerationMb: m.WORKER_YOUNG_MB });
      const pooled = await m.historyScan({ repo: repo.dir, scanner, workers: 1 });
      // Taken: nothing is left to end.
      expect(m.discardScanWorker()).toBe(false);
      expect(content(pooled.report)).toEqual(content(here));
      expect(here.findings.length).toBeGreaterThanOrEqual(3);
    }));

  it("is left to be ended when no pool takes it (no workers, another young generation, a caller's scanBlobAsync)", () =>
    withPlanted(async (m, repo, scanner, here) => {
      const ref = content(here);
      m.prestartScanWorker({ youngGenerationMb: m.WORKER_YOUNG_MB });
      expect(content((await m.historyScan({ repo: repo.dir, scanner, workers: 0 })).report)).toEqual(ref);
      expect(m.discardScanWorker()).toBe(true);
      m.prestartScanWorker();
      expect(content((await m.historyScan({ repo: repo.dir, scanner, workers: 1 })).report)).toEqual(ref);
      expect(m.discardScanWorker()).toBe(true);
      m.prestartScanWorker({ youngGenerationMb: m.WORKER_YOUNG_MB });
      const scanBlobAsync = (job: BlobJob): Promise<BlobOutcome> => Promise.resolve(m.scanBlob(scanner.scanFragment, job, 1 << 20));
      expect(content((await m.historyScan({ repo: repo.dir, scanner, scanBlobAsync })).report)).toEqual(ref);
      expect(m.discardScanWorker()).toBe(true);
      expect(m.discardScanWorker()).toBe(false);
    }));

  it("is ended by the library's history scan when its pool does not take it (a watchdog) or the configuration fails", async () => {
    const m = await load();
    const repo = plantedRepo();
    try {
      // Custom regexes: the pool is the watchdog and starts its own worker; the one started ahead must not outlive the scan.
      repo.commitFiles({ ".leakguard.toml": '[[rules]]\nid = "at-sign"\nregex = "[a-z]+@"\n', "mail.txt": "mail x@\n" }, "config");
      const guarded = await m.scanHistory({ repo: repo.dir });
      expect(guarded.findings.some((f) => f.ruleId === "at-sign")).toBe(true);
      expect(m.discardScanWorker()).toBe(false);
      repo.write(".leakguard.toml", "[[rules]\n");
      await expect(m.scanHistory({ repo: repo.dir })).rejects.toThrow();
      expect(m.discardScanWorker()).toBe(false);
    } finally {
      repo.remove();
    }
  });
});
