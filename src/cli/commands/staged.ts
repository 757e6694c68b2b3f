/** `leakguard staged`: what `git commit` would record now (the pre-commit hook). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { cleanMessage, messageFragment } from "../../git/message.js";
import { gitText } from "../../git/run.js";
import { prepareStaged, scanStagedChanges, stagedFingerprintSalt } from "../../scans/staged.js";
import { emptyReport, skipFile, type ScanReport } from "../../core/report.js";
import { scanGuarded, stoppedDetail, type Scanner } from "../../core/scanner.js";
import { bool, emitReport, scannerFor, str } from "../common.js";
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
  const state = await prepareStaged(ctx.io.cwd, { changes: messageFile === undefined });
  let report: ScanReport;
  let scanner: Scanner | undefined;
  try {
    // Without a key or config salt, staged findings get the root commit's id as salt once there are any.
    const sc = (scanner = await scannerFor(ctx, state.repo.root, { repoSalt: messageFile !== undefined }));
    report =
      messageFile !== undefined
        ? await scanMessageFile(sc, resolve(ctx.io.cwd, messageFile), await commentChar(state.repo.root))
        : await scanStagedChanges(sc, state, { allLines: bool(ctx, "all-lines") }).finally(() => sc.close());
  } finally {
    // cat-file was started early (it overlaps the diff); a config error must not leave it waiting on stdin.
    await state.blobs?.close();
  }
  const found = report.findings.length + report.suppressed.length > 0;
  // A clean run never asks for the root commit; then there is nothing a baseline could mismatch either.
  const salt = found || scanner.fingerprintSalt.kind !== "default" ? await stagedFingerprintSalt(scanner, state) : undefined;
  const code = await emitReport(ctx, report, { root: state.repo.root, scanner, salt: salt ?? null });
  if (report.findings.length > 0 && code !== 0) ctx.io.stderr.write(commitGuidance(report));
  return code;
}
