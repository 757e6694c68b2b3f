// Benchmark helpers: run a command several times, take the median wall time
// and the peak RSS (GNU time when present). Nothing here asserts on time.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const HAVE_GNU_TIME = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0;

/** Runs cmd once; returns { ms, rssMB, status, stdout, stderr }. */
export function runOnce(cmd, args, opts = {}) {
  const timed = HAVE_GNU_TIME && opts.rss !== false;
  const argv = timed ? ["-f", "__RSS__%M", cmd, ...args] : args;
  const bin = timed ? "/usr/bin/time" : cmd;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, argv, {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    input: opts.input,
    stdio: ["pipe", opts.captureStdout ? "pipe" : "ignore", "pipe"],
    maxBuffer: 1024 * 1024 * 1024,
    shell: opts.shell ?? false,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let stderr = r.stderr ? r.stderr.toString() : "";
  let rssMB;
  const m = /__RSS__(\d+)\s*$/.exec(stderr);
  if (m) {
    rssMB = Number(m[1]) / 1024;
    stderr = stderr.slice(0, m.index);
  }
  return { ms, rssMB, status: r.status, stdout: r.stdout ? r.stdout.toString() : "", stderr };
}

/** Median of `runs` runs (after `warmup` unmeasured ones). */
export function measure(cmd, args, opts = {}) {
  const runs = opts.runs ?? 3;
  for (let i = 0; i < (opts.warmup ?? 1); i++) runOnce(cmd, args, opts);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(runOnce(cmd, args, opts));
  const bad = results.find((r) => opts.okCodes ? !opts.okCodes.includes(r.status) : r.status !== 0 && r.status !== 1);
  if (bad) throw new Error(`${cmd} ${args.join(" ")} exited ${bad.status}: ${bad.stderr.slice(0, 500)}`);
  const ms = median(results.map((r) => r.ms));
  const rss = results.map((r) => r.rssMB).filter((x) => x !== undefined);
  return { ms, rssMB: rss.length ? Math.max(...rss) : undefined, last: results[results.length - 1] };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Total size and count of regular files below dir (no symlinks). */
export function treeSize(dir) {
  let bytes = 0;
  let files = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        bytes += statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

export const fmt = {
  ms: (x) => (x >= 10000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`),
  mbps: (bytes, ms) => `${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MB/s`,
  mb: (x) => (x === undefined ? "n/a" : `${x.toFixed(0)} MB`),
  ratio: (a, b) => `${(a / b).toFixed(2)}×`,
};

/** A markdown table. */
export function table(headers, rows) {
  const out = [`| ${headers.join(" | ")} |`, `| ${headers.map(() => "---").join(" | ")} |`];
  for (const r of rows) out.push(`| ${r.join(" | ")} |`);
  return out.join("\n");
}
