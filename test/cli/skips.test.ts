/**
 * Files left unscanned are never silent: each is named (a warning line in
 * text; `skipped` in json; a SARIF tool notification with its location; a
 * JUnit skipped test case), and `--fail-on-skip` turns any skip into exit 1
 * with one line on stderr. Every scanning source: scan, staged, history,
 * inventory.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { historyScan } from "../../src/scans/history.js";
import { loadConfig } from "../../src/config/load.js";
import { prepareStaged, scanStagedChanges } from "../../src/scans/staged.js";
import type { SkippedFile } from "../../src/core/report.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { scanFiles } from "../../src/sources/files.js";
import { zip } from "../helpers/archives.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { schemaErrors } from "../helpers/sarif-validate.js";
import { commitAs, line } from "../helpers/history-fixture.js";

const repos: TestRepo[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
  // rm -rf: it walks by handles, so it also removes folders nested past PATH_MAX.
  for (const d of dirs.splice(0)) execFileSync("rm", ["-rf", "--", d]);
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "lg-skip-"));
  dirs.push(d);
  return d;
}
function newRepo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  return r;
}

const token = githubToken(901);
const BINARY = Buffer.from(`key = ${token}\n\0\n`);
const BIG = line("t", token) + "x".repeat(4000) + "\n";

/** A scanner whose clock jumps past the time budget while it scans `slow.js` (no wall-clock dependence). */
function tickingScanner(root: string): Scanner {
  let t = 0;
  let slow = false;
  const inner = createScanner(loadConfig({ root, noConfigFile: true }), { timeBudgetMs: 1000, now: () => (slow ? (t += 5000) : t) });
  return {
    ...inner,
    scanFragment: (frag) => {
      slow = frag.path === "slow.js";
      return inner.scanFragment(frag);
    },
  };
}

const brief = (s: readonly SkippedFile[]): string[] => s.map((x) => `${x.path} ${x.reason}`).sort();

/** Folders nested deeper than PATH_MAX, built step by step with relative paths (the only way to make them). */
function tooDeep(root: string): string {
  const seg = "d".repeat(200);
  const depth = 22; // 22 × 201 > 4096
  const script = `process.chdir(process.argv[1]); for (let i = 0; i < ${depth}; i++) { require("fs").mkdirSync("${seg}"); process.chdir("${seg}"); } require("fs").writeFileSync("f.env", "x\\n");`;
  execFileSync(process.execPath, ["-e", script, root]);
  return Array.from({ length: depth }, () => seg).join("/");
}

describe("scan: every skipped file is named and listed", () => {
  it("binary, too large, archive limits and a path too long: warning lines, json skipped, exit 0 unless --fail-on-skip", async () => {
    const d = tmp();
    writeFileSync(join(d, "bin.dat"), BINARY);
    writeFileSync(join(d, "big.env"), BIG);
    const l3 = zip([{ name: "l3.env", data: `k=${token}\n` }]);
    writeFileSync(join(d, "outer.zip"), zip([{ name: "inner.zip", data: zip([{ name: "l3.zip", data: l3 }]) }]));
    writeFileSync(join(d, "clean.txt"), "nothing here\n");
    const deep = tooDeep(d);
    // The deepest folder that can still be listed is the one whose children's paths overflow.
    const expected = ["big.env too-large", "bin.dat binary", "outer.zip!inner.zip!l3.zip archive-depth"];

    const json = await runIn(d, ["scan", "--format", "json", "--max-file-size", "1KB", "."]);
    expect(json.code).toBe(0); // nothing found: the skips alone do not fail by default
    const j = JSON.parse(json.stdout) as { skipped: SkippedFile[]; summary: { skipped: Record<string, number> } };
    const unreadable = j.skipped.filter((s) => s.reason === "unreadable");
    expect(unreadable).toHaveLength(1);
    expect(deep.startsWith(unreadable[0]!.path)).toBe(true);
    expect(unreadable[0]!.detail).toMatch(/ENAMETOOLONG/);
    expect(brief(j.skipped.filter((s) => s.reason !== "unreadable"))).toEqual(expected);
    expect(j.skipped.find((s) => s.path === "big.env")!.detail).toBe(`skipped, ${BIG.length} bytes is over the 1024-byte limit (--max-file-size)`);
    expect(j.summary.skipped).toMatchObject({ binary: 1, "too-large": 1, "archive-depth": 1, unreadable: 1 });

    const text = await runIn(d, ["scan", "--max-file-size", "1KB", "."]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("warning: bin.dat: skipped (binary)\n");
    expect(text.stdout).toContain(`warning: big.env: skipped, ${BIG.length} bytes is over the 1024-byte limit (--max-file-size)\n`);
    expect(text.stdout).toMatch(/warning: outer\.zip!inner\.zip!l3\.zip: archive nested deeper than 2 levels/);
    expect(text.stdout).toMatch(/warning: (d{200}\/)+d{200}: cannot list folder \(ENAMETOOLONG\)/);
    expect(text.stdout).not.toContain(token);

    const fail = await runIn(d, ["scan", "--format", "json", "--max-file-size", "1KB", "--fail-on-skip", "."]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toBe("leakguard: 4 files not scanned (--fail-on-skip)\n");
    const clean = await runIn(d, ["scan", "--fail-on-skip", "clean.txt"]);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toBe("");
  });

  it("a file that ran out of its time budget is listed as skipped (timeout)", async () => {
    const d = tmp();
    writeFileSync(join(d, "slow.js"), line("t", token));
    writeFileSync(join(d, "fast.js"), "ok\n");
    const r = await scanFiles(tickingScanner(d), [d], { root: d });
    expect(brief(r.skipped!)).toEqual(["slow.js timeout"]);
    expect(r.skipped![0]!.detail).toMatch(/time budget ran out/);
  });

  it("text names the first 20 skipped files and counts the rest; json lists all", async () => {
    const d = tmp();
    for (let i = 0; i < 25; i++) writeFileSync(join(d, `b${String(i).padStart(2, "0")}.bin`), BINARY);
    const text = await runIn(d, ["scan", "."]);
    const named = text.stdout.split("\n").filter((l) => /^warning: b\d\d\.bin: skipped \(binary\)$/.test(l));
    expect(named).toHaveLength(20);
    expect(text.stdout).toContain("warning: … and 5 more skipped files (--format json lists them all)\n");
    const json = JSON.parse((await runIn(d, ["scan", "--format", "json", "."])).stdout) as { skipped: SkippedFile[] };
    expect(json.skipped).toHaveLength(25);
  });

  it("SARIF: each skipped file is a tool notification with its location, valid against the schema; JUnit: a skipped test case", async () => {
    const d = tmp();
    writeFileSync(join(d, "bin.dat"), BINARY);
    writeFileSync(join(d, "big.env"), BIG);
    writeFileSync(join(d, "app.env"), `TOKEN=${token}\n`);
    const sarif = await runIn(d, ["scan", "--format", "sarif", "--max-file-size", "1KB", "."]);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string }; locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }> };
    expect(schemaErrors(log)).toEqual([]);
    const notes = log.runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notes.map((n) => [n.locations?.[0]?.physicalLocation.artifactLocation.uri, n.message.text]).sort()).toEqual([
      ["big.env", `big.env: skipped, ${BIG.length} bytes is over the 1024-byte limit (--max-file-size).`],
      ["bin.dat", "bin.dat: skipped (binary)."],
    ]);
    const junit = await runIn(d, ["scan", "--format", "junit", "--max-file-size", "1KB", "."]);
    expect(junit.stdout).toContain(`<testsuite name="leakguard skipped" tests="2" failures="0" errors="0" skipped="2" time="0">`);
    expect(junit.stdout).toContain(`<testcase classname="bin.dat" name="skipped: binary" time="0">`);
    expect(junit.stdout).toContain(`<skipped message="bin.dat: skipped (binary)"/>`);
  });
});

describe("staged: skipped files are named", () => {
  it("binary and too-large staged files: warning lines, json skipped, --fail-on-skip exit 1; a timed-out file is listed", async () => {
    const repo = newRepo();
    repo.write(".leakguard.toml", `[scan]\nmaxFileSize = "1KB"\n`);
    repo.write("README.md", "hi\n");
    commitAs(repo, "init", "2024-01-01T00:00:00Z");
    repo.write("bin.dat", BINARY).write("big.env", BIG).write("ok.txt", "fine\n");
    repo.add();
    const json = await runIn(repo.dir, ["staged", "--format", "json"]);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout) as { skipped: SkippedFile[] };
    expect(brief(j.skipped)).toEqual(["big.env too-large", "bin.dat binary"]);
    const text = await runIn(repo.dir, ["staged"]);
    expect(text.stdout).toContain("warning: bin.dat: skipped (binary)\n");
    expect(text.stdout).toContain("warning: big.env: skipped, larger than 1024 bytes (max file size)\n");
    const fail = await runIn(repo.dir, ["staged", "--fail-on-skip"]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain("leakguard: 2 files not scanned (--fail-on-skip)\n");

    repo.git("rm", "-q", "--cached", "bin.dat", "big.env");
    repo.write("slow.js", line("t", token)).add("slow.js");
    const r = await scanStagedChanges(tickingScanner(repo.dir), await prepareStaged(repo.dir));
    expect(brief(r.skipped!)).toEqual(["slow.js timeout"]);
  });
});

describe("history: skipped blobs are named like staged names them", () => {
  it("binary and too-large blobs: warning lines with the commit, json skipped, --fail-on-skip exit 1 (also from the cache, and for inventory)", async () => {
    const repo = newRepo();
    repo.write(".leakguard.toml", `[scan]\nmaxFileSize = "1KB"\n`);
    repo.write("bin.dat", BINARY).write("big.env", BIG).write("ok.txt", "fine\n");
    const c = commitAs(repo, "add", "2024-01-01T00:00:00Z");
    const json = await runIn(repo.dir, ["history", "--format", "json"]);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout) as { skipped: SkippedFile[] };
    expect(brief(j.skipped)).toEqual(["big.env too-large", "bin.dat binary"]);
    expect(j.skipped.every((s) => s.commit === c)).toBe(true);
    const text = await runIn(repo.dir, ["history"]);
    expect(text.stdout).toContain(`warning: ${c.slice(0, 12)}:bin.dat: skipped (binary)\n`);
    expect(text.stdout).toContain(`warning: ${c.slice(0, 12)}:big.env: skipped, larger than 1024 bytes (max file size)\n`);

    const cache = tmp();
    for (let run = 0; run < 2; run++) {
      const fail = await runIn(repo.dir, ["history", "--format", "json", "--fail-on-skip", "--cache", cache]);
      expect(fail.code).toBe(1);
      expect(fail.stderr).toBe("leakguard: 2 files not scanned (--fail-on-skip)\n");
      expect(brief((JSON.parse(fail.stdout) as { skipped: SkippedFile[] }).skipped)).toEqual(["big.env too-large", "bin.dat binary"]);
    }
    const inv = await runIn(repo.dir, ["inventory", "--format", "json", "--fail-on-skip"]);
    expect(inv.code).toBe(1);
    expect(inv.stderr).toContain(`warning: ${c.slice(0, 12)}:bin.dat: skipped (binary)\n`);
    expect(brief((JSON.parse(inv.stdout) as { skipped: SkippedFile[] }).skipped)).toEqual(["big.env too-large", "bin.dat binary"]);
  });

  it("a skip known from the cache is named at the same place as without it (recorded in its turn)", async () => {
    const repo = newRepo();
    repo.write("a.bin", BINARY);
    const c1 = commitAs(repo, "binary", "2024-01-01T00:00:00Z");
    // The same blob at a path of another place key, in a later commit.
    repo.write("b.env", BINARY);
    commitAs(repo, "again", "2024-01-02T00:00:00Z");
    const named = async (args: string[]): Promise<string[]> =>
      (JSON.parse((await runIn(repo.dir, ["history", "--format", "json", ...args])).stdout) as { skipped: SkippedFile[] }).skipped.map((x) => `${x.path}@${x.commit}`);
    const plain = await named([]);
    expect(plain).toEqual([`a.bin@${c1}`]);
    const cache = tmp();
    // The later commit alone first: its skip goes to the cache, and the full run meets it planned
    // after a.bin, whose scan is not done yet when b.env's cached skip would otherwise be noted.
    await named(["--range", "HEAD~1..HEAD", "--cache", cache]);
    expect(await named(["--cache", cache])).toEqual(plain);
  });

  it("a blob that ran out of its time budget is listed as skipped (timeout) and not cached clean", async () => {
    const repo = newRepo();
    repo.write("slow.js", line("t", token)).write("fast.js", "ok\n");
    commitAs(repo, "add", "2024-01-01T00:00:00Z");
    const cache = tmp();
    for (let run = 0; run < 2; run++) {
      // In this thread (workers: 0): the ticking clock lives here.
      const res = await historyScan({ repo: repo.dir, scanner: tickingScanner(repo.dir), workers: 0, cacheDir: cache });
      expect(brief(res.report.skipped!)).toEqual(["slow.js timeout"]);
    }
  });
});
