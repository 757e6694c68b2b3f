/** `leakguard push [RANGE]`: the commits a push would send (the pre-push hook). */
import { runPush, type ScanPushOptions } from "../../api/push.js";
import { isNullOid } from "../../git/oid.js";
import { UsageError } from "../../errors.js";
import { bool, emitReport, setupFor, str } from "../common.js";
import { readAll, type CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";
import { pushGuidance } from "../guidance.js";

export const summary = "Scan the commits a push would send: added lines and messages of each commit.";
export const usage =
  "leakguard push [options] [RANGE]   (RANGE: A..B; without it, git's pre-push lines on stdin, else commits not on any remote)";
export const flags: FlagSpec[] = [
  { name: "remote", type: "string", arg: "NAME", help: "remote pushed to (the pre-push hook's first argument; default: all remotes)" },
  { name: "all-lines", type: "bool", help: "scan whole files each commit touches, not only added lines" },
];

/**
 * Which commits to scan: RANGE, the pre-commit framework's refs, git's
 * pre-push lines on stdin, else HEAD's unpushed commits (also when stdin is
 * empty and no `--remote` says it comes from the hook).
 */
async function selection(ctx: CommandContext): Promise<Pick<ScanPushOptions, "range" | "rangeToPush" | "prePushInput" | "remote">> {
  const [range, extra] = ctx.positionals;
  if (extra !== undefined) throw new UsageError("push takes one RANGE at most");
  if (range !== undefined) return { range };
  const env = ctx.io.env;
  // The pre-commit framework passes the range in its environment, not on stdin.
  const from = env.PRE_COMMIT_FROM_REF;
  const to = env.PRE_COMMIT_TO_REF;
  if (from && to) return { range: isNullOid(from) ? to : `${from}..${to}`, rangeToPush: true };
  if (ctx.io.stdin.isTTY) return {};
  const remote = str(ctx, "remote");
  const input = (await readAll(ctx.io.stdin)).toString("utf8");
  // Empty input is git's "nothing to push" only from the hook, which names the remote (`--remote "$1"`). A
  // script, CI or a hook manager without the lines gets HEAD's unpushed commits, not a silent pass over none.
  if (input.trim() === "" && remote === undefined) return {};
  return { prePushInput: input, ...(remote !== undefined ? { remote } : {}) };
}

export async function run(ctx: CommandContext): Promise<number> {
  const chosen = await selection(ctx);
  const { report, config, root } = await runPush({ ...setupFor(ctx), cwd: ctx.io.cwd, ...chosen, allLines: bool(ctx, "all-lines") });
  const code = await emitReport(ctx, report, { root, config });
  // Nothing named what to scan and HEAD is pushed already: say so, or a CI job passes over nothing unawares.
  if (chosen.range === undefined && chosen.prePushInput === undefined && (report.stats.commits ?? 0) === 0) {
    ctx.io.stderr.write("leakguard: push: no commits to scan: no RANGE was given, no pre-push lines came on stdin, and every commit of HEAD is on a remote (in CI, pass the range: leakguard push BASE..HEAD)\n");
  }
  if (report.findings.length > 0 && code !== 0) ctx.io.stderr.write(pushGuidance(report));
  return code;
}
