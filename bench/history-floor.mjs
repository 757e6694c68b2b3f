#!/usr/bin/env node
/**
 * Measures `leakguard history` on a repository against two git floors:
 * `git cat-file --batch-all-objects --batch` (reading every object once) and
 * `git log -p -U0 --all` (what a diff-based scanner reads). Wall time, CPU
 * time (user+sys of the process tree) and peak RSS via /usr/bin/time when
 * present. Run `npm run build` first.
 *
 *   node bench/history-floor.mjs REPO [--runs N]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repo = process.argv[2];
if (!repo) throw new Error("usage: node bench/history-floor.mjs REPO [--runs N]");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] || 1) || 1;
const BIN = fileURLToPath(new URL("../bin/leakguard.js", import.meta.url));
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function measure(label, cmd, args) {
  const best = { wall: Infinity, cpu: 0, rss: 0 };
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = TIME
      ? spawnSync(TIME, ["-f", "%U %S %M", cmd, ...args], { cwd: repo, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", maxBuffer: 1 << 26 })
      : spawnSync(cmd, args, { cwd: repo, stdio: ["ignore", "ignore", "ignore"] });
    const wall = Number(process.hrtime.bigint() - t) / 1e6;
    let cpu = NaN;
    let rss = NaN;
    if (TIME) {
      const last = r.stderr.trim().split("\n").pop().split(" ").map(Number);
      cpu = (last[0] + last[1]) * 1000;
      rss = last[2] / 1024;
    }
    if (wall < best.wall) Object.assign(best, { wall, cpu, rss });
  }
  console.log(`${label.padEnd(22)} wall ${(best.wall / 1000).toFixed(2)} s  cpu ${(best.cpu / 1000).toFixed(2)} s  peak RSS ${best.rss.toFixed(0)} MB`);
  return best;
}

const floor = measure("git cat-file (floor)", "git", ["cat-file", "--batch-all-objects", "--batch"]);
const logp = measure("git log -p -U0 --all", "git", ["log", "-p", "-U0", "--all"]);
const lg = measure("leakguard history", process.execPath, [BIN, "history", "--no-progress", "--format", "json"]);
console.log(`ratio to cat-file floor: wall ${(lg.wall / floor.wall).toFixed(2)}×, cpu ${(lg.cpu / floor.cpu).toFixed(2)}×; to log -p: wall ${(lg.wall / logp.wall).toFixed(2)}×`);
