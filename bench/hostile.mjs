#!/usr/bin/env node
/**
 * Scaling check for hostile input: scan time of 1, 2, 4 and 8 MiB of each
 * pathological pattern with the full built-in rule set, and the ratio of
 * each size's time to the 1 MiB time. Linear scanning gives ratios near
 * 1, 2, 4, 8; a quadratic regex would give 1, 4, 16, 64. Single ratios are
 * noisy, so the verdict uses the growth exponent fitted over all four sizes
 * (log time over log size: linear 1, quadratic 2): the script exits 1 when
 * it passes 1.5 for any pattern that takes 100 ms or more at 8 MiB (faster
 * ones are noise-bound, and too fast to matter).
 *
 * Run after `npm run build`:  node bench/hostile.mjs [pattern-substring]
 * Timing lives here, never in tests.
 */
import { createScanner, loadConfig } from "../dist/index.js";
import { githubToken } from "./hostile-secrets.mjs";
import { hostilePatterns } from "./hostile-patterns.mjs";

const MiB = 1024 * 1024;
const SIZES = [1, 2, 4, 8];
/** The same families as test/hostile/content.test.ts (bench/hostile-patterns.mjs). */
const PATTERNS = hostilePatterns(githubToken);

const only = process.argv[2];
const scanner = createScanner(loadConfig({ root: process.cwd(), noConfigFile: true }));
// Flat strings, as a file read gives: "x".repeat() builds a rope that is slower to index.
const flat = (s) => Buffer.from(s, "utf8").toString("utf8");

function time(text) {
  const t = performance.now();
  const r = scanner.scanFragment({ text, path: "bench.js" });
  return { ms: performance.now() - t, findings: r.findings.length };
}

let worst = 0;
console.log(`${"pattern".padEnd(22)} ${SIZES.map((s) => `${s} MiB`.padStart(9)).join("")}   ratios (vs 1 MiB)`);
for (const [name, gen] of Object.entries(PATTERNS)) {
  if (only && !name.includes(only)) continue;
  time(flat(gen(64 * 1024))); // warm up
  const ms = SIZES.map((s) => {
    const text = flat(gen(s * MiB));
    // Best of three: the lowest time is the truest cost on a busy machine.
    return Math.min(time(text).ms, time(text).ms, time(text).ms);
  });
  const ratios = ms.map((m) => m / ms[0]);
  // Growth exponent: the slope of log(time) over log(size), least squares over all sizes
  // (1 = linear, 2 = quadratic); steadier than any single ratio on a busy machine.
  const xs = SIZES.map(Math.log);
  const ys = ms.map((m) => Math.log(Math.max(m, 0.1)));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  // Below 100 ms at 8 MiB, scheduler noise outweighs any growth: too fast to judge (and to matter).
  if (ms[ms.length - 1] >= 100) worst = Math.max(worst, slope);
  const mibPerS = (SIZES[SIZES.length - 1] / (ms[ms.length - 1] / 1000)).toFixed(0);
  console.log(
    `${name.padEnd(22)} ${ms.map((m) => `${m.toFixed(0)}ms`.padStart(9)).join("")}   ${ratios.map((r) => r.toFixed(1)).join(" / ")}   exponent ${slope.toFixed(2)}   ${mibPerS} MiB/s`,
  );
}
console.log(`\nworst growth exponent: ${worst.toFixed(2)} (linear 1, quadratic 2; fails above 1.5)`);
process.exitCode = worst > 1.5 ? 1 : 0;
