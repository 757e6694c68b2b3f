/**
 * One report that every format is tested on: file findings under awkward
 * names (comma, quote, newline, unicode, space, a leading `=`, URI
 * delimiters, a control character), a git finding with commit fields, a
 * commit-message finding, every severity, and a suppressed candidate. Secrets
 * are built at run time.
 */
import { fingerprintOf } from "../../src/engine/fingerprint.js";
import type { Finding, Severity, SuppressedFinding } from "../../src/engine/types.js";
import type { ScanReport } from "../../src/core/report.js";
import { awsKeyId, awsSecret, githubToken, randomToken } from "./secrets.js";

/** The raw secrets in the fixture (none may appear in redacted output). */
export const SECRETS = {
  github: githubToken(11),
  awsId: awsKeyId(12),
  awsSecret: awsSecret(13),
  generic: randomToken(32, 14),
  message: githubToken(15),
  suppressed: randomToken(28, 16),
  low: randomToken(30, 17),
};

/** File names that break naive reporters. */
export const ODD_FILES = {
  comma: 'config/a,b "quoted".env',
  newline: "notes/line\nbreak.txt",
  unicode: "dir with space/ünïcödé 🔑.yaml",
  formula: "=HYPERLINK(x).csv",
  uri: "web/a%20b#frag?q:1.js",
  control: "ctl/esc\u001b[31mred.txt",
};

function finding(over: Partial<Finding> & { ruleId: string; secret: string; file: string; severity: Severity }): Finding {
  const prefix = "key = ";
  const line = over.line ?? 3;
  const column = prefix.length + 1;
  const f: Finding = {
    title: over.ruleId,
    confidence: "high",
    column,
    endLine: line,
    endColumn: column + over.secret.length,
    match: `${prefix}${over.secret}`,
    fingerprint: fingerprintOf(over.ruleId, over.secret, "fixture-salt"),
    location: `${over.commit ? over.commit + ":" : ""}${over.file}:${over.ruleId}:${line}`,
    entropy: 4.5,
    tags: [],
    source: "file",
    lineText: `${prefix}${over.secret}`,
    ...over,
    line,
  };
  return f;
}

const COMMIT = "3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";

/** The fixture report. */
export function fixtureReport(): ScanReport {
  const findings: Finding[] = [
    finding({ ruleId: "github-pat", title: "GitHub personal access token (classic)", severity: "critical", secret: SECRETS.github, file: ODD_FILES.comma }),
    finding({ ruleId: "aws-access-key-id", title: "AWS access key ID", severity: "high", secret: SECRETS.awsId, file: ODD_FILES.newline, line: 1 }),
    finding({ ruleId: "aws-secret-access-key", title: "AWS secret access key", severity: "critical", secret: SECRETS.awsSecret, file: ODD_FILES.unicode, line: 7 }),
    finding({ ruleId: "generic-api-key", title: "Generic API key", severity: "medium", confidence: "low", secret: SECRETS.generic, file: ODD_FILES.formula, tags: ["generic"] }),
    finding({ ruleId: "generic-api-key", title: "Generic API key", severity: "medium", confidence: "low", secret: SECRETS.generic, file: ODD_FILES.uri, tags: ["generic", "reused"] }),
    finding({ ruleId: "custom-low", title: "Custom low-severity token", severity: "low", secret: SECRETS.low, file: ODD_FILES.control }),
    // A git finding: found in a commit by history/push.
    finding({
      ruleId: "aws-access-key-id",
      title: "AWS access key ID",
      severity: "high",
      secret: SECRETS.awsId,
      file: "deploy/old.env",
      line: 12,
      commit: COMMIT,
      author: "Doe, Jane: the \"ops\" one",
      email: "jane@example.test",
      date: "2024-03-05T10:11:12Z",
      message: `add deploy config\n\nkey ${SECRETS.awsId} for now`,
      pushed: true,
    }),
    // A commit-message finding: no file, line counts within the message.
    finding({
      ruleId: "github-pat",
      title: "GitHub personal access token (classic)",
      severity: "critical",
      secret: SECRETS.message,
      file: "",
      line: 2,
      source: "commit-message",
      commit: COMMIT,
      author: "Doe, Jane: the \"ops\" one",
      date: "2024-03-05T10:11:12Z",
      message: `fix ci\ntoken ${SECRETS.message}`,
      pushed: false,
    }),
  ];
  const suppressed: SuppressedFinding[] = [
    {
      finding: finding({ ruleId: "generic-api-key", title: "Generic API key", severity: "medium", secret: SECRETS.suppressed, file: "src/app.ts" }),
      reason: "inline-allow",
      detail: "leakguard:allow",
    },
  ];
  return {
    findings,
    suppressed,
    stats: { files: 42, bytes: 123_456, skipped: { binary: 2 }, durationMs: 1234 },
    warnings: ["shallow clone: history may be incomplete"],
  };
}
