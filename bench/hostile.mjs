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
// The decoding pass registers itself on import; measure it too.
import "../dist/engine/decode.js";
import { githubToken } from "./hostile-secrets.mjs";

const MiB = 1024 * 1024;
const SIZES = [1, 2, 4, 8];
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomFrom(alphabet, n, seed) {
  let a = seed >>> 0;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = alphabet[(((t ^ (t >>> 14)) >>> 0) % alphabet.length)];
  }
  return out.join("");
}
const fill = (unit, n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

/** The same families as test/hostile/content.test.ts. */
const PATTERNS = {
  "run of a": (n) => "a".repeat(n),
  "a=a=a=": (n) => fill("a=", n),
  "double quotes": (n) => '"'.repeat(n),
  "single quotes": (n) => "'".repeat(n),
  backslashes: (n) => "\\".repeat(n),
  spaces: (n) => " ".repeat(n),
  newlines: (n) => "\n".repeat(n),
  CRs: (n) => "\r".repeat(n),
  "BEGIN without END": (n) => fill("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA" + "A".repeat(48) + "\n", n),
  "BEGIN headers only": (n) => fill("-----BEGIN ", n),
  "base64 run": (n) => randomFrom(B64, n, 7),
  "hex run": (n) => randomFrom("0123456789abcdef", n, 8),
  "nested base64": (n) => {
    let s = `token=${githubToken(9)}`;
    while (s.length < 64 * 1024) s = Buffer.from(s).toString("base64");
    return fill(s + "\n", n);
  },
  "percent-encoding": (n) => fill("%25", n),
  "key=value flood": (n) => fill("api_key=", n),
  "password: flood": (n) => fill('password: "', n),
  "AKIA flood": (n) => fill("AKIA", n),
  "ghp_ flood": (n) => fill("ghp_", n),
  "xoxb- flood": (n) => fill("xoxb-1", n),
  "https://user: flood": (n) => fill("https://user:", n),
  "minified js": (n) => fill('function a(b,c){return b.map(function(d){return d*c+"x"})};var e={k:"v",n:1};', n),
  "tokens every 1 KiB": (n) => fill(`${"x".repeat(1000)} GITHUB_TOKEN=${githubToken(11)}\n`, n),
};

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
