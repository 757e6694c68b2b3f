/**
 * How many worker threads a history scan starts by default: one per core
 * beyond the first (the main thread and git fill one), at least one, at most
 * two; and how far the walk may run ahead of them. Pure facts of the
 * constants and the core count, so no timing is involved.
 */
import { describe, expect, it } from "vitest";
import { BATCH_JOBS } from "../../src/core/scan-pool.js";
import { defaultHistoryWorkers, MAX_IN_FLIGHT } from "../../src/scans/history-state.js";

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
