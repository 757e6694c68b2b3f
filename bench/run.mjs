// `npm run bench`: leakguard's speed on real repositories, each figure a median
// of several runs and a ratio to its floor measured in the same run (ripgrep
// for file scans, `git cat-file --batch-all-objects --batch` for history, node's
// own start-up for the hook), with gitleaks and secretlint beside it when they
// are installed. Prints markdown; asserts nothing about time.
//
//   BENCH_REPO=/path/git.git,/path/express.git   real repositories (bare or not;
//                                NAME=PATH names one); without it the bench runs on
//                                a generated repository and this repository's node_modules
//   BENCH_RUNS=3                 measured runs per figure
//   BENCH_HISTORY_RUNS=N         runs per history figure (default BENCH_RUNS)
//   BENCH_HOOK_RUNS=9            runs per hook figure
//   BENCH_SECTIONS=engine,files,hook,history   run only these
//   BENCH_GENERATED=1            also the generated corpora when BENCH_REPO is set
//   BENCH_COMMITS=20000          size of the generated history repository
//   BENCH_FILES_MB=20            size of the node_modules file corpus
//   BENCH_SECRETLINT=1           secretlint on real repositories too (0: nowhere)
//   BENCH_RG=, BENCH_GITLEAKS=   the tool to run (empty: as if not installed)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, homedir, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { filesSection } from "./files.mjs";
import { historySection } from "./history.mjs";
import { hookSection } from "./hook.mjs";
import { findTool, fmt, HAVE_GNU_TIME, redactPaths, table, versionOf } from "./lib.mjs";
import { checkRepo, extractHead, parseRepoList } from "./repos.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/leakguard.js");
const NODE = process.execPath;
const NODE_MODULES = join(ROOT, "node_modules");
const WORK = join(ROOT, "bench/.work");
const env = process.env;
/** [path, label] pairs: nothing printed names a folder of this machine (repositories go by name). */
let pathLabels = [[ROOT, "<leakguard>"], [tmpdir(), "<tmp>"], [homedir(), "~"]];

const count = (name, fallback) => {
  const v = env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a whole number of runs ≥ 1, not '${v}'`);
  return n;
};
const RUNS = count("BENCH_RUNS", 3);
const HISTORY_RUNS = count("BENCH_HISTORY_RUNS", RUNS);
const HOOK_RUNS = count("BENCH_HOOK_RUNS", 9);
const sections = (env.BENCH_SECTIONS ?? "engine,files,hook,history").split(",").map((s) => s.trim());
const repos = parseRepoList(env.BENCH_REPO);
const generated = repos.length === 0 || env.BENCH_GENERATED === "1";

pathLabels = [...pathLabels, ...repos.map((r) => [r.path, `<${r.name}>`])];
const say = (text = "") => console.log(redactPaths(text, pathLabels));
function fail(message) {
  console.error(`bench: ${redactPaths(message, pathLabels)}`);
  process.exit(2);
}
for (const r of repos) {
  try {
    checkRepo(r);
  } catch (e) {
    fail(e.message);
  }
}

const tools = {
  rg: findTool("rg", env.BENCH_RG),
  gitleaks: findTool("gitleaks", env.BENCH_GITLEAKS),
  secretlint: existsSync(join(NODE_MODULES, ".bin/secretlint")) ? join(NODE_MODULES, ".bin/secretlint") : undefined,
};
// secretlint takes many minutes on a real repository's tree: there only on request.
const secretlintFor = (real) => (env.BENCH_SECRETLINT === "0" || (real && env.BENCH_SECRETLINT !== "1") ? undefined : tools.secretlint);
mkdirSync(WORK, { recursive: true });
const started = Date.now();
const summary = [];
const temps = [];
// An interrupted run still removes the extracted trees.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
    process.exit(130);
  });
}

say("# leakguard benchmark\n");
say(machineFacts() + "\n");
if (repos.length === 0) {
  say("No BENCH_REPO: the figures below come from a generated repository and this repository's node_modules, not from real repositories. Real-repository figures need BENCH_REPO=/path/to/git.git,/path/to/express.git (see the README's Performance section).\n");
} else {
  say(`Repositories: ${repos.map((r) => `${r.name} (${checkRepo(r)})`).join(", ")}.\n`);
}

try {
  if (sections.includes("engine")) {
    const { runEngineBench } = await import("./engine.mjs");
    say("## Engine (in-memory, all built-in rules)\n");
    say(runEngineBench(NODE_MODULES).text + "\n");
  }

  if (sections.includes("files")) {
    for (const repo of repos) {
      say(`## Files: ${repo.name} at HEAD (extracted with git archive)\n`);
      const dir = extractHead(repo.path);
      temps.push(dir);
      const s = filesSection({ dir, job: `files: ${repo.name} HEAD`, leakguard: [NODE, BIN, "scan", ".", "--no-progress", "-f", "json"], runs: RUNS, tools: { ...tools, secretlint: secretlintFor(true) }, work: WORK });
      say(s.text + "\n");
      summary.push(s.summary);
      rmSync(dir, { recursive: true, force: true });
    }
    if (generated) {
      const corpus = nodeModulesCorpus();
      say("## Files: this repository's node_modules\n");
      const s = filesSection({ dir: corpus, job: "files: node_modules corpus", leakguard: [NODE, BIN, "scan", ".", "--no-gitignore", "--no-config", "--no-progress", "-f", "json"], runs: RUNS, tools: { ...tools, secretlint: secretlintFor(false) }, work: WORK });
      say(s.text + "\n");
      summary.push(s.summary);
    }
  }

  if (sections.includes("hook")) {
    say("## Hook: start-up, `leakguard staged` and `git commit` of a 5-file change\n");
    const s = hookSection({ node: NODE, bin: BIN, runs: HOOK_RUNS });
    say(s.text + "\n");
    summary.push(...s.summary);
  }

  if (sections.includes("history")) {
    const historyCommand = [NODE, BIN, "history", ".", "--no-progress", "-f", "json"];
    for (const repo of repos) {
      say(`## History: ${repo.name}, all refs\n`);
      const s = historySection({ repo: repo.path, job: `history: ${repo.name}`, leakguard: historyCommand, runs: HISTORY_RUNS, tools });
      say(s.text + "\n");
      summary.push(s.summary);
    }
    if (generated) {
      const commits = env.BENCH_COMMITS ?? "20000";
      const target = generatedRepo(commits);
      say(`## History: generated repository (${commits} commits of node_modules code, bench/gen-repo.mjs)\n`);
      const s = historySection({ repo: target, job: `history: generated, ${commits} commits`, leakguard: [...historyCommand, "--no-config"], runs: HISTORY_RUNS, tools });
      say(s.text + "\n");
      summary.push(s.summary);
    }
  }

  if (summary.length) {
    say("## Summary\n");
    say(summaryTable(summary) + "\n");
  }
  say(`Benchmark finished in ${fmt.ms(Date.now() - started)}.`);
} catch (e) {
  fail(String(e.message ?? e).split("\n")[0]);
} finally {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
}

/** One line of machine facts, with no path in it. */
function machineFacts() {
  const model = cpus()[0]?.model?.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  const ver = (tool, args, re) => {
    if (!tool) return undefined;
    const v = versionOf(tool, args);
    return v ? (re.exec(v)?.[1] ?? v) : undefined;
  };
  const facts = [
    `${cpus().length} cores (${model})`,
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `node ${process.version}`,
    `git ${ver("git", ["--version"], /(\d+\.\d+[\w.]*)/) ?? "?"}`,
    tools.rg ? `ripgrep ${ver(tools.rg, ["--version"], /(\d+\.\d+\.\d+)/) ?? "?"}` : "ripgrep not installed",
    tools.gitleaks ? `gitleaks ${ver(tools.gitleaks, ["version"], /v?(\d+\.\d+\.\d+)/) ?? "?"}` : "gitleaks not installed",
    secretlintFor(true) || (generated && secretlintFor(false)) ? `secretlint ${ver(tools.secretlint, ["--version"], /(\d+\.\d+\.\d+)/) ?? "?"}` : "secretlint left out",
    `load average ${loadavg()[0].toFixed(2)} at start`,
  ];
  return `Machine: ${facts.join(", ")}. CPU and peak RSS ${HAVE_GNU_TIME ? "from GNU time" : "not measured (no /usr/bin/time)"}; runs per figure: ${RUNS} (history ${HISTORY_RUNS}, hook ${HOOK_RUNS}).`;
}

/** The issue's table: one row per job, floor and tools side by side, leakguard as a ratio to its floor. */
function summaryTable(entries) {
  const others = ["gitleaks", "secretlint"].filter((t) => entries.some((e) => e.tools[t]));
  const cell = (m, floor, overNode) => {
    if (!m) return "—";
    if (!floor) return fmt.ms(m.ms);
    const than = overNode ? fmt.overNode : fmt.ratio;
    const cpu = m.cpuMs === undefined || floor.cpuMs === undefined ? "" : `; CPU ${than(m.cpuMs, floor.cpuMs)}`;
    return `${fmt.ms(m.ms)} (${than(m.ms, floor.ms)}${cpu})`;
  };
  const rows = entries.map((e) => [
    e.job,
    e.floor ? `${e.floorName}: ${fmt.ms(e.floor.ms)}` : "— (ripgrep not installed)",
    ...others.map((t) => cell(e.tools[t], e.floor, e.overNode)),
    `**${cell(e.leakguard, e.floor, e.overNode)}**${e.leakguard.rssMB === undefined ? "" : `, ${fmt.mb(e.leakguard.rssMB)}`}`,
  ]);
  return table(["job", "floor", ...others, "leakguard (× floor)"], rows);
}

/**
 * This repository's node_modules, hard-linked into a corpus folder up to
 * BENCH_FILES_MB (default 20) of files under 4 MB each, so that every tool reads
 * the same real code and secretlint's run stays within the benchmark's time.
 */
function nodeModulesCorpus() {
  const corpus = join(WORK, "files-corpus");
  const limit = Number(env.BENCH_FILES_MB ?? 20) * 1048576;
  rmSync(corpus, { recursive: true, force: true });
  let taken = 0;
  const take = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (taken >= limit) return;
      const abs = join(dir, e.name);
      const r = join(rel, e.name);
      if (e.isDirectory()) take(abs, r);
      else if (e.isFile()) {
        const size = statSync(abs).size;
        if (size > 4 * 1048576) continue;
        mkdirSync(join(corpus, rel), { recursive: true });
        linkSync(abs, join(corpus, r));
        taken += size;
      }
    }
  };
  take(NODE_MODULES, "");
  return corpus;
}

/** The generated history repository (bench/gen-repo.mjs), built once and kept in bench/.work. */
function generatedRepo(commits) {
  const target = join(WORK, `gen-${commits}`);
  if (!existsSync(join(target, ".git")) && !existsSync(join(target, "HEAD"))) {
    const t0 = Date.now();
    const r = spawnSync(NODE, [join(ROOT, "bench/gen-repo.mjs"), "--commits", commits, "--out", target], { stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error("bench/gen-repo.mjs failed");
    say(`Generated a ${commits}-commit repository in ${fmt.ms(Date.now() - t0)}.\n`);
  }
  execFileSync("git", ["rev-parse", "HEAD"], { cwd: target, stdio: "ignore" });
  return target;
}
