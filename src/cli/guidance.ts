/**
 * What to do when a hook blocks: printed on stderr, so stdout keeps exactly
 * the chosen format. Names the files (never the secrets) and the three ways out.
 */
import type { ScanReport } from "../report/types.js";

function places(report: ScanReport): string {
  const files = [...new Set(report.findings.map((f) => (f.source === "file" ? f.file : `${f.source}${f.commit ? " of " + f.commit.slice(0, 12) : ""}`)))];
  const shown = files.slice(0, 5).join(", ");
  return files.length > 5 ? `${shown} and ${files.length - 5} more` : shown;
}

const count = (n: number): string => `${n} secret${n === 1 ? "" : "s"}`;

/** Guidance after `staged` blocked a commit. */
export function commitGuidance(report: ScanReport): string {
  const n = report.findings.length;
  const inMessage = report.findings.every((f) => f.source === "commit-message");
  const fix = inMessage
    ? ["  1. Remove it from the commit message and commit again (rotate it if it was real)."]
    : [
        "  1. Remove it: edit the file and 'git add' it again, or unstage the file with",
        "     'git restore --staged -- <file>'. If it is real, rotate it: it may be in your shell history.",
      ];
  return [
    `leakguard: commit blocked: ${count(n)} in ${inMessage ? "the commit message" : "staged changes"} (${places(report)}).`,
    ...fix,
    "  2. If it is not a secret (test data, an example), allow that line with a comment:",
    "     'leakguard:allow <reason>'.",
    "  3. If you must commit anyway: 'git commit --no-verify' (the secret stays in history).",
    "",
  ].join("\n");
}

/** Guidance after `push` blocked a push. */
export function pushGuidance(report: ScanReport): string {
  const commits = [...new Set(report.findings.map((f) => f.commit?.slice(0, 12)).filter(Boolean))];
  return [
    `leakguard: push blocked: ${count(report.findings.length)} in ${commits.length} commit${commits.length === 1 ? "" : "s"} about to be pushed (${commits.slice(0, 5).join(", ")}).`,
    "  1. Remove it from those commits ('git commit --amend', or 'git rebase -i' for older ones),",
    "     and rotate it if it is real.",
    "  2. If it is not a secret, allow that line with a comment: 'leakguard:allow <reason>'.",
    "  3. If you must push anyway: 'git push --no-verify' (the secret then leaves this machine).",
    "",
  ].join("\n");
}
