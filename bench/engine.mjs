// Engine benchmark: MB/s of the pure engine on in-memory text (typical
// source, minified bundles, adversarial patterns), and how cost grows with size.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { githubToken } from "./hostile-secrets.mjs";
import { hostilePatterns } from "./hostile-patterns.mjs";
import { fmt, median, table } from "./lib.mjs";

const { createScanner } = await import("../dist/core/scanner.js");
const { loadConfig } = await import("../dist/config/load.js");
const scanner = createScanner(loadConfig({ noConfigFile: true }));

function collect(dir, pred, limitBytes) {
  const out = [];
  let total = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    for (const e of entries) {
      if (total >= limitBytes) return;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && pred(p)) {
        const size = statSync(p).size;
        if (size > 20 * 1048576) continue;
        out.push(readFileSync(p, "utf8"));
        total += size;
      }
    }
  };
  walk(dir);
  return out;
}

function mbps(texts, runs = 3) {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = process.hrtime.bigint();
    for (const t of texts) scanner.scanFragment({ text: t, path: "bench.js" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) times.push(ms);
  }
  const ms = median(times);
  return { bytes, ms };
}

/** A few of the hostile families (bench/hostile.mjs measures them all). */
const HOSTILE = hostilePatterns(githubToken);
const ADVERSARIAL = Object.fromEntries(["run of a", "BEGIN without END", "base64 run", "key=value flood", "password: flood"].map((k) => [k, HOSTILE[k]]));

export function runEngineBench(nodeModules) {
  const rows = [];
  const source = collect(nodeModules, (p) => /\.(js|ts|mjs|cjs|json|md)$/.test(p) && !/\.min\.js$/.test(p), 40 * 1048576);
  const r1 = mbps(source, 3);
  rows.push(["typical source (node_modules .js/.ts/.json/.md)", `${(r1.bytes / 1048576).toFixed(1)} MB`, fmt.ms(r1.ms), fmt.mbps(r1.bytes, r1.ms)]);
  const minified = collect(nodeModules, (p) => /\.min\.js$|\/dist\/[^/]+\.js$/.test(p), 20 * 1048576);
  const r2 = mbps(minified, 3);
  rows.push(["minified bundles (*.min.js, dist/*.js)", `${(r2.bytes / 1048576).toFixed(1)} MB`, fmt.ms(r2.ms), fmt.mbps(r2.bytes, r2.ms)]);
  const lin = [];
  for (const [name, gen] of Object.entries(ADVERSARIAL)) {
    const small = mbps([gen(2 * 1048576)], 3);
    const big = mbps([gen(8 * 1048576)], 3);
    rows.push([`adversarial: ${name}`, "2 → 8 MB", `${fmt.ms(small.ms)} → ${fmt.ms(big.ms)}`, fmt.mbps(big.bytes, big.ms)]);
    lin.push([name, fmt.ratio(big.ms, small.ms)]);
  }
  return {
    text: table(["engine input", "size", "median time", "throughput"], rows) +
      "\n\nGrowth with size (time for 8 MB ÷ time for 2 MB; linear = 4.0×):\n\n" +
      table(["pattern", "8 MB / 2 MB"], lin),
  };
}
