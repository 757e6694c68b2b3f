/**
 * A reusable scanner: a configuration compiled once, then many texts scanned
 * with it. The adapters (files, staged, push, history) all scan through one
 * of these.
 *
 * Time budget: the engine checks it between matches, which is enough for the
 * built-in rules (proven linear-time in CI). A configuration's own regexes
 * are unproven, and a single regex match cannot be interrupted from inside
 * JavaScript, so when the configuration has any and a budget is set,
 * {@link Scanner.scanAsync} runs each fragment in a worker thread that is
 * terminated when the budget (plus a little grace) runs out: the fragment
 * comes back `stopped`, and the next one gets a fresh worker. Built-in-only
 * scans never start a worker (the pre-commit hook pays nothing).
 */
import { compileRuleSet, type CompiledRuleSet } from "../engine/compile.js";
import { builtinKeywordTables } from "../ruleset/keyword-tables.js";
import { isBuiltinList, lazyRuleRows } from "../ruleset/builtin.js";
import { DEFAULT_DECODERS, workerDecoders } from "../engine/passes.js";
import { scanFragment, type Decoder, type EngineOptions, type EngineResult } from "../engine/scan.js";
import type { Confidence, Finding, Fragment, RuleDef } from "../engine/types.js";
import type { ResolvedConfig } from "../config/load.js";
import { createScanPool, poolAvailable, type ScanPool, type ScanPoolOptions } from "./scan-pool.js";
import { hasCustomRegexes } from "../ruleset/custom.js";
import { checkConfig, checkOptions, checkStringFields } from "../util/validate.js";

/**
 * Default time budget per file, blob or message, ms: a last guard that sane
 * input never reaches (every scanning command and library function).
 */
export const DEFAULT_TIME_BUDGET_MS = 10_000;
import { decideSalt, type FingerprintSalt } from "../config/fingerprint-salt.js";

/** Per-scanner options. */
export interface ScannerOptions {
  /** A salt already decided by {@link resolveFingerprintSalt} (what the CLI passes); wins over the fields below. */
  fingerprint?: FingerprintSalt;
  /** Explicit fingerprint salt; overrides the key and the config's salt. */
  salt?: string;
  /**
   * Private fingerprint key (default: `LEAKGUARD_FINGERPRINT_KEY` from `env`):
   * fingerprints become HMACs keyed by it, comparable across repositories that
   * share it and not testable against a dictionary without it.
   */
  fingerprintKey?: string;
  /** Environment for the key (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Per-fragment time budget in ms (a last guard against pathological input). */
  timeBudgetMs?: number;
  /** Clock for the time budget (default Date.now); tests inject one to make a budget run out. */
  now?: () => number;
  /** Let scanAsync use a watchdog thread for custom regexes (default true; false inside the watchdog's own worker). */
  watchdog?: boolean;
  /** Lowest confidence reported; overrides the config's (`low` = audit mode, see ResolvedConfig.minConfidence). */
  minConfidence?: Confidence;
  /**
   * Decoding passes run after the direct one (default `DEFAULT_DECODERS`:
   * base64, hex, percent; `[]` for none). Passed in, so what a scanner finds
   * never depends on which modules happen to be imported. Decoders other than
   * the defaults run in this thread only (no watchdog, no history workers).
   */
  decoders?: readonly Decoder[];
}

/** A compiled configuration, ready to scan many texts. */
export interface Scanner {
  readonly config: ResolvedConfig;
  readonly ruleSet: CompiledRuleSet;
  /** The decoding passes every fragment gets (see {@link ScannerOptions.decoders}). */
  readonly decoders: readonly Decoder[];
  /** The HMAC salt of the fingerprints (secret when it is a private key: never print it). */
  readonly salt: string;
  /** Where the salt came from, its salt id and key id. */
  readonly fingerprintSalt: FingerprintSalt;
  /** Per-fragment time budget, ms; undefined for none. */
  readonly timeBudgetMs: number | undefined;
  /** The engine options every scan of this scanner runs with (salt, decoders, budget, clock, minimum confidence). */
  readonly engineOptions: EngineOptions;
  /** True when {@link Scanner.scanAsync} runs under the watchdog thread. */
  readonly guarded: boolean;
  /** Scans one fragment in this thread: findings and suppressed candidates. */
  scanFragment(fragment: Fragment): EngineResult;
  /** Scans one fragment, under the watchdog when {@link Scanner.guarded}; the sources use this. */
  scanAsync(fragment: Fragment): Promise<EngineResult>;
  /** Scans a string; `path` names it for path rules and reports. */
  scanText(text: string, path?: string): Finding[];
  /** Ends the watchdog thread, if one was started (an idle one never keeps the process alive). */
  close(): Promise<void>;
}

/** Time the engine gets past the budget to stop by itself (keeping its findings so far) before the watchdog ends it. */
export function watchdogGrace(budgetMs: number): number {
  return Math.max(50, Math.round(budgetMs / 4));
}

/**
 * The worker pool options of `scanner`'s scans: its time budget, and when it
 * is guarded (configured regexes under a budget) the watchdog's limit, the
 * budget plus the engine's grace to stop by itself.
 */
export function poolOptionsOf(scanner: Pick<Scanner, "timeBudgetMs" | "guarded">): ScanPoolOptions {
  const budget = scanner.timeBudgetMs;
  if (budget === undefined) return {};
  return { timeBudgetMs: budget, ...(scanner.guarded ? { watchdogMs: budget + watchdogGrace(budget) } : {}) };
}

/**
 * Scans `fragment` the way every source does: under the watchdog when the
 * scanner has one, else in this thread through `scanFragment` (so a wrapper
 * that overrides it, as tests do, is honoured).
 */
export function scanGuarded(scanner: Scanner, fragment: Fragment): EngineResult | Promise<EngineResult> {
  return scanner.guarded ? scanner.scanAsync(fragment) : scanner.scanFragment(fragment);
}

/** Why a fragment the watchdog stopped was not scanned (the skip's detail; the warning names the file before it). */
export function stoppedDetail(budgetMs: number | undefined): string {
  const budget = budgetMs !== undefined ? `${budgetMs} ms, ` : "";
  return `not scanned, timed out: a configured regex ran past the time budget (${budget}--timeout-per-file)`;
}

/**
 * The in-thread scan functions of scanners a worker can stand in for: built
 * by {@link createScanner} with the real clock. A wrapper that overrides
 * `scanFragment` (as tests do) or injects a clock is not among them, so its
 * sources scan in its own thread.
 */
const workerEquivalent = new WeakSet<Scanner["scanFragment"]>();

/** True when a scan pool's workers, rebuilt from the scanner's config, salt and decoders, scan exactly as `scanner` does. */
export function workersCanScanFor(scanner: Scanner): boolean {
  return workerEquivalent.has(scanner.scanFragment);
}

/** The built-in rules compiled once per process (see {@link compiledRules}). */
let builtinCompiled: { rules: readonly RuleDef[]; count: number; ruleSet: CompiledRuleSet } | undefined;

/**
 * The config's rules compiled. A config that is exactly the built-in rules
 * (no config file, no allowlists: the common case) shares one compiled set
 * per process: compiling ~540 rules costs tens of milliseconds, which a
 * library caller scanning many times (and the test suite) paid on every scan.
 * Sharing is safe: a scan uses the compiled regexes synchronously, one at a
 * time, and sets their position before each use.
 */
function compiledRules(config: ResolvedConfig): CompiledRuleSet {
  const shared = config.allowlists.length === 0 && isBuiltinList(config.rules);
  if (shared && builtinCompiled?.rules === config.rules && builtinCompiled.count === config.rules.length) return builtinCompiled.ruleSet;
  // Built-in rules loaded lazily (the pre-commit hook's) are compiled when a text first selects them.
  const ruleSet = compileRuleSet(config.rules, config.allowlists, { keywordTables: builtinKeywordTables, lazy: lazyRuleRows() });
  if (shared) builtinCompiled = { rules: config.rules, count: config.rules.length, ruleSet };
  return ruleSet;
}

/** Compiles `config` into a {@link Scanner}. Throws RuleError for a bad rule. */
export function createScanner(baseConfig: ResolvedConfig, options: ScannerOptions = {}): Scanner {
  checkConfig("createScanner", "config", baseConfig);
  checkOptions("createScanner", options);
  checkStringFields("createScanner", options, ["salt", "fingerprintKey"]);
  // Kept in the config so that worker threads and the blob cache key see it too.
  const config = options.minConfidence !== undefined ? { ...baseConfig, minConfidence: options.minConfidence } : baseConfig;
  const ruleSet = compiledRules(config);
  // The repository salt needs git: callers that have a repository pass `fingerprint` (resolveFingerprintSalt).
  const fingerprintSalt =
    options.fingerprint ?? decideSalt({ salt: options.salt, fingerprintKey: options.fingerprintKey, env: options.env, configSalt: config.salt });
  const salt = fingerprintSalt.value;
  const budget = options.timeBudgetMs !== undefined && options.timeBudgetMs > 0 ? options.timeBudgetMs : undefined;
  const decoders = options.decoders ?? DEFAULT_DECODERS;
  const engineOpts: EngineOptions = {
    salt,
    decoders,
    ...(budget !== undefined ? { timeBudgetMs: budget } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(config.minConfidence !== undefined ? { minConfidence: config.minConfidence } : {}),
    ...(config.ignoreInlineAllow === true ? { inlineAllow: false } : {}),
  };
  const guarded = budget !== undefined && options.watchdog !== false && hasCustomRegexes(config) && workerDecoders(decoders) !== undefined && poolAvailable();
  let pool: ScanPool | undefined;
  const scanHere = (fragment: Fragment): EngineResult => scanFragment(ruleSet, fragment, engineOpts);
  if (options.now === undefined) workerEquivalent.add(scanHere);
  return {
    config,
    ruleSet,
    decoders,
    salt,
    fingerprintSalt,
    timeBudgetMs: budget,
    engineOptions: engineOpts,
    guarded,
    scanFragment: scanHere,
    async scanAsync(fragment) {
      if (!guarded) return scanHere(fragment);
      // Started on first use: a scan with nothing to read costs no thread.
      pool ??= createScanPool({ config, salt, decoders }, 1, Infinity, poolOptionsOf({ timeBudgetMs: budget, guarded }));
      if (!pool) return scanHere(fragment);
      const out = await pool.scanFragment(fragment);
      if (out.kind === "scanned") return out.result;
      return { findings: [], suppressed: [], timedOut: true, stopped: true };
    },
    scanText: (text, path = "") => scanHere({ text, path }).findings,
    async close() {
      const p = pool;
      pool = undefined;
      await p?.close();
    },
  };
}
