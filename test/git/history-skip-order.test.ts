/**
 * The history report lists skipped blobs in walk order (by path within a
 * commit), and a commit's findings in the order its blobs were met,
 * whatever order their scans finish in: two runs of the same scan give the
 * same report. The blob scanner here answers in reverse order of
 * the requests (a structural stand-in for worker threads that finish out of
 * order), never by timing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { historyScan } from "../../src/scans/history.js";
import { createScanner } from "../../src/core/scanner.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { scanBlob, type BlobJob, type BlobOutcome } from "../../src/sources/git-blob.js";
import { TestRepo } from "../helpers/git-repo.js";
import { commitAs, line } from "../helpers/history-fixture.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterAll(() => {
  for (const r of repos.splice(0)) r.remove();
});

const binary = (n: number): Buffer => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, n, 0]);

describe("history skip order", () => {
  it("lists skipped blobs in walk order, by path within a commit, when scans finish in reverse", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    ["b.png", "a.png", "c/d.png"].forEach((name, i) => repo.write(name, binary(i)));
    commitAs(repo, "images", "2024-03-01T10:00:00Z");
    repo.write("e.png", binary(9));
    repo.write("notes.txt", "plain\n");
    commitAs(repo, "more", "2024-03-02T10:00:00Z");
    const scanner = createScanner({ rules: builtinRules(), allowlists: [], sources: [], scan: {} }, { salt: "s" });
    // Every blob (five distinct ones) is requested before any answer: answer the last request first.
    const waiting: Array<() => void> = [];
    const blobs = 5;
    const scanBlobAsync = (job: BlobJob): Promise<BlobOutcome> =>
      new Promise((resolve) => {
        waiting.push(() => resolve(scanBlob(scanner.scanFragment, job)));
        if (waiting.length === blobs) for (const answer of waiting.reverse()) answer();
      });
    const res = await historyScan({ repo: repo.dir, scanner, scanBlobAsync });
    expect(res.report.skipped?.map((s) => s.path)).toEqual(["a.png", "b.png", "c/d.png", "e.png"]);
  });

  it("lists a commit's findings and their occurrences as one thread does, when scans finish in reverse", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    repo.write("b.js", line("token", githubToken(1)));
    repo.write("a.env", `AWS_ACCESS_KEY_ID=${awsKeyId(2)}\n`);
    repo.write("c/d.js", line("token", githubToken(3)));
    commitAs(repo, "keys", "2024-03-01T10:00:00Z");
    const scanner = createScanner({ rules: builtinRules(), allowlists: [], sources: [], scan: {} }, { salt: "s" });
    const here = await historyScan({ repo: repo.dir, scanner, workers: 0 });
    const waiting: Array<() => void> = [];
    const scanBlobAsync = (job: BlobJob): Promise<BlobOutcome> =>
      new Promise((resolve) => {
        waiting.push(() => resolve(scanBlob(scanner.scanFragment, job)));
        if (waiting.length === 3) for (const answer of waiting.reverse()) answer();
      });
    const reversed = await historyScan({ repo: repo.dir, scanner, scanBlobAsync });
    const order = (r: typeof here) => ({ findings: r.report.findings.map((f) => `${f.file}:${f.ruleId}`), places: [...r.places].map(([fp, p]) => [fp, p.occurrences.map((o) => o.file)]) });
    expect(here.report.findings).toHaveLength(3);
    expect(order(reversed)).toEqual(order(here));
  });
});
