/** Library: scan a string. */
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import type { Confidence, Finding } from "../engine/types.js";
import { createScanner, type Scanner } from "../core/scanner.js";
import { fingerprintKeyOf } from "../config/fingerprint-salt.js";
import { checkConfig, checkOptions, checkString, checkStringFields } from "../util/validate.js";

/** Options for {@link scanText}. */
export interface ScanTextOptions {
  /** Names the text for path rules, allowlists and findings. */
  path?: string;
  /** Configuration to use (default: built-in rules only). */
  config?: ResolvedConfig;
  /** A scanner to reuse; wins over `config`. */
  scanner?: Scanner;
  /** Explicit fingerprint salt (wins over the key). */
  salt?: string;
  /**
   * Private fingerprint key (default: `LEAKGUARD_FINGERPRINT_KEY` from the
   * environment). Without either, fingerprints use a fixed default salt: a
   * string has no repository.
   */
  fingerprintKey?: string;
  /** Lowest confidence reported; `low` = audit mode (see ResolvedConfig.minConfidence). */
  minConfidence?: Confidence;
}

let defaultScanner: { scanner: Scanner; key: string | undefined } | undefined;

/**
 * Finds secrets in a string. Findings carry the raw secret in `secret`;
 * redact before printing (see `redactFinding`).
 *
 * @example
 *   const findings = scanText(fileContents, { path: "config/prod.env" });
 */
export function scanText(text: string, options: ScanTextOptions = {}): Finding[] {
  checkString("scanText", "text", text);
  checkOptions("scanText", options);
  checkStringFields("scanText", options, ["path", "salt", "fingerprintKey"]);
  checkConfig("scanText", "options.config", options.config);
  let scanner = options.scanner;
  if (!scanner) {
    if (options.config || options.salt !== undefined || options.fingerprintKey !== undefined || options.minConfidence !== undefined) {
      scanner = createScanner(options.config ?? loadConfig({ noConfigFile: true }), {
        ...(options.salt !== undefined ? { salt: options.salt } : {}),
        ...(options.fingerprintKey !== undefined ? { fingerprintKey: options.fingerprintKey } : {}),
        ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
      });
    } else {
      // The cached scanner follows the environment's key, read on every call.
      const key = fingerprintKeyOf({});
      if (!defaultScanner || defaultScanner.key !== key) defaultScanner = { scanner: createScanner(loadConfig({ noConfigFile: true })), key };
      scanner = defaultScanner.scanner;
    }
  }
  return scanner.scanFragment({ text, path: options.path ?? "" }).findings;
}
