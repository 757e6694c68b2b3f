/**
 * The secret inventory: one row per distinct secret (grouped by fingerprint)
 * across a repository's whole history. Built by inventory/build.ts from the
 * history scan's occurrences; rendered by the inventory reporters.
 */
import type { SkippedFile } from "../core/report.js";
import type { Confidence, Severity } from "../engine/types.js";
import type { KeyInfo } from "./key-info.js";
import type { WebRepository } from "./remote.js";

export type { KeyInfo } from "./key-info.js";
export type { WebRepository, ForgeKind } from "./remote.js";

/**
 * A secret marked rotated in `.leakguardignore`
 * (`<fingerprint> rotated YYYY-MM-DD [by WHO] [reason]`): no longer a live
 * risk, so its exposure stops counting at `date` and its risk drops.
 */
export interface Rotation {
  /** `YYYY-MM-DD` the secret was rotated (revoked and replaced). */
  date: string;
  by?: string;
  reason?: string;
  /** Where it is recorded, `file:line`. */
  source: string;
}

/** Where a secret stands in a secret's lifecycle. */
export type SecretState = "at-head" | "in-history" | "rotated";

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
  /** The path the same blob left in the same commit (a plain rename): one place, moved, not a second copy. */
  renamedFrom?: string;
}

/** One repository's part of a secret in an organisation inventory (see inventory/merge.ts). */
export interface RepositoryPresence {
  /** Short name (`owner/repo` from the remote, else the folder name). */
  name: string;
  /** Fingerprint in that repository's inventory. */
  fingerprint: string;
  introduced: CommitRef;
  removed?: CommitRef;
  atHead: boolean;
  exposureDays: number;
  rotated?: Rotation;
  files: string[];
  fileCommits?: Record<string, string>;
  occurrences: number;
  /** Risk in that repository alone. */
  risk: number;
  web?: WebRepository;
}

/** One input of an organisation inventory. */
export interface MergedRepository {
  name: string;
  /** The repository as its inventory named it (often a CI runner's path). */
  repository: string;
  /** The inventory file it came from. */
  file: string;
  generatedAt: string;
  head?: { ref: string; commit: string };
  web?: WebRepository;
  fingerprintSalt?: { id: string; kind?: string; keyId?: string };
  secrets: number;
  commitsScanned: number;
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
  /** For a private key: its type and body fingerprint, shown instead of the secret. */
  keyInfo?: KeyInfo;
  /** Every file it stood in (first few are enough for display; all kept here). */
  files: string[];
  /** File → the first commit (oldest) that held the secret there: where a file link points. */
  fileCommits?: Record<string, string>;
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
  /**
   * Days from introduction to rotation, or to the inventory's date when it is
   * not marked rotated: removing a secret from HEAD does not end its exposure
   * (every clone and fork still holds it); rotating it does.
   */
  exposureDays: number;
  /** Marked rotated in the ignore file. */
  rotated?: Rotation;
  /** `rotated` when marked so, else `at-head` or `in-history`. */
  state: SecretState;
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
  /** `secret` is already redacted (a merged inventory read from redacted JSON): show it as it is. */
  secretRedacted?: boolean;
  /** Organisation inventory: every repository holding this secret, most exposed first. */
  repositories?: RepositoryPresence[];
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
  /** Web home of the repository (from its remote), for commit and file links; absent without a known remote. */
  web?: WebRepository;
  /**
   * Which key made the fingerprints, without revealing it: `id` is a short
   * HMAC of a constant under the salt or key. Inventories can be merged row by
   * row only when their ids are equal (see inventory/merge.ts).
   */
  fingerprintSalt?: { id: string; kind?: string; keyId?: string };
  rows: InventoryRow[];
  /** Organisation inventory: the merged repositories' inventories. */
  repositories?: MergedRepository[];
  /** Organisation inventory: what the merge could not do (e.g. inputs made with different fingerprint keys). */
  warnings?: string[];
  /** Blobs not (fully) scanned (binary, too large, timed out, missing), each named once. */
  skipped?: SkippedFile[];
  summary: {
    secrets: number;
    atHead: number;
    removedButInHistory: number;
    reused: number;
    /** Marked rotated. */
    rotated: number;
    /** Organisation inventory: secrets found in more than one repository. */
    sharedAcrossRepositories?: number;
    canaries: number;
    bySeverity: Record<Severity, number>;
    commitsScanned: number;
  };
}
