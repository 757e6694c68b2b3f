/** `leakguard push [RANGE]`: the commits a push would send (the pre-push hook). */
import { scanCommits } from "../../scans/commits.js";
import { commitsInRange, commitsNotOnRemotes, commitsToPush, parsePrePushInput } from "../../git/push.js";
import { isNullOid } from "../../git/oid.js";
import { repoInfo } from "../../git/repo.js";
import { UsageError } from "../../errors.js";
import { bool, emitReport, scannerFor, str } from "../common.js";
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

/** The commit ids to scan: RANGE, the pre-commit framework's refs, stdin lines, or HEAD's unpushed commits. */
async function selectCommits(ctx: CommandContext, root: string): Promise<string[]> {
  const [range, extra] = ctx.positionals;
  if (extra !== undefined) throw new UsageError("push takes one RANGE at most");
  if (range !== undefined) return commitsInRange(root, range);
  const env = ctx.io.env;
  // The pre-commit framework passes the range in its environment, not on stdin.
  const from = env.PRE_COMMIT_FROM_REF;
  const to = env.PRE_COMMIT_TO_REF;
  if (from && to) return commitsInRange(root, isNullOid(from) ? to : `${from}..${to}`);
  if (ctx.io.stdin.isTTY) return commitsInRange(root, "HEAD");
  const input = (await readAll(ctx.io.stdin)).toString("utf8");
  return commitsToPush(root, parsePrePushInput(input), str(ctx, "remote"));
}

export async function run(ctx: CommandContext): Promise<number> {
  const info = await repoInfo(ctx.io.cwd);
  const root = info.root ?? info.gitDir;
  const ids = await selectCommits(ctx, root);
  const scanner = await scannerFor(ctx, root);
  // A given range may hold commits the remotes have already; the hook's commits are unpushed by construction.
  const unpushed = ctx.positionals.length > 0 ? new Set(await commitsNotOnRemotes(root, ids)) : undefined;
  const pushed = unpushed ? (c: string): boolean => !unpushed.has(c) : false;
  const report = await scanCommits(scanner, root, ids, { pushed, allLines: bool(ctx, "all-lines") }).finally(() => scanner.close());
  if (info.shallow) report.warnings.push("shallow clone: a commit at the shallow boundary is compared with an empty tree ('git fetch --unshallow' for exact added lines)");
  const code = await emitReport(ctx, report, { root, scanner });
  if (report.findings.length > 0 && code !== 0) ctx.io.stderr.write(pushGuidance(report));
  return code;
}
