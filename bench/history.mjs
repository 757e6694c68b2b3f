// History section: `leakguard history` over every ref of one repository
// against the floor `git cat-file --batch-all-objects --batch` (every object
// read once, nothing matched), and gitleaks (git log -p) when it is there.
// Every figure is also a ratio to the floor, measured in the same run.
import { fmt, measure, table } from "./lib.mjs";
import { failed, tryMeasure } from "./files.mjs";
import { repoFacts } from "./repos.mjs";

/**
 * @param {object} o
 * @param {string} o.repo the repository (bare or not), the current folder of every tool
 * @param {string[]} o.leakguard the leakguard command line (node, bin, args...)
 * @param {number} o.runs measured runs per tool
 * @param {{ gitleaks?: string }} o.tools
 * @param {string} o.job the job's name in the summary
 * @returns {{ text: string, summary: object }}
 */
export function historySection(o) {
  const { commits, bytes } = repoFacts(o.repo);
  const rows = [];
  const summary = { job: o.job, floorName: "`git cat-file --batch-all-objects --batch`", tools: {} };
  const row = (name, m) => [name, fmt.ms(m.ms), fmt.perSecond(commits, m.ms, "commits"), fmt.mbps(bytes, m.ms), fmt.ms(m.cpuMs), fmt.mb(m.rssMB)];

  // Its warm-up also brings the repository's packs into the page cache for the others.
  const floor = measure("git", ["cat-file", "--batch-all-objects", "--batch"], { cwd: o.repo, runs: o.runs, okCodes: [0] });
  summary.floor = floor;
  rows.push([...row("git cat-file --batch-all-objects --batch (floor)", floor), "1.00×", "1.00×"]);
  // Wall and CPU as multiples of the floor's: on a busy machine CPU is the steadier one.
  const ratios = (m) => [fmt.ratio(m.ms, floor.ms), fmt.ratio(m.cpuMs, floor.cpuMs)];

  if (o.tools.gitleaks) {
    const gl = tryMeasure(() => measure(o.tools.gitleaks, ["detect", "--source", ".", "--no-banner", "--exit-code", "0"], { cwd: o.repo, runs: o.runs, warmup: 0 }));
    rows.push(gl.error ? failed("gitleaks detect (git log -p)", gl.error, 8) : [...row("gitleaks detect (git log -p)", gl), ...ratios(gl)]);
    if (!gl.error) summary.tools.gitleaks = gl;
  }

  const lg = measure(o.leakguard[0], o.leakguard.slice(1), { cwd: o.repo, runs: o.runs, warmup: 0 });
  summary.leakguard = lg;
  rows.push([...row("**leakguard history**", lg), ...ratios(lg).map((x) => `**${x}**`)]);

  const lines = [
    `${fmt.count(commits)} commits reachable from all refs, ${fmt.size(bytes)} in all objects (MB/s counts those bytes for every tool); median of ${o.runs} run${o.runs === 1 ? "" : "s"}; CPU is user+sys of the process tree.`,
    "",
    table(["tool", "median wall", "commits/s", "MB/s", "CPU (user+sys)", "peak RSS", "wall × floor", "CPU × floor"], rows),
  ];
  return { text: lines.join("\n"), summary };
}
