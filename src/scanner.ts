/**
 * A reusable scanner: a configuration compiled once, then many texts scanned
 * with it. The adapters (files, staged, history) all scan through one of these.
 */
import { compileRuleSet, type CompiledRuleSet } from "./engine/compile.js";
// Registers the decoding pass (base64, hex, percent) with the engine: every scanner decodes.
import "./engine/decode.js";
import { scanFragment, type EngineResult } from "./engine/scan.js";
import type { Finding, Fragment } from "./engine/types.js";
import type { ResolvedConfig } from "./config/load.js";

/** Per-scanner options. */
export interface ScannerOptions {
  /** Fingerprint salt; overrides the config's. */
  salt?: string;
  /** Per-fragment time budget in ms (a last guard against pathological input). */
  timeBudgetMs?: number;
  /** Clock for the time budget (default Date.now); tests inject one to make a budget run out. */
  now?: () => number;
}

/** A compiled configuration, ready to scan many texts. */
export interface Scanner {
  readonly config: ResolvedConfig;
  readonly ruleSet: CompiledRuleSet;
  readonly salt: string | undefined;
  /** Scans one fragment: findings and suppressed candidates. */
  scanFragment(fragment: Fragment): EngineResult;
  /** Scans a string; `path` names it for path rules and reports. */
  scanText(text: string, path?: string): Finding[];
}

/** Compiles `config` into a {@link Scanner}. Throws RuleError for a bad rule. */
export function createScanner(config: ResolvedConfig, options: ScannerOptions = {}): Scanner {
  const ruleSet = compileRuleSet(config.rules, config.allowlists);
  const salt = options.salt ?? config.salt;
  const engineOpts = {
    ...(salt !== undefined ? { salt } : {}),
    ...(options.timeBudgetMs !== undefined && options.timeBudgetMs > 0 ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  };
  return {
    config,
    ruleSet,
    salt,
    scanFragment: (fragment) => scanFragment(ruleSet, fragment, engineOpts),
    scanText: (text, path = "") => scanFragment(ruleSet, { text, path }, engineOpts).findings,
  };
}
