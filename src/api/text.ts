/** Library: scan a string. */
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import type { Finding } from "../engine/types.js";
import { createScanner, type Scanner } from "../scanner.js";

/** Options for {@link scanText}. */
export interface ScanTextOptions {
  /** Names the text for path rules, allowlists and findings. */
  path?: string;
  /** Configuration to use (default: built-in rules only). */
  config?: ResolvedConfig;
  /** A scanner to reuse; wins over `config`. */
  scanner?: Scanner;
  /** Fingerprint salt. */
  salt?: string;
}

let defaultScanner: Scanner | undefined;

/**
 * Finds secrets in a string. Findings carry the raw secret in `secret`;
 * redact before printing (see `redactFinding`).
 *
 * @example
 *   const findings = scanText(fileContents, { path: "config/prod.env" });
 */
export function scanText(text: string, options: ScanTextOptions = {}): Finding[] {
  let scanner = options.scanner;
  if (!scanner) {
    if (options.config || options.salt !== undefined) {
      scanner = createScanner(options.config ?? loadConfig({ noConfigFile: true }), options.salt !== undefined ? { salt: options.salt } : {});
    } else {
      defaultScanner ??= createScanner(loadConfig({ noConfigFile: true }));
      scanner = defaultScanner;
    }
  }
  return scanner.scanFragment({ text, path: options.path ?? "" }).findings;
}
