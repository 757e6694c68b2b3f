// `npm run bench`: leakguard's speed, side by side with the floors and the
// tools it competes with, each figure a median of several runs in this one
// run. Prints a markdown table per section. Asserts nothing about time.
//
//   BENCH_REPO=/path/to/clone   also benchmark history on that repository
//   BENCH_SECTIONS=engine,files,hook,history   run only these
//   BENCH_COMMITS=20000          size of the generated history repository
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, HAVE_GNU_TIME, measure, runOnce, median, table, treeSize } from "./lib.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/leakguard.js");
const NODE = process.execPath;
const NODE_MODULES = join(ROOT, "node_modules");
const WORK = join(ROOT, "bench/.work");
mkdirSync(WORK, { recursive: true });
const sections = (process.env.BENCH_SECTIONS ?? "engine,files,hook,history").split(",");
const started = Date.now();

const cpu = cpus()[0]?.model ?? "unknown cpu";
console.log(`# leakguard benchmark\n`);
console.log(`Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}, ${execFileSync("git", ["--version"]).toString().trim()}; peak RSS ${HAVE_GNU_TIME ? "from GNU time" : "not measured (no /usr/bin/time)"}.\n`);

// ---------------------------------------------------------------- engine
if (sections.includes("engine")) {
  const { runEngineBench } = await import("./engine.mjs");
  console.log("## Engine (in-memory, all built-in rules)\n");
  console.log(runEngineBench(NODE_MODULES).text + "\n");
}

// ---------------------------------------------------------------- files
if (sections.includes("files")) {
  // The tree: this repository's node_modules, hard-linked into a corpus folder up to
  // BENCH_FILES_MB (default 20) of files under 4 MB each, so that both tools read the
  // same real code and secretlint's run stays within the benchmark's time.
  const corpus = join(WORK, "files-corpus");
  const limit = Number(process.env.BENCH_FILES_MB ?? 20) * 1048576;
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
  console.log("## Files: scan of a real tree (this repository's node_modules)\n");
  const { bytes, files } = treeSize(corpus);
  const lg = measure(NODE, [BIN, "scan", ".", "--no-gitignore", "--no-config", "-f", "json", "--no-progress"], { cwd: corpus, runs: 3 });
  const rows = [["leakguard scan", fmt.ms(lg.ms), fmt.mbps(bytes, lg.ms), `${(files / (lg.ms / 1000)).toFixed(0)} files/s`, fmt.mb(lg.rssMB), "1.00×"]];
  const slBin = join(NODE_MODULES, ".bin/secretlint");
  if (existsSync(slBin)) {
    const rc = join(WORK, "secretlintrc.json");
    writeFileSync(rc, JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] }));
    const sl = measure(slBin, ["--secretlintrc", rc, "--format", "json", "--secretlintignore", join(WORK, "none"), "**/*"], { cwd: corpus, runs: 1, warmup: 0, okCodes: [0, 1] });
    rows.push(["secretlint (preset-recommend)", fmt.ms(sl.ms), fmt.mbps(bytes, sl.ms), `${(files / (sl.ms / 1000)).toFixed(0)} files/s`, fmt.mb(sl.rssMB), `${(sl.ms / lg.ms).toFixed(2)}× slower`]);
  }
  console.log(`${files} files, ${(bytes / 1048576).toFixed(1)} MB. secretlint runs once (it is slow); leakguard's figure is a median of 3.\n`);
  console.log(table(["tool", "median wall", "MB/s", "files/s", "peak RSS", "vs leakguard"], rows) + "\n");
}

// ---------------------------------------------------------------- hook
if (sections.includes("hook")) {
  console.log("## Hook: `git commit` of a 5-file change, and start-up\n");
  const nodeStart = measure(NODE, ["-e", "0"], { runs: 9, rss: false });
  const version = measure(NODE, [BIN, "--version"], { runs: 9, rss: false });
  const repo = mkdtempSync(join(tmpdir(), "lg-bench-hook-"));
  const env = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
  const git = (...a) => execFileSync("git", a, { cwd: repo, env: { ...process.env, ...env } });
  git("init", "-q", "-b", "main");
  for (let i = 0; i < 5; i++) writeFileSync(join(repo, `f${i}.js`), `export const v${i} = ${i};\n`.repeat(200));
  git("add", "-A");
  git("commit", "-q", "-m", "init", "--no-verify");
  const install = runOnce(NODE, [BIN, "hook", "install", "--type", "pre-commit"], { cwd: repo, env, rss: false });
  let round = 0;
  const commitTimes = (noVerify) => {
    const times = [];
    for (let r = 0; r < 9; r++) {
      round++;
      for (let i = 0; i < 5; i++) writeFileSync(join(repo, `f${i}.js`), `export const v${i} = ${i};\n`.repeat(200) + `export const round = ${round};\n`);
      git("add", "-A");
      const t = runOnce("git", ["commit", "-q", "-m", `r${round}`, ...(noVerify ? ["--no-verify"] : [])], { cwd: repo, env, rss: false });
      if (t.status !== 0) throw new Error(`git commit failed: ${t.stderr}`);
      times.push(t.ms);
    }
    return median(times.slice(1));
  };
  const rows = [
    ["node -e 0 (node's own start-up)", fmt.ms(nodeStart.ms)],
    ["leakguard --version (CLI start-up)", `${fmt.ms(version.ms)} (+${fmt.ms(version.ms - nodeStart.ms)} over node)`],
  ];
  if (install.status === 0) {
    const bare = commitTimes(true);
    const hooked = commitTimes(false);
    rows.push(["git commit --no-verify (5 files)", fmt.ms(bare)]);
    rows.push(["git commit with leakguard pre-commit hook", fmt.ms(hooked)]);
    rows.push(["hook cost (difference)", `${fmt.ms(hooked - bare)} = node start-up + ${fmt.ms(hooked - bare - nodeStart.ms)}`]);
  } else {
    rows.push(["hook install", `failed: ${install.stderr.trim().split("\n")[0]}`]);
  }
  rmSync(repo, { recursive: true, force: true });
  console.log(table(["measure", "median"], rows) + "\n");
}

// ---------------------------------------------------------------- history
function historyRows(name, repo) {
  const rows = [];
  const size = Number(execFileSync("git", ["cat-file", "--batch-all-objects", "--batch-check=%(objectsize)"], { cwd: repo, maxBuffer: 1 << 30 }).toString().trim().split("\n").reduce((n, x) => n + Number(x || 0), 0));
  const commits = execFileSync("git", ["rev-list", "--all", "--count"], { cwd: repo }).toString().trim();
  const catFile = measure("sh", ["-c", "git cat-file --batch-all-objects --batch > /dev/null"], { cwd: repo, runs: 3 });
  const logP = measure("sh", ["-c", "git log -p -U0 --all > /dev/null"], { cwd: repo, runs: 1, warmup: 0 });
  const floor = Math.min(catFile.ms, logP.ms);
  const lg = measure(NODE, [BIN, "history", ".", "--no-progress", "--no-config", "-f", "json", "-o", join(WORK, "history.json")], { cwd: repo, runs: 3 });
  rows.push([name, `${commits} commits, ${(size / 1048576).toFixed(0)} MB objects`, "git cat-file --batch-all-objects --batch", fmt.ms(catFile.ms), fmt.mbps(size, catFile.ms), fmt.mb(catFile.rssMB), "—"]);
  rows.push(["", "", "git log -p -U0 --all", fmt.ms(logP.ms), fmt.mbps(size, logP.ms), fmt.mb(logP.rssMB), "—"]);
  rows.push(["", "", "**leakguard history**", fmt.ms(lg.ms), fmt.mbps(size, lg.ms), fmt.mb(lg.rssMB), `${fmt.ratio(lg.ms, floor)} the cheaper floor`]);
  return rows;
}

if (sections.includes("history")) {
  console.log("## History\n");
  const rows = [];
  const gen = join(ROOT, "bench/gen-repo.mjs");
  if (existsSync(gen)) {
    const commits = process.env.BENCH_COMMITS ?? "20000";
    const target = join(WORK, `gen-${commits}`);
    if (!existsSync(join(target, ".git")) && !existsSync(join(target, "HEAD"))) {
      const t0 = Date.now();
      const r = spawnSync(NODE, [gen, "--commits", commits, "--out", target], { stdio: ["ignore", "pipe", "inherit"] });
      if (r.status !== 0) throw new Error("gen-repo failed");
      console.log(`Generated ${commits}-commit repository in ${fmt.ms(Date.now() - t0)}.\n`);
    }
    rows.push(...historyRows(`generated (${commits} commits of node_modules code)`, target));
  }
  if (process.env.BENCH_REPO) rows.push(...historyRows(`${basename(process.env.BENCH_REPO)} (BENCH_REPO)`, process.env.BENCH_REPO));
  console.log(table(["repository", "size", "what", "median wall", "MB/s", "peak RSS", "ratio"], rows) + "\n");
}

console.log(`Benchmark finished in ${fmt.ms(Date.now() - started)}.`);
