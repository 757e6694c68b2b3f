/**
 * Hostile content against the full built-in rule set: pathological strings
 * aimed at the rules' regexes, a 12 MB single-line minified file, and the
 * per-file time budget as the last guard. No timing assertions: a hang shows
 * as the test timeout; scaling is measured by bench/hostile.mjs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { scanFiles } from "../../src/sources/files.js";
import { hostilePatterns } from "../../bench/hostile-patterns.mjs";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";

const MB = 1024 * 1024;
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), "lg-content-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

let scanner: Scanner;
beforeAll(() => {
  scanner = createScanner(loadConfig({ root: tmpdir(), noConfigFile: true }));
});

/** 1 MB each of every hostile family (shared with the benchmarks); the scanner's decoding pass runs on them too. */
export const HOSTILE = hostilePatterns(githubToken);
const fill = (unit: string, bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

describe("pathological input", () => {
  const token = githubToken(301);
  for (const [name, gen] of Object.entries(HOSTILE)) {
    it(`${name}: 1 MB scans with every built-in rule, and a secret after it is found at the right place`, () => {
      const body = gen(MB);
      const text = `${body}\n${token}\n`;
      const res = scanner.scanFragment({ text, path: "hostile.js" });
      expect(res.timedOut).toBeUndefined();
      const lines = text.split(/\r\n|\r|\n/);
      const hits = res.findings.filter((f) => f.secret === token);
      expect(hits).toHaveLength(1);
      expect(lines[hits[0]!.line - 1]).toBe(token);
      expect(hits[0]!.column).toBe(1);
    });
  }
});

describe("a 12 MB single-line minified file", () => {
  it("is scanned by the CLI with findings at the right columns", async () => {
    const d = tmp();
    const tokens = [githubToken(311), githubToken(312), githubToken(313)];
    const chunk = 'function a(b,c){return b.map(function(d){return d*c+"x"})};var e={k:"v",n:1,list:[1,2,3]};';
    const total = 12 * MB;
    const parts: string[] = [];
    const cols: number[] = [];
    let len = 0;
    const plant = (t: string): void => {
      const s = `var t${cols.length}="`;
      parts.push(s);
      len += s.length;
      cols.push(len + 1);
      parts.push(t, '";');
      len += t.length + 2;
    };
    plant(tokens[0]!);
    while (len < total / 2) {
      parts.push(chunk);
      len += chunk.length;
    }
    plant(tokens[1]!);
    while (len < total) {
      parts.push(chunk);
      len += chunk.length;
    }
    plant(tokens[2]!);
    writeFileSync(join(d, "bundle.min.js"), parts.join(""));
    const r = await runIn(d, ["scan", "-f", "json", "bundle.min.js"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: Array<{ line: number; column: number; endColumn: number; ruleId: string }>; summary: { files: number } };
    expect(out.findings.filter((f) => f.ruleId === "github-pat").map((f) => [f.line, f.column, f.endColumn])).toEqual(cols.map((c, i) => [1, c, c + tokens[i]!.length]));
    expect(out.summary.files).toBe(1);
    expect(r.stdout).not.toContain(tokens[1]);
  });
});

describe("per-file time budget", () => {
  it("a file that runs out of budget is reported as skipped with a warning; the other files are still scanned", async () => {
    const d = tmp();
    writeFileSync(join(d, "a.env"), `T=${githubToken(321)}\n`);
    writeFileSync(join(d, "slow.js"), fill("api_key=", MB));
    // A clock that stands still for a.env and jumps 20 s per reading for slow.js: the budget runs
    // out there, deterministically, whatever the machine's speed.
    let t = 0;
    let slow = false;
    const inner = createScanner(loadConfig({ root: d, noConfigFile: true }), { timeBudgetMs: 10_000, now: () => (slow ? (t += 20_000) : t) });
    const ticking: Scanner = {
      ...inner,
      scanFragment: (frag) => {
        slow = frag.path === "slow.js";
        return inner.scanFragment(frag);
      },
    };
    const r = await scanFiles(ticking, [d], { root: d });
    expect(r.findings.map((f) => f.file)).toEqual(["a.env"]);
    expect(r.stats.skipped.timeout).toBe(1);
    expect(r.warnings).toEqual(["slow.js: time budget ran out (--timeout-per-file); findings up to that point are reported, the rest of the file is not scanned"]);
    expect(r.stats.files).toBe(2);
  });

  it("the CLI takes --timeout-per-file MS, reports the skip in the summary, and rejects a bad value", async () => {
    const d = tmp();
    writeFileSync(join(d, "big.js"), fill("AKIA api_key= token: ", 8 * MB));
    // Reading 8 MB for the keyword pass alone takes far more than 1 ms, so the budget runs out.
    const r = await runIn(d, ["scan", "-f", "json", "--timeout-per-file", "1", "."]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: { skipped: Record<string, number>; warnings: string[] } };
    expect(out.summary.skipped.timeout).toBe(1);
    expect(out.summary.warnings[0]).toMatch(/^big\.js: time budget ran out/);
    const text = await runIn(d, ["scan", "--timeout-per-file", "1", "."]);
    expect(text.stdout).toMatch(/warning: big\.js: time budget ran out/);
    expect(text.stdout).toMatch(/skipped: 1 timeout/);
    for (const bad of ["-5", "soon"]) {
      const e = await runIn(d, ["scan", "--timeout-per-file", bad, "."]);
      expect(e.code).toBe(2);
      expect(e.stderr).toMatch(/--timeout-per-file/);
    }
  });
});
