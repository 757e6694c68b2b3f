/**
 * leakguard's public API: the documented set (README, "Library API"). What
 * is not exported here is internal and may change in any release.
 *
 * Every function checks its arguments at the boundary and throws a
 * {@link LeakguardError} subclass with one line naming the problem
 * ({@link ArgumentError} for a wrong type, {@link ConfigError} for a bad
 * config file, {@link GitError} for a missing repository, …).
 *
 * @example
 *   import { scanText, scanPaths, loadConfig, createScanner } from "leakguard";
 *   const findings = scanText("AWS_ACCESS_KEY_ID=AKIA…", { path: ".env" });
 *   const report = await scanPaths(["."], { root: "/path/to/repo" });
 *   const scanner = createScanner(loadConfig({ root: "/path/to/repo" }));
 *   scanner.scanText(text, "file.js");
 */

// Scanning: the CLI's sources, each a library twin of a command.
export { scanText, type ScanTextOptions } from "./api/text.js";
export { scanPaths, type ScanPathsOptions } from "./api/paths.js";
export { scanStaged, type ScanStagedOptions } from "./api/staged.js";
export { scanPush, type ScanPushOptions } from "./api/push.js";
export { scanHistory, type ScanHistoryOptions, type HistoryReport } from "./api/history.js";
export { scanInventory, type ScanInventoryOptions } from "./api/inventory.js";
export type { ScanSetup } from "./api/pipeline.js";
export type { HistoryStats, HistoryProgress, HistorySelection } from "./scans/history.js";
export type { FileScanOptions } from "./sources/files.js";
export type { ArchiveLimits } from "./sources/archive.js";

// Configuration and a reusable scanner.
export { loadConfig, type LoadConfigOptions, type ResolvedConfig, type ScanSettings, type ConfigSource, type ConfigReader } from "./config/load.js";
export { resolveFingerprintSalt, FINGERPRINT_KEY_ENV, type FingerprintSalt, type SaltKind, type SaltInputs } from "./config/fingerprint-salt.js";
export { createScanner, type Scanner, type ScannerOptions } from "./core/scanner.js";
export { checkRules, type RuleProblem } from "./ruleset/check.js";

// Reports: redaction and the CLI's formats.
export { redactFinding, redactSecret } from "./engine/redact.js";
export { fingerprintOf } from "./engine/fingerprint.js";
export { renderReport, redactReport, type ReportOptions } from "./report/index.js";
export { renderInventory, type InventoryRenderOptions, type InventoryRenderer } from "./report/inventory/index.js";

// Baselines (what `leakguard baseline create|update` writes).
export { makeBaseline, type MakeBaselineOptions, type MakeBaselineResult } from "./api/baseline.js";
export { readBaseline, writeBaseline, updateBaseline, type Baseline, type BaselineEntry, type BaselineUpdate } from "./suppress/baseline.js";

// Errors: every one is `instanceof LeakguardError`.
export { LeakguardError, UsageError, GitError, InputError, ArgumentError } from "./errors.js";
export { ConfigError } from "./ruleset/parse.js";
export { RuleError } from "./engine/compile.js";
export { RegexSyntaxError } from "./engine/regex.js";

// Data shapes.
export type { ScanReport, ScanStats, SkippedFile } from "./core/report.js";
export type {
  Finding,
  Fragment,
  Severity,
  Confidence,
  FindingSource,
  RuleDef,
  RuleExample,
  RuleNegativeExample,
  AllowlistDef,
  CommitInfo,
  SuppressedFinding,
  SuppressionReason,
} from "./engine/types.js";
export type {
  Inventory,
  InventoryRow,
  CommitRef,
  Occurrence,
  Rotation,
  SecretState,
  KeyInfo,
  WebRepository,
  ForgeKind,
  RepositoryPresence,
  MergedRepository,
} from "./inventory/types.js";

// Organisation inventory (what `leakguard inventory merge` does).
export { mergeInventories, readInventoryFile, parseInventoryJson, type MergeInput, type MergeOptions } from "./inventory/merge.js";
