/** `leakguard history [REPO]`: every commit reachable from any ref, each blob scanned once. */
import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { runHistoryScan } from "../../api/history.js";
import { checkGitDate } from "../../git/dates.js";
import type { HistoryProgress } from "../../scans/history.js";
import { bool, emitReport, progressOn, setupFor, str } from "../common.js";
import type { CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";

export const summary = "Scan every commit reachable from any ref (each blob once).";
export const usage = "leakguard history [options] [REPO]   (default: .)";
export const flags: FlagSpec[] = [
  { name: "branch", type: "string", arg: "NAME", help: "only commits reachable from NAME" },
  { name: "range", type: "string", arg: "A..B", help: "only commits in A..B" },
  { name: "since", type: "string", arg: "DATE", help: "only commits newer than DATE (YYYY-MM-DD, an ISO date-time, or \"2 weeks ago\")" },
  { name: "stash", type: "bool", help: "also scan stash entries" },
  { name: "cache", type: "string", arg: "DIR", help: "remember scanned blobs in DIR; later runs scan only new blobs" },
];

/** The repository folder named by the positional argument (at most one). */
export function repoArg(ctx: CommandContext): string {
  if (ctx.positionals.length > 1) throw new UsageError(`'leakguard ${ctx.command}' takes one repository, got ${ctx.positionals.length}`);
  return resolve(ctx.io.cwd, ctx.positionals[0] ?? ".");
}

/** A progress line renderer for stderr (TTY only). */
export function progressLine(ctx: CommandContext): ((p: HistoryProgress) => void) | undefined {
  if (!progressOn(ctx)) return undefined;
  return (p) => {
    const mb = p.bytes / 1048576;
    const secs = p.elapsedMs / 1000;
    const rate = secs > 0 ? mb / secs : 0;
    let eta = "";
    if (p.totalCommits && p.commits > 0 && p.commits < p.totalCommits) eta = `, ETA ${Math.ceil((secs / p.commits) * (p.totalCommits - p.commits))}s`;
    const of = p.totalCommits ? `/${p.totalCommits}` : "";
    ctx.io.stderr.write(`\r\x1b[2Khistory: ${p.commits}${of} commits, ${p.blobs} blobs, ${mb.toFixed(1)} MB, ${rate.toFixed(1)} MB/s${eta}`);
  };
}

export async function run(ctx: CommandContext): Promise<number> {
  const repo = repoArg(ctx);
  const since = str(ctx, "since");
  if (since !== undefined) checkGitDate("--since", since); // before any work: a bad date is exit 2, never a green run
  const onProgress = progressLine(ctx);
  const cache = str(ctx, "cache");
  // "" would resolve to the current folder and leave a cache file in the work tree.
  if (cache === "") throw new UsageError("--cache needs a folder");
  const branch = str(ctx, "branch");
  const range = str(ctx, "range");
  // Ignore files of the scanned repository apply (its work-tree root, else the folder given), wherever the command runs from.
  const { report, config, root } = await runHistoryScan({
    ...setupFor(ctx),
    repo,
    ...(branch !== undefined ? { branch } : {}),
    ...(range !== undefined ? { range } : {}),
    ...(since !== undefined ? { since } : {}),
    stash: bool(ctx, "stash"),
    ...(cache !== undefined ? { cacheDir: resolve(ctx.io.cwd, cache) } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  if (onProgress) ctx.io.stderr.write("\r\x1b[2K");
  return emitReport(ctx, report, { root, config });
}
