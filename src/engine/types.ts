/**
 * Types shared by the pure engine, the adapters and the reporters.
 *
 * The engine sees only {@link Fragment}s (text plus where it came from) and a
 * {@link CompiledRuleSet}; it returns {@link Finding}s. Nothing here touches the
 * file system, git or the process.
 */
import type { BeforeAnchors, OffsetAnchors } from "./anchors.js";
import type { StoredRunAnchor } from "./run-anchors.js";

/** Impact if the secret is real. */
export type Severity = "critical" | "high" | "medium" | "low";

/** Every severity, most severe first: the order reports sort and summarise by. */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const satisfies readonly Severity[];
/** How precise the pattern is: how likely a match is a real secret. */
export type Confidence = "high" | "medium" | "low";
/** Where the text of a finding came from. */
export type FindingSource = "file" | "commit-message" | "tag-message" | "note" | "stash";

/** A positive example: `text` must yield exactly `secret` (the secret group). */
export interface RuleExample {
  text: string;
  /** The exact secret the rule must extract from `text`. */
  secret: string;
  /** Optional path the example pretends to live at (for `path` rules). */
  path?: string;
}

/** A negative example: `text` must yield nothing for this rule. */
export interface RuleNegativeExample {
  text: string;
  /** Why this is not a secret. */
  reason?: string;
  path?: string;
}

/** One allowlist as written in a config or rule file (gitleaks schema plus ours). */
export interface AllowlistDef {
  description?: string;
  /** `OR` (default): any criterion suppresses; `AND`: all given criteria must hold. */
  condition?: "OR" | "AND";
  /** What `regexes` are matched against: the secret (default), the whole match, or the line. */
  regexTarget?: "secret" | "match" | "line";
  /** Regexes (JavaScript source, Go syntax translated). */
  regexes?: string[];
  /** Path regexes, as gitleaks writes them. */
  paths?: string[];
  /** Path globs (micromatch), leakguard's addition. */
  globs?: string[];
  /** Substrings: a secret containing one (case-insensitive) is suppressed. */
  stopwords?: string[];
  /** Commit shas whose findings are suppressed. */
  commits?: string[];
  /** Global allowlists only: restrict to these rule ids. */
  targetRules?: string[];
  /** The file that defined it (set by the parser): suppressions are counted per config file. */
  origin?: string;
  /**
   * `regexes` and `paths` already translated to JavaScript, keyed by their
   * source text: written by the build into `dist/rules.json` so that start-up
   * skips the translation. Never read from a config file.
   */
  translated?: Readonly<Record<string, { source: string; flags: string }>>;
}

/** A rule as data: what `rules/*.toml` and `[[rules]]` in a config hold. */
export interface RuleDef {
  /** Stable forever; kebab-case. */
  id: string;
  description: string;
  /** JavaScript regex source. A leading `(?i)` means case-insensitive. */
  regex?: string;
  /** Which capture group is the secret; 0 or absent = first group if any, else whole match. */
  secretGroup?: number;
  /** Lower-case literals; the rule runs only where one occurs. Empty = always runs. */
  keywords?: string[];
  /** Minimum Shannon entropy (bits/char) of the secret. */
  entropy?: number;
  /** Path regex: the rule applies only to matching paths (or, without `regex`, flags the path). */
  path?: string;
  severity?: Severity;
  confidence?: Confidence;
  tags?: string[];
  /**
   * Links about the secret and its rotation. On a built-in rule as loaded
   * from the build (`loadConfig`), this, `remediation` and `origin` are
   * inherited, read from `dist/rules-details.json` when first asked for: a
   * spread `{ ...rule }` leaves them out; reading them or `JSON.stringify`
   * gives them.
   */
  references?: string[];
  /** How to revoke or rotate, with the provider's link (see `references` on built-in rules). */
  remediation?: string;
  /**
   * A credential-file parser (see engine/credfiles/registry.ts) that finds this
   * rule's secrets instead of a regex: for formats a regex cannot read safely
   * (fields across lines, escapes, base64 values). Usually with a `path`.
   */
  parser?: string;
  /** Named post-match validators (checksums, structure), see engine/validators.ts. */
  validators?: string[];
  /** When true, shared placeholder/false-positive filters are not applied. */
  skipFilters?: boolean;
  /**
   * Marks a container rule (a Kubernetes Secret's `data:` value, a Terraform
   * state attribute, a Docker `auth`): when a more specific rule finds a secret
   * on the same span (directly or after decoding), that finding is reported
   * instead and gets this value as a tag (e.g. `kubernetes-secret`).
   */
  container?: string;
  allowlists?: AllowlistDef[];
  examples?: RuleExample[];
  negativeExamples?: RuleNegativeExample[];
  /** Real formats the rule misses today; the tester expects them to fail. */
  knownMisses?: RuleExample[];
  /** The file the rule was loaded from, for error messages. */
  origin?: string;
  /**
   * Build-time translation of `regex` (the packaged rule bundle only, whose
   * file leaves `from` out for the loader to put back): used
   * when `from` still equals `regex`, so start-up skips translating and
   * counting groups of every built-in rule. `anchors`: the regex's start
   * anchors (engine/anchors.ts `startAnchors`), empty for none; `lead`: the
   * anchors one character in (`leadAnchors`), empty for none; `line`: the
   * anchors of the line a match begins (`lineAnchors`), absent for none.
   */
  precompiled?: {
    from: string;
    source: string;
    flags: string;
    groups: number;
    anchors?: string[];
    lead?: string[];
    line?: string[];
    before?: BeforeAnchors;
    offset?: OffsetAnchors;
    /** The run anchor (run-anchors.ts) of a rule without keywords, worked out by the build. */
    run?: StoredRunAnchor;
  };
  /** `path` translated by the build, used only while `from` still equals `path` (like `precompiled`). */
  precompiledPath?: { from: string; source: string; flags: string };
}

/** Commit metadata attached to fragments that come from git. */
export interface CommitInfo {
  commit: string;
  author?: string;
  email?: string;
  date?: string;
  message?: string;
  pushed?: boolean;
}

/** Text plus provenance: the only thing the engine ever scans. */
export interface Fragment {
  text: string;
  /** Path relative to the scanned root, `/`-separated; `""` for messages. */
  path: string;
  /** Added to every reported line number (lines before this text). Default 0. */
  lineOffset?: number;
  /**
   * When set, only findings whose secret touches one of these 1-based line ranges
   * (inclusive, after lineOffset) are kept: used for "added lines only" diffs.
   */
  lineRanges?: ReadonlyArray<readonly [number, number]>;
  commit?: CommitInfo;
  source?: FindingSource;
  /** Extra tags to put on every finding of this fragment. */
  tags?: string[];
}

/** One reported secret. Field meanings are the README's ("Reports" and "Library API"), stable across releases. */
export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The raw secret (library API); reporters redact it. */
  secret: string;
  /** The matched text around the secret (raw here; reporters redact it). */
  match: string;
  fingerprint: string;
  location: string;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
  message?: string;
  entropy: number;
  encoding?: string;
  /**
   * Found in a decoded view: the secret as the text writes it, raw (the
   * original text of its span: `"AKIA…" + "…"`, `\x41\x4b…`, `0x…`, a
   * percent-encoded URL part). Redaction hides it wherever it stands, like
   * the secret; not a wire field, so never printed.
   */
  encodedSecret?: string;
  tags: string[];
  source: FindingSource;
  pushed?: boolean;
  /** The full line(s) holding the secret, raw; for code frames. Never printed unredacted. */
  lineText?: string;
  /**
   * Audit mode only (`minConfidence: "low"`): why the default scan drops this
   * candidate, e.g. `placeholder: word plus number`, `validator: github-crc32`,
   * `entropy: entropy 2.5 < 3`. Such findings have confidence `low` and a tag
   * `rejected:<reason>`.
   */
  auditReason?: string;
}

/** Why a candidate was not reported (powers `--show-suppressed`). */
export type SuppressionReason =
  | "entropy"
  | "allowlist"
  | "inline-allow"
  | "stopword"
  | "placeholder"
  | "validator"
  | "path"
  | "ignore-file"
  | "baseline"
  /** Below the scan's minimum confidence (`--min-confidence medium|high`). */
  | "confidence";

/** A candidate that matched a rule but was suppressed, with why. */
export interface SuppressedFinding {
  finding: Finding;
  reason: SuppressionReason;
  detail?: string;
  /** The file whose allowlist (or ignore entry, or baseline) hid it. */
  origin?: string;
}

/** What scanning one fragment returns. */
export interface FragmentResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}
