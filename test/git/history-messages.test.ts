/**
 * Commit messages in a history scan: a short message text met again at the
 * same place key (engine/place.ts) is scanned once when it was clean, and a
 * repeated message holding a secret is still found at every commit that
 * carries it (occurrences for the inventory). Counted through the scanner's
 * own scanFragment, never by timing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyScan } from "../../src/scans/history.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { scanBlob, type BlobJob, type BlobOutcome } from "../../src/sources/git-blob.js";
import type { Fragment } from "../../src/engine/types.js";
import { TestRepo } from "../helpers/git-repo.js";
import { commitAs } from "../helpers/history-fixture.js";
import { githubToken } from "../helpers/secrets.js";

let repo: TestRepo;
const commits: string[] = [];
const token = githubToken(7);
// Longer than the messages kept as known clean (they are not held in memory): scanned every time.
const long = "Release notes\n\n" + "- fixed a bug in the router\n".repeat(10);

beforeAll(() => {
  repo = new TestRepo();
  repo.write("a.txt", "one\n");
  commits.push(commitAs(repo, "Merge branch 'master'", "2024-03-01T10:00:00Z"));
  repo.write("a.txt", "two\n");
  commits.push(commitAs(repo, "Merge branch 'master'", "2024-03-02T10:00:00Z"));
  commits.push(commitAs(repo, `deploy with ${token}`, "2024-03-03T10:00:00Z"));
  commits.push(commitAs(repo, "Merge branch 'master'", "2024-03-04T10:00:00Z"));
  commits.push(commitAs(repo, `deploy with ${token}`, "2024-03-05T10:00:00Z"));
  commits.push(commitAs(repo, long, "2024-03-06T10:00:00Z"));
  commits.push(commitAs(repo, long, "2024-03-07T10:00:00Z"));
});
afterAll(() => repo.remove());

/** A scanner that counts the commit messages it scans, by text; blobs are scanned in this thread. */
function countingScanner(): { scanner: Scanner; scanned: Map<string, number>; scanBlobAsync: (job: BlobJob) => Promise<BlobOutcome> } {
  const base = createScanner({ rules: builtinRules(), allowlists: [], sources: [], scan: {} }, { salt: "s" });
  const scanned = new Map<string, number>();
  const scanFragment = (f: Fragment) => {
    if (f.source === "commit-message") scanned.set(f.text.trim(), (scanned.get(f.text.trim()) ?? 0) + 1);
    return base.scanFragment(f);
  };
  const scanner: Scanner = { ...base, scanFragment };
  return { scanner, scanned, scanBlobAsync: (job) => Promise.resolve(scanBlob(base.scanFragment, job)) };
}

describe("history commit messages", () => {
  it("scans a repeated clean message once, and a repeated message with a secret at every commit", async () => {
    const { scanner, scanned, scanBlobAsync } = countingScanner();
    const res = await historyScan({ repo: repo.dir, scanner, scanBlobAsync });
    expect(scanned.get("Merge branch 'master'")).toBe(1);
    expect(scanned.get(`deploy with ${token}`)).toBe(2);
    expect(scanned.get(long.trim())).toBe(2);
    const found = res.report.findings.filter((f) => f.source === "commit-message");
    expect(found.map((f) => f.commit)).toEqual([commits[2]]);
    const places = res.places.get(found[0]!.fingerprint)!;
    expect(places.occurrences.map((o) => o.commit)).toEqual([commits[2], commits[4]]);
  });
});
