/**
 * leakguard's public API. Everything the CLI does is a typed function here;
 * the CLI is a thin layer over it.
 *
 * @example
 *   import { scanText, scanPaths, loadConfig, createScanner } from "leakguard";
 *   const findings = scanText("AWS_ACCESS_KEY_ID=AKIA…", { path: ".env" });
 *   const report = await scanPaths(["."], { root: "/path/to/repo" });
 *   const scanner = createScanner(loadConfig({ root: "/path/to/repo" }));
 *   scanner.scanText(text, "file.js");
 */
export { scanText, type ScanTextOptions } from "./api/text.js";
export { scanPaths, type ScanPathsOptions } from "./api/paths.js";
export { DEFAULT_FILE_TIME_BUDGET_MS, DEFAULT_MAX_FILE_SIZE, type FileScanOptions } from "./sources/files.js";
export { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from "./sources/archive.js";
export { loadConfig, type LoadConfigOptions, type ResolvedConfig, type ScanSettings, type ConfigSource, type ConfigReader } from "./config/load.js";
export {
  resolveFingerprintSalt,
  decideSalt,
  keyIdOf,
  FINGERPRINT_KEY_ENV,
  type FingerprintSalt,
  type SaltKind,
  type SaltInputs,
} from "./config/fingerprint-salt.js";
export { RefReader, REF_FILE_MAX_BYTES } from "./config/from-ref.js";
export { configWarnings, noteConfigUse, type ConfigUse } from "./config/provenance.js";
export { createScanner, type Scanner, type ScannerOptions } from "./scanner.js";
export { redactFinding, redactSecret } from "./engine/redact.js";
export { fingerprintOf } from "./engine/fingerprint.js";
export { renderReport, redactReport, type ReportOptions } from "./report/index.js";
export { checkRules, checkRule, type RuleProblem } from "./ruleset/check.js";
export { LeakguardError, UsageError, GitError, InputError } from "./errors.js";
export { ConfigError } from "./ruleset/parse.js";
export { RuleError } from "./engine/compile.js";
export type { ScanReport, ScanStats, SkippedFile } from "./report/types.js";
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
export { applySuppressions, resolveSalt, IGNORE_NAMES, type SuppressOptions } from "./suppress/index.js";
export {
  BASELINE_NAME,
  readBaseline,
  parseBaseline,
  formatBaseline,
  writeBaseline,
  updateBaseline,
  type Baseline,
  type BaselineEntry,
  type BaselineUpdate,
} from "./suppress/baseline.js";
export { parseIgnoreFile, readIgnoreFile, ignoreMatcher, type IgnoreEntry } from "./suppress/ignore-file.js";
export { parseImport, type ImportedBaseline } from "./suppress/import.js";
export { scanStaged, type ScanStagedOptions } from "./api/staged.js";
export { scanCommits, type CommitScanOptions } from "./git/commits.js";
export { scanHistory, type ScanHistoryOptions, type HistoryReport } from "./api/history.js";
export type { HistoryStats, HistoryProgress, HistorySelection } from "./git/history.js";
export { scanInventory, buildInventory, riskScore, type ScanInventoryOptions, type InventoryInput, type RiskFactors } from "./api/inventory.js";
export { renderInventory, type InventoryRenderOptions, type InventoryRenderer } from "./report/inventory/index.js";
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
export { mergeInventories, readInventoryFile, parseInventoryJson, type MergeInput, type MergeOptions } from "./inventory/merge.js";
export { webRepository, commitUrl, fileUrl } from "./inventory/remote.js";
export { keyInfoOf } from "./inventory/key-info.js";
