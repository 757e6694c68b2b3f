// The file-scan floor: 20 typical secret patterns, the kind every secret
// scanner carries, run by ripgrep over the same tree leakguard scans. ripgrep
// reads and matches with no validation, entropy, decoding or reporting, so its
// time is what reading the files and matching a regex set costs on this machine.
//
// Each source is valid both as a JavaScript RegExp and in ripgrep's (Rust)
// syntax; `ignoreCase` becomes the i flag, or an inline (?i) for ripgrep. Each
// pattern carries a sample built at run time (never written whole here, so that
// scanning this repository finds nothing), which its regex must match.

const r = (s, n) => s.repeat(n);

/** @type {ReadonlyArray<{ name: string, source: string, ignoreCase: boolean, sample: () => string }>} */
export const SECRET_PATTERNS = [
  { name: "AWS access key id", source: String.raw`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`, ignoreCase: false, sample: () => "AK" + "IA" + r("Q7", 8) },
  { name: "AWS secret access key", source: String.raw`aws.{0,20}(?:secret|key).{0,20}[:=]\s*['"]?[A-Za-z0-9/+]{40}`, ignoreCase: true, sample: () => "aws_secret" + "_access_key = " + r("Ab3/", 10) },
  { name: "GitHub token", source: String.raw`\bgh[pousr]_[A-Za-z0-9]{36,255}\b`, ignoreCase: false, sample: () => "gh" + "p_" + r("aB3", 12) },
  { name: "GitHub fine-grained token", source: String.raw`\bgithub_pat_[A-Za-z0-9_]{82}\b`, ignoreCase: false, sample: () => "github" + "_pat_" + r("aB3_", 20) + "xy" },
  { name: "GitLab token", source: String.raw`\bglpat-[A-Za-z0-9_-]{20}\b`, ignoreCase: false, sample: () => "gl" + "pat-" + r("aB3_", 5) },
  { name: "Slack token", source: String.raw`\bxox[baprs]-[A-Za-z0-9-]{10,72}`, ignoreCase: false, sample: () => "xo" + "xb-" + r("1234-", 4) },
  { name: "Slack webhook", source: String.raw`hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9+/]{43,56}`, ignoreCase: false, sample: () => "hooks.slack" + ".com/services/" + r("T0B1C2/", 7) + "x" },
  { name: "Stripe key", source: String.raw`\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,99}\b`, ignoreCase: false, sample: () => "sk" + "_live_" + r("aB3", 8) },
  { name: "private key header", source: String.raw`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`, ignoreCase: false, sample: () => r("-", 5) + "BEGIN RSA " + "PRIVATE KEY" + r("-", 5) },
  { name: "JWT", source: String.raw`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`, ignoreCase: false, sample: () => ["ey" + "J" + r("hbG", 4), "ey" + "J" + r("zdW", 4), r("SflK", 3)].join(".") },
  { name: "Google API key", source: String.raw`\bAIza[0-9A-Za-z_-]{35}\b`, ignoreCase: false, sample: () => "AI" + "za" + r("Sy-9_", 7) },
  { name: "Google OAuth client secret", source: String.raw`\bGOCSPX-[A-Za-z0-9_-]{28}\b`, ignoreCase: false, sample: () => "GOC" + "SPX-" + r("aB3_", 7) },
  { name: "npm token", source: String.raw`\bnpm_[A-Za-z0-9]{36}\b`, ignoreCase: false, sample: () => "np" + "m_" + r("aB3", 12) },
  { name: "SendGrid key", source: String.raw`\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b`, ignoreCase: false, sample: () => "S" + "G." + r("aB", 11) + "." + r("cD3", 14) + "e" },
  { name: "Twilio API key", source: String.raw`\bSK[0-9a-fA-F]{32}\b`, ignoreCase: false, sample: () => "S" + "K" + r("0fA9", 8) },
  { name: "Mailchimp key", source: String.raw`\b[0-9a-f]{32}-us[0-9]{1,2}\b`, ignoreCase: false, sample: () => r("0f9a", 8) + "-" + "us12" },
  { name: "OpenAI key", source: String.raw`\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b`, ignoreCase: false, sample: () => "sk" + "-" + r("aB3_", 5) + "T3Blbk" + "FJ" + r("cD4_", 5) },
  { name: "connection string with password", source: String.raw`\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?)://[^:@\s/]+:[^@\s/]+@`, ignoreCase: true, sample: () => ["postgres:", "", ["app", r("x2", 4)].join(":") + "@db"].join("/") },
  { name: "password assignment", source: String.raw`(?:password|passwd|pwd)\s*[:=]\s*['"][^'"\s]{8,}['"]`, ignoreCase: true, sample: () => "pass" + "word = '" + r("s3cr", 3) + "'" },
  { name: "secret, token or API key assignment", source: String.raw`(?:secret|token|api[_-]?key|access[_-]?key|auth[_-]?key)[A-Za-z0-9_-]{0,20}\s*[:=]\s*['"]?[A-Za-z0-9_/+=.-]{16,}`, ignoreCase: true, sample: () => "API" + "_KEY=" + r("x9Y8", 5) },
];

/** ripgrep's arguments for the pattern set: one -e per pattern, (?i) where case does not matter. */
export function ripgrepPatternArgs(patterns = SECRET_PATTERNS) {
  return patterns.flatMap((p) => ["-e", p.ignoreCase ? `(?i)${p.source}` : p.source]);
}

/**
 * The whole ripgrep command line after the binary: count matching lines per
 * file over every file below the current folder (no ignore files, hidden files
 * too, no user config), as a scanner reads them. --no-unicode gives \b, \s and
 * classes the ASCII meaning they have in scanners' engines (Go's RE2, a
 * JavaScript RegExp without the u flag); with Unicode word boundaries ripgrep's
 * DFA gives up on non-ASCII text (git/git's po/ files) and runs ~40× slower.
 */
export function ripgrepArgs(patterns = SECRET_PATTERNS) {
  return ["--no-config", "--no-ignore", "--hidden", "--no-unicode", "--count", ...ripgrepPatternArgs(patterns), "."];
}
