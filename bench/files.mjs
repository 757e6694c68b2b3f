// Files section: `leakguard scan` over one folder against the floor, ripgrep
// running 20 typical secret patterns over the same files, and gitleaks and
// secretlint beside it when they are there. Every figure is also a ratio to
// ripgrep's, measured in the same run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ripgrepArgs, SECRET_PATTERNS } from "./secret-patterns.mjs";
import { fmt, measure, table, treeSize } from "./lib.mjs";

/**
 * @param {object} o
 * @param {string} o.dir the folder to scan (the current folder of every tool)
 * @param {string[]} o.leakguard the leakguard command line (node, bin, args...)
 * @param {number} o.runs measured runs per tool (after one warm-up)
 * @param {{ rg?: string, gitleaks?: string, secretlint?: string }} o.tools executables, absent = not installed
 * @param {string} o.work a folder for config files
 * @param {string} o.job the job's name in the summary
 * @returns {{ text: string, summary: object }}
 */
export function filesSection(o) {
  const { bytes, files } = treeSize(o.dir);
  const lines = [];
  const rows = [];
  const summary = { job: o.job, floorName: `ripgrep, ${SECRET_PATTERNS.length} patterns`, tools: {} };
  const row = (name, m) => [name, fmt.ms(m.ms), fmt.mbps(bytes, m.ms), fmt.ms(m.cpuMs), fmt.mb(m.rssMB)];

  const name = `ripgrep, ${SECRET_PATTERNS.length} patterns`;
  if (o.tools.rg) {
    const floor = tryMeasure(() => measure(o.tools.rg, ripgrepArgs(), { cwd: o.dir, runs: o.runs }));
    if (!floor.error) summary.floor = floor;
    rows.push(floor.error ? failed(`${name} (floor)`, floor.error) : [...row(`${name} (floor)`, floor), "1.00×", "1.00×"]);
  } else {
    lines.push("ripgrep not installed (apt-get install ripgrep): no floor, leakguard's own figures only.");
  }
  // Wall and CPU as multiples of the floor's: on a busy machine CPU is the steadier one.
  const ratios = (m) => [fmt.ratio(m.ms, summary.floor?.ms), fmt.ratio(m.cpuMs, summary.floor?.cpuMs)];

  if (o.tools.gitleaks) {
    const gl = tryMeasure(() => measure(o.tools.gitleaks, ["detect", "--no-git", "--source", ".", "--no-banner", "--exit-code", "0"], { cwd: o.dir, runs: o.runs }));
    rows.push(gl.error ? failed("gitleaks detect --no-git", gl.error) : [...row("gitleaks detect --no-git", gl), ...ratios(gl)]);
    if (!gl.error) summary.tools.gitleaks = gl;
  }
  if (o.tools.secretlint) {
    const rc = join(o.work, "secretlintrc.json");
    writeFileSync(rc, JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] }));
    // secretlint is slow on big trees: one run, no warm-up.
    const sl = tryMeasure(() => measure(o.tools.secretlint, ["--secretlintrc", rc, "--format", "json", "--secretlintignore", join(o.work, "no-ignore-file"), "**/*"], { cwd: o.dir, runs: 1, warmup: 0 }));
    rows.push(sl.error ? failed("secretlint (preset-recommend, 1 run)", sl.error) : [...row("secretlint (preset-recommend, 1 run)", sl), ...ratios(sl)]);
    if (!sl.error) summary.tools.secretlint = sl;
  }

  const lg = measure(o.leakguard[0], o.leakguard.slice(1), { cwd: o.dir, runs: o.runs, captureStdout: true });
  rows.push([...row("**leakguard scan**", lg), ...ratios(lg).map((x) => `**${x}**`)]);
  summary.leakguard = lg;
  const scanned = scannedFiles(lg.last.stdout);

  lines.unshift(`${fmt.count(files)} files, ${fmt.size(bytes)}${scanned === undefined ? "" : ` (leakguard scanned ${fmt.count(scanned)} of them)`}; median of ${o.runs} run${o.runs === 1 ? "" : "s"} after one warm-up; CPU is user+sys of the process tree.`);
  lines.push("");
  const headers = ["tool", "median wall", "MB/s", "CPU (user+sys)", "peak RSS", "wall × ripgrep", "CPU × ripgrep"];
  // Without the floor there is no ratio to show.
  lines.push(summary.floor ? table(headers, rows) : table(headers.slice(0, -2), rows.map((r) => r.slice(0, -2))));
  return { text: lines.join("\n"), summary };
}

/** A table row for a tool that failed: its one-line error, the other cells empty. */
export function failed(name, error, cells = 7) {
  return [name, `failed: ${error}`, ...Array(cells - 2).fill("")];
}

/** The summary's file count from a JSON report, if the output parses. */
function scannedFiles(stdout) {
  try {
    return JSON.parse(stdout).summary?.files;
  } catch {
    return undefined;
  }
}

/** measure() for an optional tool: a failure becomes a one-line error instead of ending the bench. */
export function tryMeasure(fn) {
  try {
    return fn();
  } catch (e) {
    return { error: String(e.message ?? e).split("\n")[0].slice(0, 160) };
  }
}
