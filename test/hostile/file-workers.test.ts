/**
 * A file scan large enough to move to worker threads reports exactly what
 * the in-thread scan reports: the same findings, suppressed candidates,
 * fingerprints, skipped files with their reasons, warnings and counts, in
 * the same order, over every kind of file the tree source meets (secrets in
 * plain, encoded, UTF-16 and BOM text, archives, binary, LFS pointers, files
 * over the size limit, FIFOs, symlinks and loops, ignored files). The
 * threshold is forced through `workerThreshold`, never through timing; a
 * small scan, and a scanner a worker cannot stand in for, stay in this
 * thread. Workers need the compiled worker file, so the modules come from
 * dist/ (built before the tests).
 */
import { execFileSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type * as FilesModule from "../../src/sources/files.js";
import type * as ScannerModule from "../../src/core/scanner.js";
import type * as ConfigModule from "../../src/config/load.js";
import type * as PoolModule from "../../src/core/scan-pool.js";
import type { ScanReport } from "../../src/core/report.js";
import { gzip, zip } from "../helpers/archives.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { SLOW_RULE_TOML, slowText, WATCHDOG_TEST_BUDGET_MS } from "../helpers/slow-regex.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

afterAll(removeTempFolders);

const dist = (p: string): string => new URL(`../../dist/${p}`, import.meta.url).href;
const { scanFiles, defaultWorkerThreshold, DEFAULT_WORKER_THRESHOLD } = (await import(dist("sources/files.js"))) as typeof FilesModule;
const { createScanner } = (await import(dist("core/scanner.js"))) as typeof ScannerModule;
const { loadConfig } = (await import(dist("config/load.js"))) as typeof ConfigModule;
const { prestartScanWorker, discardScanWorker, earlyFileWorker } = (await import(dist("core/scan-pool.js"))) as typeof PoolModule;

const env = (seed: number): string => `# settings\nGITHUB_TOKEN=${githubToken(seed)}\n`;
const utf16be = (s: string): Buffer => Buffer.from(s, "utf16le").swap16();

/** A tree holding every kind of file the tree source distinguishes, plus enough plain files to batch. */
function mixedTree(): string {
  const files: Record<string, string | Buffer> = {
    ".gitignore": "ignored.env\n",
    "ignored.env": env(1),
    "allowed.env": `TOKEN=${githubToken(2)} # leakguard:allow\n`,
    "b64.txt": `blob: ${Buffer.from(env(3)).toString("base64")}\n`,
    "utf16le.env": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(env(4), "utf16le")]),
    "utf16be-nobom.env": utf16be(env(5)),
    "bom8.env": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(env(6))]),
    "invalid-utf8.env": Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(env(7))]),
    "bin.dat": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(env(8))]),
    "model.bin": "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab".repeat(32) + "\nsize 12345\n",
    "a.zip": zip([{ name: "conf/app.env", data: env(9) }, { name: "img.bin", data: "\0\0\0" }]),
    "e.env.gz": gzip(env(10)),
    "big.env": env(11) + "x".repeat(70_000) + "\n",
    "empty.txt": "",
    "min.js": "var a=1;".repeat(20_000) + `k="${githubToken(12)}";` + "var b=2;".repeat(20_000),
    "aws.properties": `aws.key=${awsKeyId(13)}\n`,
    "a/image.bin": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
    "test/fixtures/fake.env": env(14),
    "docs/example.md": "password = 'hunter2hunter2'\napi_key = \"abcdefgh12345678\"\n",
  };
  for (let i = 0; i < 40; i++) files[`src/m${String(i).padStart(2, "0")}/config.env`] = i % 3 === 0 ? env(100 + i) : `name = module ${i}\n`;
  const d = tempFolder(files, "lg-workers-");
  execFileSync("mkfifo", [join(d, "pipe")]);
  symlinkSync(join(d, "allowed.env"), join(d, "link.env"));
  symlinkSync(d, join(d, "src", "loop"));
  // Walked after a/image.bin (binary): the skip counts are reported in walk order, whichever thread read the file.
  symlinkSync(join(d, "allowed.env"), join(d, "b-link.env"));
  return d;
}

/** Everything a report says, except how long it took; the skip counts in the order the JSON report lists them. */
function content(r: ScanReport): unknown {
  const { durationMs: _, ...stats } = r.stats;
  return { findings: r.findings, suppressed: r.suppressed, skipped: r.skipped, warnings: r.warnings, stats, skipOrder: Object.keys(stats.skipped) };
}

describe("file scans in worker threads", { timeout: 120_000 }, () => {
  for (const minConfidence of ["high", "low"] as const) {
    it(`report exactly what the in-thread scan reports, in the same order (min confidence ${minConfidence})`, async () => {
      const d = mixedTree();
      const scanner = createScanner(loadConfig({ root: d, noConfigFile: true }), { salt: "parity", timeBudgetMs: 10_000, minConfidence });
      const paths = [d, join(d, "aws.properties"), join(d, "pipe")];
      const opts = { root: d, maxFileSize: 64 * 1024 };
      const moved: number[] = [];
      const here = await scanFiles(scanner, paths, { ...opts, workers: 0, onWorkers: (n) => moved.push(n) });
      const pooled = await scanFiles(scanner, paths, { ...opts, workers: 2, workerThreshold: { files: 0, bytes: 0 }, onWorkers: (n) => moved.push(n) });
      // Moves to workers after a few files: the first ones here, the rest there.
      const midway = await scanFiles(scanner, paths, { ...opts, workers: 2, workerThreshold: { files: 1e9, bytes: 200 }, onWorkers: (n) => moved.push(n) });
      // One worker, and this thread scanning beside it as soon as one file waits for it.
      const beside = await scanFiles(scanner, paths, { ...opts, workers: 1, workerThreshold: { files: 0, bytes: 0 }, helpAfter: 1, onWorkers: (n) => moved.push(n) });
      expect(moved).toEqual([2, 2, 1]);
      expect(here.findings.length).toBeGreaterThan(15);
      expect(here.skipped!.map((s) => s.reason)).toEqual(expect.arrayContaining(["binary", "too-large", "special-file"]));
      expect(content(pooled)).toEqual(content(here));
      expect(content(midway)).toEqual(content(here));
      expect(content(beside)).toEqual(content(here));
      await scanner.close();
    });
  }

  it("the workers start when the walk has found enough files, before this thread reads the first", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`d${i % 3}/f${i}.txt`] = `line ${i}\n`;
    const d = tempFolder(files, "lg-workers-");
    const scanner = createScanner(loadConfig({ root: d, noConfigFile: true }), { salt: "early" });
    const events: string[] = [];
    const r = await scanFiles(scanner, [d], {
      root: d,
      workers: 1,
      workerThreshold: { files: 10, bytes: 1e12 },
      onWorkers: (n) => events.push(`workers ${n}`),
      onFile: (p) => events.push(p),
    });
    expect(r.stats.files).toBe(12);
    expect(events[0]).toBe("workers 1");
    expect(events.slice(1)).toEqual(Object.keys(files).sort());
  });

  it("a worker started ahead, before the configuration is known, is taken by the scan's pool and scans with its configuration", async () => {
    const d = mixedTree();
    const scanner = createScanner(loadConfig({ root: d, noConfigFile: true }), { salt: "ahead", timeBudgetMs: 10_000, minConfidence: "low" });
    const opts = { root: d, maxFileSize: 64 * 1024 };
    const here = await scanFiles(scanner, [d], { ...opts, workers: 0 });
    const moved: number[] = [];
    prestartScanWorker();
    const pooled = await scanFiles(scanner, [d], { ...opts, workers: 1, workerThreshold: { files: 0, bytes: 0 }, onWorkers: (n) => moved.push(n) });
    // Taken: nothing is left to end.
    expect(discardScanWorker()).toBe(false);
    expect(moved).toEqual([1]);
    // The salt and minimum confidence came with the worker's init: the same fingerprints, the same low-confidence findings.
    expect(content(pooled)).toEqual(content(here));
    await scanner.close();
  });

  it("a worker started ahead that no pool takes (a small scan, a watchdog pool) is ended, and the scan is the same", async () => {
    const d = tempFolder({ "a.env": env(1), "b.txt": "nothing\n" }, "lg-workers-");
    const scanner = createScanner(loadConfig({ root: d, noConfigFile: true }), { salt: "small" });
    prestartScanWorker();
    const r = await scanFiles(scanner, [d], { root: d });
    expect(r.findings.map((f) => f.file)).toEqual(["a.env"]);
    expect(discardScanWorker()).toBe(true);
    expect(discardScanWorker()).toBe(false);
    const g = tempFolder({ ".leakguard.toml": SLOW_RULE_TOML, "ok.txt": "mail x@\n" }, "lg-workers-");
    // Nothing slow here: a budget no cold worker under load comes near.
    const guarded = createScanner(loadConfig({ root: g }), { salt: "wd", timeBudgetMs: 10_000 });
    prestartScanWorker();
    try {
      const w = await scanFiles(guarded, [g], { root: g, workers: 1, workerThreshold: { files: 0, bytes: 0 } });
      expect(w.findings.filter((f) => f.ruleId === "at-sign").map((f) => f.file)).toEqual(["ok.txt"]);
      expect(discardScanWorker()).toBe(true);
    } finally {
      await guarded.close();
    }
  });

  it("on two cores or fewer, a scan of many files stays in this thread until it has read 64 MiB; on more, it moves at 500 files", async () => {
    expect([1, 2, 3, 4, 16].map((cores) => earlyFileWorker(cores))).toEqual([false, false, true, true, true]);
    expect(defaultWorkerThreshold(4)).toEqual(DEFAULT_WORKER_THRESHOLD);
    expect(defaultWorkerThreshold(2)).toEqual({ files: Infinity, bytes: 64 * 1024 * 1024 });
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`f${String(i).padStart(3, "0")}.env`] = i % 100 === 0 ? env(200 + i) : `name = ${i}\n`;
    const d = tempFolder(files, "lg-workers-");
    const scanner = createScanner(loadConfig({ root: d, noConfigFile: true }), { salt: "cores" });
    const moved: number[] = [];
    const two = await scanFiles(scanner, [d], { root: d, workerThreshold: defaultWorkerThreshold(2), onWorkers: (n) => moved.push(n) });
    expect(moved).toEqual([]);
    const four = await scanFiles(scanner, [d], { root: d, workerThreshold: defaultWorkerThreshold(4), onWorkers: (n) => moved.push(n) });
    expect(moved).toEqual([1]);
    expect(content(four)).toEqual(content(two));
    expect(two.findings.map((f) => f.file)).toEqual(["f000.env", "f100.env", "f200.env", "f300.env", "f400.env", "f500.env"]);
  });

  it("a small scan stays in this thread (no worker start-up)", async () => {
    const d = tempFolder({ "a.env": env(1), "b.txt": "nothing\n", "c.env": env(2) }, "lg-workers-");
    const scanner = createScanner(loadConfig({ root: d, noConfigFile: true }), { salt: "small" });
    const moved: number[] = [];
    const r = await scanFiles(scanner, [d], { root: d, onWorkers: (n) => moved.push(n) });
    expect(r.findings.map((f) => f.file)).toEqual(["a.env", "c.env"]);
    expect(moved).toEqual([]);
  });

  it("a scanner a worker cannot stand in for (its own scanFragment, an injected clock) is never replaced by workers", async () => {
    const d = tempFolder({ "slow.js": env(1), "fast.js": "ok\n" }, "lg-workers-");
    let t = 0;
    let slow = false;
    const inner = createScanner(loadConfig({ root: d, noConfigFile: true }), { timeBudgetMs: 1000, now: () => (slow ? (t += 5000) : t) });
    const ticking = { ...inner, scanFragment: (f: { text: string; path: string }) => ((slow = f.path === "slow.js"), inner.scanFragment(f)) };
    const moved: number[] = [];
    const force = { root: d, workers: 2, workerThreshold: { files: 0, bytes: 0 }, onWorkers: (n: number) => moved.push(n) };
    const r = await scanFiles(ticking, [d], force);
    expect(r.skipped!.map((s) => `${s.path} ${s.reason}`)).toEqual(["slow.js timeout"]);
    // A clock that always jumps: every file runs out of time, which a worker (real clock) would not do.
    const jumping = createScanner(loadConfig({ root: d, noConfigFile: true }), { timeBudgetMs: 1000, now: () => (t += 5000) });
    const clocked = await scanFiles(jumping, [d], force);
    expect(clocked.skipped!.map((s) => `${s.path} ${s.reason}`)).toEqual(["fast.js timeout", "slow.js timeout"]);
    expect(moved).toEqual([]);
  });

  it("a configured regex that runs past the budget in a worker is stopped by the watchdog; the other files are scanned", async () => {
    const d = tempFolder({ ".leakguard.toml": SLOW_RULE_TOML, "slow.txt": slowText(), "ok.txt": "mail x@\n", "also.txt": "y@\n" }, "lg-workers-");
    const scanner = createScanner(loadConfig({ root: d }), { salt: "wd", timeBudgetMs: WATCHDOG_TEST_BUDGET_MS });
    expect(scanner.guarded).toBe(true);
    const moved: number[] = [];
    try {
      const r = await scanFiles(scanner, [d], { root: d, workers: 2, workerThreshold: { files: 0, bytes: 0 }, onWorkers: (n) => moved.push(n) });
      expect(moved).toEqual([2]);
      expect(r.findings.filter((f) => f.ruleId === "at-sign").map((f) => f.file)).toEqual(["also.txt", "ok.txt"]);
      expect(r.skipped!.map((s) => `${s.path} ${s.reason}`)).toEqual(["slow.txt timeout"]);
      expect(r.warnings).toEqual([expect.stringMatching(new RegExp(`^slow\\.txt: not scanned, timed out: a configured regex ran past the time budget \\(${WATCHDOG_TEST_BUDGET_MS} ms`))]);
    } finally {
      await scanner.close();
    }
  });
});
