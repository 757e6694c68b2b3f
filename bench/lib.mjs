// Benchmark helpers: run a command several times, take the median wall time,
// the median CPU time (user+sys of the process tree) and the peak RSS (both
// from GNU time when present). Nothing here asserts on time.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

export const HAVE_GNU_TIME = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0;

const TIME_MARK = "__LGBENCH__";

/**
 * Runs cmd once; returns { ms, cpuMs, rssMB, status, stdout, stderr }.
 * cpuMs and rssMB come from GNU time (undefined without it, or with opts.rss === false).
 */
export function runOnce(cmd, args, opts = {}) {
  const timed = HAVE_GNU_TIME && opts.rss !== false;
  const argv = timed ? ["-f", `${TIME_MARK}%U %S %M`, cmd, ...args] : args;
  const bin = timed ? "/usr/bin/time" : cmd;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, argv, {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    input: opts.input,
    stdio: ["pipe", opts.captureStdout ? "pipe" : "ignore", "pipe"],
    maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let stderr = r.stderr ? r.stderr.toString() : "";
  let cpuMs;
  let rssMB;
  const m = new RegExp(`${TIME_MARK}([\\d.]+) ([\\d.]+) (\\d+)\\s*$`).exec(stderr);
  if (m) {
    cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
    rssMB = Number(m[3]) / 1024;
    stderr = stderr.slice(0, m.index);
  }
  // GNU time reports a command that could not start as status 127 with its own message.
  const status = r.error ? -1 : r.status;
  return { ms, cpuMs, rssMB, status, stdout: r.stdout ? r.stdout.toString() : "", stderr: r.error ? String(r.error.message) : stderr };
}

/**
 * Median of `runs` runs (after `warmup` unmeasured ones, default 1). Exit codes
 * other than opts.okCodes (default 0 and 1: "found something") throw.
 * Returns { ms, cpuMs, rssMB, runs, last }: median wall, median CPU, peak RSS over the runs.
 */
export function measure(cmd, args, opts = {}) {
  const runs = Math.max(1, opts.runs ?? 3);
  const okCodes = opts.okCodes ?? [0, 1];
  const check = (r) => {
    if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.trim().slice(0, 300)}`);
    return r;
  };
  for (let i = 0; i < (opts.warmup ?? 1); i++) check(runOnce(cmd, args, opts));
  const results = [];
  for (let i = 0; i < runs; i++) results.push(check(runOnce(cmd, args, opts)));
  const cpu = results.map((r) => r.cpuMs).filter((x) => x !== undefined);
  const rss = results.map((r) => r.rssMB).filter((x) => x !== undefined);
  return {
    ms: median(results.map((r) => r.ms)),
    cpuMs: cpu.length ? median(cpu) : undefined,
    rssMB: rss.length ? Math.max(...rss) : undefined,
    runs,
    last: results[results.length - 1],
  };
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

/**
 * The executable for a tool: `override` when given (an empty string means
 * "treat as not installed", for trying the bench without it), else `name`
 * looked up on PATH. Returns undefined when there is none.
 */
export function findTool(name, override) {
  if (override !== undefined) {
    if (override === "") return undefined;
    if (isAbsolute(override)) return isExecutable(override) ? override : undefined;
    name = override;
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** First line of a tool's `--version` style output, or undefined. */
export function versionOf(cmd, args = ["--version"]) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) return undefined;
  return (r.stdout || r.stderr).trim().split("\n")[0];
}

export const fmt = {
  ms: (x) => (x === undefined ? "n/a" : x >= 10000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`),
  mbps: (bytes, ms) => `${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MB/s`,
  perSecond: (count, ms, unit) => `${Math.round(count / (ms / 1000)).toLocaleString("en-US")} ${unit}/s`,
  mb: (x) => (x === undefined ? "n/a" : `${x.toFixed(0)} MB`),
  size: (bytes) => (bytes >= 10 * 1048576 ? `${Math.round(bytes / 1048576).toLocaleString("en-US")} MB` : `${(bytes / 1048576).toFixed(1)} MB`),
  count: (n) => Number(n).toLocaleString("en-US"),
  /** `a` as a multiple of the floor `b`: "7.89×". */
  ratio: (a, b) => (a === undefined || b === undefined || !(b > 0) ? "n/a" : `${(a / b).toFixed(2)}×`),
  /** A start-up time over node's own: "node + 162 ms" (or "node − 3 ms"). */
  overNode: (ms, nodeMs) => {
    const d = Math.round(ms - nodeMs);
    return d >= 0 ? `node + ${d} ms` : `node − ${-d} ms`;
  },
};

/** A markdown table. */
export function table(headers, rows) {
  const out = [`| ${headers.join(" | ")} |`, `| ${headers.map(() => "---").join(" | ")} |`];
  for (const r of rows) out.push(`| ${r.join(" | ")} |`);
  return out.join("\n");
}

/**
 * Replaces the given absolute paths in text by their labels (longest first),
 * so that nothing printed names a folder of this machine.
 * @param {Array<[string, string]>} pairs [path, label]
 */
export function redactPaths(text, pairs) {
  let out = String(text);
  for (const [path, label] of [...pairs].filter(([p]) => p && p.length > 1).sort((a, b) => b[0].length - a[0].length)) {
    out = out.split(path.replace(/\/+$/, "")).join(label);
  }
  return out;
}
