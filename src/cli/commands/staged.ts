/** `leakguard staged`: what `git commit` would record now (the pre-commit hook). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { cleanMessage, messageFragment } from "../../git/message.js";
import { gitText } from "../../git/run.js";
import { runStaged } from "../../api/staged.js";
import { emptyReport, skipFile, type ScanReport } from "../../core/report.js";
import { scanGuarded, stoppedDetail, type Scanner } from "../../core/scanner.js";
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

/** The comment character git strips from messages ("auto" and unset mean "#"). */
async function commentChar(root: string): Promise<string> {
  const v = (await gitText(["config", "--get", "core.commentChar"], { cwd: root, okCodes: [0, 1] }).catch(() => "")).replace(/\n$/, "");
  return v && v !== "auto" ? v : "#";
}

/** Scans a commit message file as git will record it (comment lines dropped). */
async function scanMessageFile(scanner: Scanner, file: string, comment: string): Promise<ScanReport> {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read the commit message (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const report = emptyReport();
  const res = await scanGuarded(scanner, messageFragment(cleanMessage(raw, comment)));
  if (res.stopped) skipFile(report, { path: "(commit message)", reason: "timeout", detail: stoppedDetail(scanner.timeBudgetMs) });
  report.findings = res.findings;
  report.suppressed = res.suppressed;
  report.stats.bytes = Buffer.byteLength(raw);
  return report;
}

export async function run(ctx: CommandContext): Promise<number> {
  const messageFile = str(ctx, "message-file");
  const { report, config, root } = await runStaged({
    ...setupFor(ctx),
    cwd: ctx.io.cwd,
    allLines: bool(ctx, "all-lines"),
    // The commit-msg hook: the message file instead of the staged changes, in the same repository.
    ...(messageFile !== undefined ? { scan: async (sc: Scanner, top: string) => scanMessageFile(sc, resolve(ctx.io.cwd, messageFile), await commentChar(top)) } : {}),
  });
  const code = await emitReport(ctx, report, { root, config });
  if (report.findings.length > 0 && code !== 0) ctx.io.stderr.write(commitGuidance(report));
  return code;
}
