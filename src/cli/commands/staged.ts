/** `leakguard staged`: what `git commit` would record now (the pre-commit hook). */
import { resolve } from "node:path";
import { runStaged } from "../../api/staged.js";
import { pipedDiffBudget, readPipedDiff, STAGED_DIFF_ENV } from "../../git/staged-diff.js";
import { bool, emitReport, setupFor, str } from "../common.js";
import type { CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";
import { commitGuidance } from "../guidance.js";

export const summary = "Scan what 'git commit' would record now: the staged content, added lines only.";
export const usage = "leakguard staged [options]   (run from a git work tree; the pre-commit hook runs this)";
export const flags: FlagSpec[] = [
  { name: "all-lines", type: "bool", help: "scan whole staged files, not only added lines" },
  { name: "message-file", type: "string", arg: "FILE", help: "scan this commit message file instead (commit-msg hook)" },
];

export async function run(ctx: CommandContext): Promise<number> {
  const messageFile = str(ctx, "message-file");
  // The pre-commit hook's script pipes in the diff it had git make (git/staged-diff.ts): taken if it fits.
  const words = ctx.io.env[STAGED_DIFF_ENV];
  const fd = ctx.io.stdinFd;
  const { report, config, root } = await runStaged(
    {
      ...setupFor(ctx),
      cwd: ctx.io.cwd,
      allLines: bool(ctx, "all-lines"),
      ...(messageFile !== undefined ? { messageFile: resolve(ctx.io.cwd, messageFile) } : {}),
    },
    words !== undefined && fd !== undefined ? { pipedDiff: () => readPipedDiff(fd, words, pipedDiffBudget(ctx.io.env)) } : {},
  );
  const code = await emitReport(ctx, report, { root, config });
  if (report.findings.length > 0 && code !== 0) ctx.io.stderr.write(commitGuidance(report));
  return code;
}
