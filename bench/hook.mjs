// Hook section: what a developer waits for at `git commit`. leakguard's
// start-up (`--version`), `leakguard staged` on a 5-file staged change, and a
// real `git commit` of a 5-file change through the installed pre-commit hook,
// each against node's own start-up (`node -e 0`): "node + N ms".
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, measure, median, runOnce, table } from "./lib.mjs";

const FILES = 5;

/**
 * @param {object} o
 * @param {string} o.node the node binary
 * @param {string} o.bin leakguard's bin/leakguard.js
 * @param {number} o.runs measured runs per figure
 * @returns {{ text: string, summary: object[] }}
 */
export function hookSection(o) {
  const nodeStart = measure(o.node, ["-e", "0"], { runs: o.runs, okCodes: [0] });
  const version = measure(o.node, [o.bin, "--version"], { runs: o.runs, okCodes: [0] });
  // Wall and CPU over node's own: on a busy machine CPU is the steadier one.
  const overNode = (m) => [`**${fmt.overNode(m.ms, nodeStart.ms)}**`, m.cpuMs === undefined || nodeStart.cpuMs === undefined ? "n/a" : fmt.overNode(m.cpuMs, nodeStart.cpuMs)];
  const rows = [
    ["node -e 0 (floor: node's own start-up)", fmt.ms(nodeStart.ms), fmt.ms(nodeStart.cpuMs), fmt.mb(nodeStart.rssMB), "—", "—"],
    ["leakguard --version", fmt.ms(version.ms), fmt.ms(version.cpuMs), fmt.mb(version.rssMB), ...overNode(version)],
  ];
  // The hook scripts start leakguard with NODE_EXTRA_CA_CERTS emptied (it opens no network connection):
  // where it is set, node's start-up without it is the hook's floor, so the hook is not credited with it.
  const caCerts = Boolean(process.env.NODE_EXTRA_CA_CERTS);
  const hookStart = caCerts ? measure(o.node, ["-e", "0"], { runs: o.runs, okCodes: [0], env: { NODE_EXTRA_CA_CERTS: "" } }) : nodeStart;
  const overHookNode = (m) => [`**${fmt.overNode(m.ms, hookStart.ms)}**`, m.cpuMs === undefined || hookStart.cpuMs === undefined ? "n/a" : fmt.overNode(m.cpuMs, hookStart.cpuMs)];
  const hookFloorName = caCerts ? "`node -e 0`, NODE_EXTRA_CA_CERTS emptied as the hook does" : "`node -e 0`";
  if (caCerts) rows.push(["node -e 0, NODE_EXTRA_CA_CERTS emptied (the hook's floor)", fmt.ms(hookStart.ms), fmt.ms(hookStart.cpuMs), fmt.mb(hookStart.rssMB), "—", "—"]);
  const summary = [
    { job: "start-up: `leakguard --version`", floorName: "`node -e 0`", floor: nodeStart, leakguard: version, overNode: true, tools: {} },
  ];

  const repo = mkdtempSync(join(tmpdir(), "lg-bench-hook-"));
  try {
    const env = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b.invalid", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b.invalid" };
    const git = (...a) => execFileSync("git", a, { cwd: repo, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    git("init", "-q", "-b", "main");
    let round = 0;
    // A 5-file change: each file gets a few hundred lines of ordinary code, new each round.
    const change = () => {
      round++;
      for (let i = 0; i < FILES; i++) writeFileSync(join(repo, `f${i}.js`), `export const v${i} = ${i};\n`.repeat(200) + `export const round = ${round};\n`);
      git("add", "-A");
    };
    change();
    git("commit", "-q", "-m", "init", "--no-verify");

    // `leakguard staged` directly, on one staged 5-file change.
    change();
    const staged = measure(o.node, [o.bin, "staged", "--no-progress"], { cwd: repo, env, runs: o.runs });
    rows.push([`leakguard staged (${FILES} staged files)`, fmt.ms(staged.ms), fmt.ms(staged.cpuMs), fmt.mb(staged.rssMB), ...overNode(staged)]);
    summary.push({ job: `pre-commit: \`leakguard staged\`, ${FILES} staged files`, floorName: "`node -e 0`", floor: nodeStart, leakguard: staged, overNode: true, tools: {} });
    git("commit", "-q", "-m", "staged", "--no-verify");

    const install = runOnce(o.node, [o.bin, "hook", "install", "--type", "pre-commit"], { cwd: repo, env, rss: false });
    if (install.status !== 0) {
      rows.push(["hook install", `failed: ${install.stderr.trim().split("\n")[0]}`, "", "", "", ""]);
    } else {
      const commitTimes = (noVerify) => {
        const runs = [];
        for (let r = 0; r < o.runs + 1; r++) {
          change();
          const t = runOnce("git", ["commit", "-q", "-m", `r${round}`, ...(noVerify ? ["--no-verify"] : [])], { cwd: repo, env });
          if (t.status !== 0) throw new Error(`git commit failed: ${t.stderr.trim().split("\n")[0]}`);
          runs.push(t);
        }
        const measured = runs.slice(1); // the first is a warm-up
        const cpu = measured.map((t) => t.cpuMs).filter((x) => x !== undefined);
        return { ms: median(measured.map((t) => t.ms)), cpuMs: cpu.length ? median(cpu) : undefined };
      };
      const bare = commitTimes(true);
      const hooked = commitTimes(false);
      const cpuCost = bare.cpuMs === undefined || hooked.cpuMs === undefined ? undefined : hooked.cpuMs - bare.cpuMs;
      rows.push([`git commit --no-verify (${FILES} files)`, fmt.ms(bare.ms), fmt.ms(bare.cpuMs), "", "—", "—"]);
      rows.push([`git commit through the pre-commit hook (${FILES} files)`, fmt.ms(hooked.ms), fmt.ms(hooked.cpuMs), "", "", ""]);
      rows.push([caCerts ? "hook's cost (difference of the two; over the hook's floor)" : "hook's cost (difference of the two)", fmt.ms(hooked.ms - bare.ms), fmt.ms(cpuCost), "", ...overHookNode({ ms: hooked.ms - bare.ms, cpuMs: cpuCost })]);
      summary.push({ job: `pre-commit hook in \`git commit\`, ${FILES} files (cost over --no-verify)`, floorName: hookFloorName, floor: hookStart, leakguard: { ms: hooked.ms - bare.ms, cpuMs: cpuCost }, overNode: true, tools: {} });
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
  return {
    text: `Median of ${o.runs} runs each after one warm-up; the temporary repository has no global or system git config.` +
      (caCerts ? " NODE_EXTRA_CA_CERTS is set here: node loads that file at every start, which the hook scripts spare leakguard's node; the hook's cost is given over node's start-up without it." : "") +
      "\n\n" +
      table(["measure", "median wall", "CPU (user+sys)", "peak RSS", "wall over node's start-up", "CPU over node's"], rows),
    summary,
  };
}
