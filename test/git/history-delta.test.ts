/**
 * The history scan's fast path (only what each blob version adds is scanned,
 * sources/blob-delta.ts) loses nothing: on a repository with planted secrets
 * it gives exactly the findings, fingerprints, attribution (commit, author,
 * date), suppressed candidates and inventory occurrences of the whole-blob
 * path (`wholeBlobs: true`, the default and the reference; the fast path is
 * opt-in with `wholeBlobs: false`). The unit part shows the fast
 * path really runs (mode "delta") and where it falls back to whole blobs.
 */
import { afterAll, describe, expect, it } from "vitest";
import { historyScan, type HistoryResult } from "../../src/scans/history.js";
import { prepareScan } from "../../src/api/pipeline.js";
import { scanBlobDelta, type DeltaContext, type DeltaJob } from "../../src/sources/blob-delta.js";
import { createScanner } from "../../src/core/scanner.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, awsSecret, githubToken, randomToken, rng } from "../helpers/secrets.js";
import { buildHistory, line } from "../helpers/history-fixture.js";

const repos: TestRepo[] = [];
afterAll(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** A fake RSA private key, built at run time; `variant` changes one body line. */
function pem(seed: number, variant = 0): string {
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) lines.push(randomToken(64, seed * 100 + i + (i === 5 ? variant * 7919 : 0)));
  return ["-----BEGIN RSA ", "PRIVATE KEY-----\n", lines.join("\n"), "\n-----END RSA ", "PRIVATE KEY-----\n"].join("");
}

/** Filler source lines (a file that is edited often). */
function filler(n: number, seed: number): string {
  const r = rng(seed);
  let s = "";
  for (let i = 0; i < n; i++) s += `export const v${Math.floor(r() * 1e6)} = compute(${i}, "${randomToken(8, seed + i)}");\n`;
  return s;
}

let planted: TestRepo | undefined;

/** The repository: every case the fast path must get right, in one history (built once, only read). */
function plantedRepo(): TestRepo {
  if (planted) return planted;
  const repo = (planted = new TestRepo());
  repos.push(repo);
  const [t1, t2, t3, t4, t5, t6, t7] = [811, 812, 813, 814, 815, 816, 817].map((s) => githubToken(s)) as [string, string, string, string, string, string, string];
  const head = filler(30, 1);
  const tail = filler(30, 2);
  let d = 0;
  const day = (): string => `2024-02-${String(++d).padStart(2, "0")}T10:00:00Z`;
  const by = (author: string): { author: string; email: string } => ({ author, email: `${author.toLowerCase()}@example.test` });
  buildHistory(
    repo,
    [
      {
        files: {
          // 1. A secret in a line that later edits leave unchanged (above, below, next to it).
          "app/config.js": head + line("token", t1) + tail,
          // 2. A secret that moves between paths.
          "old/settings.env": `A=1\nGITHUB_TOKEN=${t2}\nB=2\n`,
          // 3. A multi-line private key.
          "keys/deploy.pem": pem(1),
          // 4. An AWS key pair on two lines (a match across a line break).
          "cloud/aws.yml": `aws:\n  id: ${awsKeyId(21)}\n  secret: ${awsSecret(22)}\n`,
        },
        message: "initial",
        date: day(),
        ...by("Alice"),
      },
      {
        files: { "app/config.js": filler(3, 3) + head + line("token", t1) + tail.replace("compute(20,", "compute(200,"), "old/settings.env": `A=1\nGITHUB_TOKEN=${t2}\nB=3\n` },
        message: "edit around the token",
        date: day(),
        ...by("Bob"),
      },
      { files: { "new/settings.env": `A=1\nGITHUB_TOKEN=${t2}\nB=3\n`, "old/settings.env": null }, message: "move settings", date: day(), ...by("Carol") },
      { files: { "new/settings.env": `A=1\nGITHUB_TOKEN=${t2}\nB=3\nC=4\n`, "other/copy.env": `GITHUB_TOKEN=${t2}\n` }, message: "copy settings", date: day(), ...by("Carol") },
      // 5. One line of the key changes; a secret is removed and later re-added.
      { files: { "keys/deploy.pem": pem(1, 1), "lib/util.js": head + line("apiToken", t3) + tail }, message: "rotate one key line, add util", date: day(), ...by("Dan") },
      { files: { "lib/util.js": head + tail }, message: "remove token", date: day(), ...by("Dan") },
      { files: { "lib/util.js": head + "// back\n" + tail }, message: "unrelated edit", date: day(), ...by("Eve") },
      { files: { "lib/util.js": head + "// back\n" + line("apiToken", t3) + tail }, message: "re-add token", date: day(), ...by("Eve") },
      // 6. Edits right next to secrets: the key name on the line above changes, a line between two secrets goes.
      {
        files: {
          "cloud/aws.yml": `aws:\n  id: ${awsKeyId(21)}\n  secret: ${awsSecret(22)}\n  region: eu-west-1\n`,
          "app/config.js": filler(3, 3) + head + line("token", t1) + line("secondToken", t4) + tail.replace("compute(20,", "compute(200,"),
        },
        message: "next to secrets",
        date: day(),
        ...by("Frank"),
      },
      { files: { "app/config.js": filler(3, 3) + head + line("token", t1) + tail }, message: "drop second token, revert tail", date: day(), ...by("Frank") },
      // 7. A secret added in a merge commit (the merge's own change), and a branch with its own secret.
      { branch: "feature", from: 9, files: { "feature.js": line("featureToken", t5) }, message: "feature work", date: day(), ...by("Grace") },
      { files: { "main-only.txt": "main\n" }, message: "main work", date: day(), ...by("Heidi") },
      { merge: ["feature"], files: { "app/config.js": filler(3, 3) + head + line("token", t1) + line("mergeToken", t6) + tail }, message: "merge feature", date: day(), ...by("Ivan") },
      // 8. Secrets in commit messages.
      { files: { "notes.txt": "n\n" }, message: `message with a token ${t7}`, date: day(), ...by("Judy") },
    ],
    { checkout: false },
  );
  return repo;
}

/** Everything a history result says, in a stable order. */
function digest(res: HistoryResult): unknown {
  const sorted = <T>(xs: T[]): string[] => xs.map((x) => JSON.stringify(x)).sort();
  return {
    findings: sorted(res.report.findings),
    suppressed: sorted(res.report.suppressed),
    places: [...res.places].map(([fp, p]) => [fp, sorted(p.occurrences), [...p.blobs].sort()]).sort(),
    files: res.report.stats.files,
    bytes: res.report.stats.bytes,
    skipped: sorted(res.report.skipped ?? []),
    warnings: res.report.warnings,
  };
}

describe("history fast path", () => {
  it("gives exactly the whole-blob findings, attribution and occurrences", async () => {
    const repo = plantedRepo();
    const { scanner } = await prepareScan({ root: repo.dir, repository: repo.dir, saltFirst: true }, {});
    const fast = await historyScan({ repo: repo.dir, scanner, workers: 0, wholeBlobs: false });
    const whole = await historyScan({ repo: repo.dir, scanner, workers: 0, wholeBlobs: true });
    expect(digest(fast)).toEqual(digest(whole));
    // The planted cases are all there.
    const found = (file: string): string[] => whole.report.findings.filter((f) => f.file === file).map((f) => f.commit!);
    expect(found("app/config.js")).toHaveLength(3);
    expect(found("keys/deploy.pem").length).toBe(2);
    expect(found("lib/util.js").length).toBe(1);
    expect(whole.report.findings.some((f) => f.file === "other/copy.env")).toBe(true);
    expect(whole.report.findings.some((f) => f.source === "commit-message")).toBe(true);
    const merge = repo.git("rev-parse", "HEAD~1").trim();
    expect(whole.report.findings.filter((f) => f.commit === merge && f.file === "app/config.js")).toHaveLength(1);
    // The token in an unchanged line keeps its first commit and author.
    const first = repo.git("rev-list", "--max-parents=0", "HEAD").trim();
    const t1 = fast.places.get(whole.report.findings.find((f) => f.file === "app/config.js" && f.commit === first)!.fingerprint)!;
    expect(t1.occurrences.length).toBeGreaterThan(4);
    expect(fast.report.findings.find((f) => f.file === "app/config.js" && f.commit === first)?.author).toBe("Alice");
  });
});

describe("history fast path in worker threads", () => {
  // Workers need the compiled worker file: the modules come from dist/ (built before the tests).
  const dist = (p: string): string => new URL(`../../dist/${p}`, import.meta.url).href;

  it("gives exactly the whole-blob result when each path's versions go to one worker", async () => {
    const { historyScan: distHistory } = (await import(dist("scans/history.js"))) as { historyScan: typeof historyScan };
    const { prepareScan: distPrepare } = (await import(dist("api/pipeline.js"))) as { prepareScan: typeof prepareScan };
    const repo = plantedRepo();
    const { scanner } = await distPrepare({ root: repo.dir, repository: repo.dir, saltFirst: true }, {});
    const fast = await distHistory({ repo: repo.dir, scanner, workers: 2, wholeBlobs: false });
    const whole = await distHistory({ repo: repo.dir, scanner, workers: 2, wholeBlobs: true });
    expect(digest(fast)).toEqual(digest(whole));
    expect(whole.report.findings.length).toBeGreaterThan(5);
  });
});

describe("scanBlobDelta", () => {
  const scanner = createScanner({ rules: builtinRules(), allowlists: [], sources: [], scan: {} }, { salt: "s" });
  const ctx: DeltaContext = { rs: scanner.ruleSet, engine: { salt: scanner.salt, decoders: scanner.decoders }, scanWhole: (f) => scanner.scanFragment(f) };
  const job = (text: string, prev?: DeltaJob["prev"]): DeltaJob => ({ path: "src/app.js", data: Buffer.from(text), commit: { commit: "c" }, source: "file", delta: true, ...(prev ? { prev } : {}) });
  const strip = (fs: Array<{ location: string }>): unknown[] => fs.map((f) => ({ ...f, location: "" }));

  it("scans only near the changes and carries the rest, with the whole-blob result", () => {
    const a = filler(200, 5) + line("token", githubToken(901)) + filler(200, 6);
    const b = filler(3, 7) + a.replace("compute(150,", "compute(151,") + line("other", githubToken(902));
    const first = scanBlobDelta(ctx, job(a));
    expect(first.mode).toBe("whole");
    const next = scanBlobDelta(ctx, job(b, first.summary));
    const ref = scanner.scanFragment({ text: b, path: "src/app.js", commit: { commit: "c" }, source: "file" });
    expect(next.mode).toBe("delta");
    expect(next.kind === "scanned" && strip(next.result.findings)).toEqual(strip(ref.findings));
    expect(ref.findings).toHaveLength(2);
  });

  it("scans a blob holding a multi-line key block whole", () => {
    const a = "x\n" + pem(3);
    const first = scanBlobDelta(ctx, job(a));
    const next = scanBlobDelta(ctx, job("y\n" + pem(3, 1), first.summary));
    expect(next.mode).toBe("whole");
  });

  it("gives the whole-blob result through random edits, copies and moves of texts with CRLF, lone CR, multi-byte characters and BOMs", () => {
    const r = rng(4242);
    const pieces = [
      () => line("token", githubToken(Math.floor(r() * 1e6))),
      () => `aws:\r\n  id: ${awsKeyId(Math.floor(r() * 1e6))}\r\n  secret: ${awsSecret(Math.floor(r() * 1e6))}\r\n`,
      () => `const x${Math.floor(r() * 1e4)} = "héllo — ✓ ${randomToken(6, Math.floor(r() * 1e6))}";\n`,
      () => `old mac line ${randomToken(5, Math.floor(r() * 1e6))}\r`,
      () => "\ufeffbom inside\n",
      () => `password = "${randomToken(20, Math.floor(r() * 1e6))}"\n`,
      () => filler(1 + Math.floor(r() * 4), Math.floor(r() * 1e6)),
      () => "\n",
    ];
    const piece = (): string => pieces[Math.floor(r() * pieces.length)]!();
    let lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(piece());
    let prev: DeltaJob["prev"];
    const modes = new Set<string | undefined>();
    for (let v = 0; v < 80; v++) {
      // A few edits: replace, insert or delete runs of pieces (also at the very start and end).
      for (let e = 1 + Math.floor(r() * 3); e > 0; e--) {
        const at = Math.floor(r() * (lines.length + 1));
        const k = r();
        if (k < 0.3 && lines.length > 0) lines[Math.min(at, lines.length - 1)] = piece();
        else if (k < 0.55) lines.splice(at, 0, piece());
        else if (k < 0.7) {
          // A run of pieces copied (duplicated) or moved elsewhere.
          const run = lines.slice(at, at + 1 + Math.floor(r() * 6));
          if (r() < 0.5) lines.splice(at, run.length);
          lines.splice(Math.floor(r() * (lines.length + 1)), 0, ...run);
        } else lines.splice(at, 1 + Math.floor(r() * 3));
      }
      if (lines.length === 0) lines = [piece()];
      let text = lines.join("");
      if (v % 17 === 5) text = text.replace(/\n$/, ""); // no final break
      const bytes = Buffer.from(v % 23 === 7 ? "\ufeff" + text : text);
      const out = scanBlobDelta(ctx, { ...job(""), data: bytes, ...(prev ? { prev } : {}) });
      const ref = scanner.scanFragment({ text: bytes.toString("utf8").replace(/^\ufeff/, ""), path: "src/app.js", commit: { commit: "c" }, source: "file" });
      expect(out.kind === "scanned" && strip(out.result.findings), `version ${v}`).toEqual(strip(ref.findings));
      expect(out.kind === "scanned" && strip(out.result.suppressed.map((x) => x.finding)), `version ${v}`).toEqual(strip(ref.suppressed.map((x) => x.finding)));
      modes.add(out.mode);
      prev = out.summary;
    }
    // Both paths ran: the comparison covers the fast path, not only whole scans.
    expect([...modes].sort()).toEqual(["delta", "whole"]);
  });

  it("keeps line numbers when an edit turns a lone CR into CRLF, or CRLF into a lone CR", () => {
    // The token lies far from the edit: it is carried, so its line comes from the line starts worked out.
    const tail = "b\n" + filler(20, 12) + line("token", githubToken(903)) + filler(5, 11);
    const texts = ["a\r" + tail, "a\r\n" + tail, "a\r" + tail, "a\rx\n" + tail, "a\r\nx\n" + tail];
    let prev: DeltaJob["prev"];
    for (const text of texts) {
      const out = scanBlobDelta(ctx, job(text, prev));
      const ref = scanner.scanFragment({ text, path: "src/app.js", commit: { commit: "c" }, source: "file" });
      expect(out.kind === "scanned" && strip(out.result.findings)).toEqual(strip(ref.findings));
      expect(ref.findings).toHaveLength(1);
      prev = out.summary;
    }
  });

  it("finds a block copied within the file again, and carries a moved block's secrets to their new lines", () => {
    // Line hashes match lines that moved; each old line is matched once, so a copy is new where it was copied.
    const block = filler(20, 21) + line("token", githubToken(904)) + filler(20, 22);
    const a = filler(40, 23) + block + filler(40, 24);
    const versions = [
      a + block, // the block copied far below: its second token must be found
      filler(40, 24) + block + filler(40, 23), // the parts around the block swapped: the token moves
      block + filler(40, 23) + filler(40, 24), // the block moved to the top
    ];
    const first = scanBlobDelta(ctx, job(a));
    for (const text of versions) {
      const out = scanBlobDelta(ctx, job(text, first.summary));
      const ref = scanner.scanFragment({ text, path: "src/app.js", commit: { commit: "c" }, source: "file" });
      expect(out.mode).toBe("delta");
      expect(out.kind === "scanned" && strip(out.result.findings)).toEqual(strip(ref.findings));
    }
    const twice = scanner.scanFragment({ text: versions[0]!, path: "src/app.js", commit: { commit: "c" }, source: "file" });
    expect(twice.findings).toHaveLength(2);
  });

  it("scans whole when the blob's keywords switch other rules on", () => {
    const a = filler(20, 8);
    const first = scanBlobDelta(ctx, job(a));
    const next = scanBlobDelta(ctx, job(a + `password = "${randomToken(20, 9)}"\n`, first.summary));
    expect(next.mode).toBe("whole");
  });
});
