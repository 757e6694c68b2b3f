/**
 * What to do when a hook blocks: printed on stderr, so stdout keeps exactly
 * the chosen format. Names the files (never the secrets: a path holding one is
 * redacted, whatever --show-secrets says) and the three ways out.
 */
import type { ScanReport } from "../core/report.js";
import { redactReport } from "../report/index.js";

function places(report: ScanReport): string {
  const files = [...new Set(report.findings.map((f) => (f.source === "file" ? f.file : `${f.source}${f.commit ? " of " + f.commit.slice(0, 12) : ""}`)))];
  const shown = files.slice(0, 5).join(", ");
  return files.length > 5 ? `${shown} and ${files.length - 5} more` : shown;
}

/**
 * The exact `.leakguardignore` lines for the reported secrets, one per
 * fingerprint (the full one: it stays unambiguous as the repository grows),
 * with where it was seen as the comment.
 */
export function ignoreLines(report: ScanReport, max = 5): string[] {
  const seen = new Map<string, string>();
  for (const f of report.findings) {
    if (seen.has(f.fingerprint)) continue;
    const place = f.source === "file" ? `${f.file}:${f.line}` : `${f.source}${f.commit ? " of " + f.commit.slice(0, 12) : ""}:${f.line}`;
    seen.set(f.fingerprint, `${f.fingerprint} # ${place} ${f.ruleId}`);
  }
  const lines = [...seen.values()];
  return lines.length > max ? [...lines.slice(0, max), `(and ${lines.length - max} more: '--format json' lists every fingerprint)`] : lines;
}

/** The "not a secret" way out: an inline marker, or the ignore lines to paste. */
function notASecret(report: ScanReport, verb: string): string[] {
  return [
    `  2. If it is not a secret (test data, an example), allow that line with a comment`,
    `     'leakguard:allow <reason>', or add these lines to .leakguardignore and ${verb} again:`,
    ...ignoreLines(report).map((l) => `       ${l}`),
  ];
}

const count = (n: number): string => `${n} secret${n === 1 ? "" : "s"}`;

/** Guidance after `staged` blocked a commit. */
export function commitGuidance(raw: ScanReport): string {
  const report = redactReport(raw, false);
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
    ...notASecret(report, "commit"),
    "  3. If you must commit anyway: 'git commit --no-verify' (the secret stays in history).",
    "",
  ].join("\n");
}

/** Guidance after `push` blocked a push. */
export function pushGuidance(raw: ScanReport): string {
  const report = redactReport(raw, false);
  const commits = [...new Set(report.findings.map((f) => f.commit?.slice(0, 12)).filter(Boolean))];
  // A blob or tree a pushed ref names has no commit: name the ref instead.
  const where = commits.length > 0 ? `${commits.length} commit${commits.length === 1 ? "" : "s"} about to be pushed (${commits.slice(0, 5).join(", ")})` : `what the push sends (${places(report)})`;
  return [
    `leakguard: push blocked: ${count(report.findings.length)} in ${where}.`,
    "  1. Remove it from those commits ('git commit --amend', or 'git rebase -i' for older ones),",
    "     and rotate it if it is real.",
    ...notASecret(report, "push"),
    "  3. If you must push anyway: 'git push --no-verify' (the secret then leaves this machine).",
    "",
  ].join("\n");
}
