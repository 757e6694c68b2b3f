/**
 * Configuration (I/O edge): finds and reads `.leakguard.toml` (or a
 * `.gitleaks.toml`, or `--config FILE`), merges it over the built-in rules, and
 * returns a {@link ResolvedConfig}. Parsing and validation live in
 * ruleset/parse.ts; this file only decides which files to read.
 */
import { statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { AllowlistDef, Confidence, RuleDef } from "../engine/types.js";
import { builtinRules, lazyBuiltinRules, withOwnDetails } from "../ruleset/builtin.js";
import { ConfigError, lineOfKey, lineOfTable, parseRuleFile } from "../ruleset/parse.js";
import { readConfigFile as readSafely } from "../util/read-config-file.js";
import { checkOptions, checkStringFields } from "../util/validate.js";

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Config file names looked for at the root, in order. */
export const CONFIG_NAMES = [".leakguard.toml", ".gitleaks.toml"] as const;

/** Settings under `[scan]` in `.leakguard.toml`. */
export interface ScanSettings {
  /** Largest file scanned, in bytes. */
  maxFileSize?: number;
  /** Globs of paths never scanned. */
  exclude?: string[];
}

/** One configuration file that was applied: what `summary.configs` reports. */
export interface ConfigSource {
  /** The file as its rules and allowlists name it (their `origin`): a path, or `REF:path` for --config-from. */
  file: string;
  /** `config` for the file given or found, `extends` for files it pulls in with `[extend] path`. */
  kind: "config" | "extends";
  /** False when it sets `[extend] useDefault = false` (no built-in rules). */
  useDefault: boolean;
  /** Built-in rule ids it really switches off (`[extend] disabledRules` that name a loaded built-in rule). */
  disabledRules: string[];
  /** Ids in its `[extend] disabledRules` that name no rule: they turn nothing off (a typo, or a gitleaks-only id). */
  unknownRules?: string[];
}

/** Reads config files: the file system by default, a git revision for --config-from. */
export interface ConfigReader {
  /** The text of `file`; throws ConfigError naming `from` (the file and line asking for it, and the `[extend] path` as written) when it cannot. */
  read(file: string, from?: string, extendPath?: string): string;
  /** The first of `names` present in folder `root`, as {@link read} takes it; undefined when none is. */
  find(root: string, names: readonly string[]): string | undefined;
  /** Where `[extend] path` points, relative to the file that names it. */
  resolveExtend(path: string, fromFile: string): string;
}

/** The configuration a scanner is built from. */
export interface ResolvedConfig {
  /** Rules after merging built-ins, `[extend]` and custom `[[rules]]`. */
  rules: RuleDef[];
  /** Global allowlists (`[allowlist]` and `[[allowlists]]`). */
  allowlists: AllowlistDef[];
  /** Fingerprint salt from the config file, if set. */
  salt?: string;
  /** The config file read, if any (absolute, or `REF:path` for --config-from). */
  file?: string;
  /** Every config file applied, the main one first, then what it extends. */
  sources?: ConfigSource[];
  scan: ScanSettings;
  /**
   * Lowest confidence reported (`--min-confidence`). Unset: today's default,
   * every finding the filters keep. `low`: audit mode (candidates only a
   * heuristic rejected are reported too, with `auditReason`). `medium`/`high`:
   * findings below are suppressed.
   */
  minConfidence?: Confidence;
  /**
   * True: inline markers (`gitleaks:allow`, `leakguard:allow`, `pragma:
   * allowlist secret`) suppress nothing (gitleaks' `--ignore-gitleaks-allow`).
   * In the config so that worker threads and the blob cache key see it.
   */
  ignoreInlineAllow?: boolean;
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Directory to look in for a config file (default: process.cwd()). */
  root?: string;
  /** Explicit config file; an error if missing. */
  configFile?: string;
  /** Skip looking for a config file at the root. */
  noConfigFile?: boolean;
  /** Where files are read from (default: the file system); see config/from-ref.ts. */
  reader?: ConfigReader;
  /** Lowest confidence reported (see {@link ResolvedConfig.minConfidence}). */
  minConfidence?: Confidence;
}

/** Merges custom rules over the defaults: same id replaces, new ids append. */
function mergeRules(base: readonly RuleDef[], custom: readonly RuleDef[], disabled: ReadonlySet<string>): RuleDef[] {
  const out = new Map<string, RuleDef>();
  for (const r of base) if (!disabled.has(r.id)) out.set(r.id, r);
  for (const r of custom) {
    if (disabled.has(r.id)) continue;
    const prev = out.get(r.id);
    // gitleaks extend semantics: a custom rule with a default's id refines it; fields given win.
    out.set(r.id, prev ? { ...withOwnDetails(prev), ...r, allowlists: [...(prev.allowlists ?? []), ...(r.allowlists ?? [])] } : r);
  }
  return [...out.values()];
}

function parseSize(v: unknown, file: string, line: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number" || typeof v === "bigint") return Number(v);
  if (typeof v === "string") {
    const n = parseByteSize(v);
    if (n !== undefined) return n;
  }
  throw new ConfigError(`${at(file, line)}: scan.maxFileSize must be a number of bytes or a size like "10MB"`, file, line);
}

/** `file:line` or `file`. */
const at = (file: string, line: number | undefined): string => (line ? `${file}:${line}` : file);

/** Parses "10MB", "512k", "1G", "2048" into bytes. */
export function parseByteSize(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(s);
  if (!m) return undefined;
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * mult);
}

/** What one config file (with the files it extends) contributes. */
interface ConfigFileContent {
  rules: RuleDef[];
  allowlists: AllowlistDef[];
  rest: Record<string, unknown>;
  text: string;
  /** This file, then the files it extends. */
  sources: ConfigSource[];
}

/**
 * Reads a config file's text through the safe reader (util/read-config-file.ts):
 * regular files only, under a size cap; with `within`, only inside that tree.
 */
function configText(file: string, label: string, within: string | undefined): string | undefined {
  try {
    return readSafely(file, { kind: "config file", label, ...(within !== undefined ? { within } : {}) });
  } catch (e) {
    if (e instanceof InputError) throw new ConfigError(e.message, file);
    throw e;
  }
}

/**
 * Reads config files from the file system through the safe reader. `within`
 * is the tree a repository's own config was found in: what it extends must
 * stay inside it. A file the user named (`--config`) has no such bound.
 */
export function diskConfigReader(within: string | undefined): ConfigReader {
  return {
    read(file, from, extendPath) {
      const text = configText(file, from ? `${from}: [extend] path ${extendPath ?? file}` : file, within);
      if (text === undefined) throw new ConfigError(`${from ?? file}: cannot read config file ${from ? file + " " : ""}(ENOENT)`, file);
      return text;
    },
    // Found in the scanned tree: untrusted, bound to it (a symlink to /dev/zero or out of the tree is refused).
    find: (root, names) => names.map((n) => join(root, n)).find((p) => configText(p, p, within) !== undefined),
    resolveExtend: (path, fromFile) => (isAbsolute(path) ? path : join(dirname(fromFile), path)),
  };
}

/**
 * The ids of `listed` (a config's `disabledRules`) that name none of `rules`:
 * a typo turns nothing off, and should not pass silently. With the built-in
 * rules off (`builtins` given), a built-in id is not unknown, only moot.
 */
function unknownRuleIds(listed: readonly string[], rules: readonly RuleDef[], builtins?: () => RuleDef[]): string[] {
  const known = new Set(rules.map((r) => r.id));
  let unknown = [...new Set(listed)].filter((id) => !known.has(id));
  if (unknown.length > 0 && builtins) {
    const shipped = new Set(builtins().map((r) => r.id));
    unknown = unknown.filter((id) => !shipped.has(id));
  }
  return unknown;
}

/** Reads one config file (and the file it extends, if any) through `reader`. */
function readConfigFile(file: string, seen: Set<string>, reader: ConfigReader, builtins: () => RuleDef[], from?: string, extendPath?: string): ConfigFileContent {
  if (seen.has(file)) throw new ConfigError(`${from ?? file}: [extend] path forms a cycle through ${file}`, file);
  seen.add(file);
  const text = reader.read(file, from, extendPath);
  // A config's regexes come from whoever wrote the file (a pull request, a cloned repository): refuse the catastrophic ones.
  const parsed = parseRuleFile(text, file, ["salt", "scan"], { refuseBacktracking: true });
  const ext = parsed.extend ?? {};
  // gitleaks' skipReport rules only feed composite rules, which leakguard refuses: they never report.
  const disabled = new Set([...(ext.disabledRules ?? []), ...parsed.skipReport]);
  let base: RuleDef[] = ext.useDefault === false ? [] : builtins();
  const builtinIds = new Set(base.map((r) => r.id));
  let allowlists: AllowlistDef[] = [];
  const own: ConfigSource = { file, kind: "config", useDefault: ext.useDefault !== false, disabledRules: [...disabled].filter((id) => builtinIds.has(id)) };
  const sources: ConfigSource[] = [own];
  if (ext.path) {
    const p = reader.resolveExtend(ext.path, file);
    const parent = readConfigFile(p, seen, reader, builtins, at(file, lineOfKey(text, "path", lineOfTable(text, "extend"))), ext.path);
    // What the extended chain turned off stays off here (the built-ins are loaded again for this file).
    const parentOff = new Set(parent.sources.flatMap((s) => s.disabledRules));
    base = mergeRules(base.filter((r) => !parentOff.has(r.id)), parent.rules, new Set());
    allowlists = parent.allowlists;
    sources.push(...parent.sources.map((s): ConfigSource => ({ ...s, kind: "extends" })));
  }
  const unknown = unknownRuleIds(ext.disabledRules ?? [], [...base, ...parsed.rules], ext.useDefault === false ? builtins : undefined);
  if (unknown.length > 0) own.unknownRules = unknown;
  return { rules: mergeRules(base, parsed.rules, disabled), allowlists: [...allowlists, ...parsed.allowlists], rest: parsed.rest, text, sources };
}

/**
 * Loads the configuration: built-in rules, extended by the config file found at
 * `root` (`.leakguard.toml`, else `.gitleaks.toml`) or given as `configFile`.
 * Throws {@link ConfigError} naming the file and line of any problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  checkOptions("loadConfig", options);
  checkStringFields("loadConfig", options, ["root", "configFile"]);
  return configWithOverrides(options, builtinRules);
}

/**
 * {@link loadConfig} for a scan of a few texts (the pre-commit and pre-push hooks): the
 * built-in rules are loaded lazily (ruleset/builtin.ts `lazyBuiltinRules`),
 * parsed and compiled only when a text selects them. Its rules stay inside
 * the scan: not for callers to inspect.
 */
export function loadConfigLazily(options: LoadConfigOptions): ResolvedConfig {
  return configWithOverrides(options, lazyBuiltinRules);
}

/** The configuration on `builtins`, with the caller's overrides applied. */
function configWithOverrides(options: LoadConfigOptions, builtins: () => RuleDef[]): ResolvedConfig {
  const cfg = loadConfigFile(options, builtins);
  if (options.minConfidence !== undefined) cfg.minConfidence = options.minConfidence;
  return cfg;
}

/** {@link loadConfig} without the caller's overrides, on `builtins`. */
function loadConfigFile(options: LoadConfigOptions, builtins: () => RuleDef[]): ResolvedConfig {
  const root = resolve(options.root ?? process.cwd());
  // A root that is not a folder would find no config file and silently scan with the defaults.
  if (options.root !== undefined && !options.noConfigFile && !isDirectory(root)) throw new InputError(`${options.root}: no such directory`);
  let file: string | undefined;
  let found: ConfigFileContent | undefined;
  if (options.configFile) {
    // Named by the user: may be a symlink anywhere, still a regular file under the cap; always on disk,
    // also when the root's config comes from a revision (--config-from).
    file = resolve(options.configFile);
    if (configText(file, options.configFile, undefined) === undefined) throw new ConfigError(`${options.configFile}: config file not found`, options.configFile);
    found = readConfigFile(file, new Set(), diskConfigReader(undefined), builtins);
  } else if (!options.noConfigFile) {
    const reader = options.reader ?? diskConfigReader(root);
    file = reader.find(root, CONFIG_NAMES);
    if (file !== undefined) found = readConfigFile(file, new Set(), reader, builtins);
  }
  if (!file || !found) return { rules: builtins(), allowlists: [], sources: [], scan: {} };
  const { rules, allowlists, rest, text, sources } = found;
  const cfg: ResolvedConfig = { rules, allowlists, file, sources, scan: {} };
  if (rest.salt !== undefined) {
    if (typeof rest.salt !== "string" || rest.salt.length === 0) {
      const line = lineOfKey(text, "salt");
      throw new ConfigError(`${at(file, line)}: salt must be a non-empty string`, file, line);
    }
    cfg.salt = rest.salt;
  }
  const scan = rest.scan;
  if (scan !== undefined) {
    const tableLine = lineOfTable(text, "scan");
    if (typeof scan !== "object" || scan === null || Array.isArray(scan)) throw new ConfigError(`${at(file, tableLine)}: [scan] must be a table`, file, tableLine);
    const s = scan as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (k !== "maxFileSize" && k !== "exclude") {
        const line = lineOfKey(text, k, tableLine);
        throw new ConfigError(`${at(file, line)}: scan: unknown field "${k}" (known: maxFileSize, exclude)`, file, line);
      }
    }
    const max = parseSize(s.maxFileSize, file, lineOfKey(text, "maxFileSize", tableLine));
    if (max !== undefined) cfg.scan.maxFileSize = max;
    if (s.exclude !== undefined) {
      if (!Array.isArray(s.exclude) || s.exclude.some((x) => typeof x !== "string")) {
        const line = lineOfKey(text, "exclude", tableLine);
        throw new ConfigError(`${at(file, line)}: scan.exclude must be a list of globs`, file, line);
      }
      cfg.scan.exclude = s.exclude as string[];
    }
  }
  return cfg;
}
