/**
 * The secret inventory: one row per distinct secret (grouped by fingerprint)
 * across a repository's whole history. Built by inventory/build.ts from the
 * history scan's occurrences; rendered by the inventory reporters.
 */
import type { SkippedFile } from "../report/types.js";
import type { Confidence, Severity } from "../engine/types.js";

/** A commit reference with who and when. */
export interface CommitRef {
  commit: string;
  date: string;
  author: string;
  email?: string;
}

/** One place a secret stands: a path in a commit (or a message). */
export interface Occurrence {
  commit: string;
  file: string;
  line: number;
  ruleId: string;
  date: string;
}

/** One distinct secret. */
export interface InventoryRow {
  fingerprint: string;
  ruleId: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  /** Raw secret (library); reporters redact it unless --show-secrets. */
  secret: string;
  /** Every file it stood in (first few are enough for display; all kept here). */
  files: string[];
  /** How many (commit, file, line) places hold it. */
  occurrences: number;
  /** Distinct commits that introduced it somewhere (first few). */
  commits: string[];
  commitCount: number;
  introduced: CommitRef;
  /** The commit after which it no longer stands anywhere at HEAD; absent if still there. */
  removed?: CommitRef;
  /** Still present in the default branch's HEAD tree. */
  atHead: boolean;
  /** Days from introduction to removal, or to the inventory's date. */
  exposureDays: number;
  /** The same value stands in several files or under several rules. */
  reused: boolean;
  /** Other rule ids that matched the same value. */
  otherRules: string[];
  /** Reached a remote-tracking ref. */
  pushed: boolean;
  tags: string[];
  canary: boolean;
  /** 0..100, see README "Risk score". */
  risk: number;
  /** What to do: the rule's remediation text and links. */
  remediation: string;
  references: string[];
}

/** The whole inventory. */
export interface Inventory {
  tool: "leakguard";
  version: string;
  /** ISO date the inventory was computed ("today" for exposure days). */
  generatedAt: string;
  repository: string;
  /** Default branch and its HEAD commit. */
  head?: { ref: string; commit: string };
  rows: InventoryRow[];
  /** Blobs not (fully) scanned (binary, too large, timed out, missing), each named once. */
  skipped?: SkippedFile[];
  summary: {
    secrets: number;
    atHead: number;
    removedButInHistory: number;
    reused: number;
    canaries: number;
    bySeverity: Record<Severity, number>;
    commitsScanned: number;
  };
}
