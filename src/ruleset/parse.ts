/**
 * Rule files and configuration files as data: TOML text in, validated
 * {@link RuleDef}s and allowlists out. Reads the gitleaks configuration schema
 * unchanged, plus leakguard's own fields. Every error names the file, the line
 * when it can be found, and what is wrong. Pure (text in, objects out).
 */
import { parse as parseToml, TomlError } from "smol-toml";
import type { AllowlistDef, Confidence, RuleDef, RuleExample, RuleNegativeExample, Severity } from "../engine/types.js";

/** A problem in a rule or config file; `message` is `file:line: what`. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

const RULE_FIELDS = new Set([
  "id", "description", "regex", "secretGroup", "keywords", "entropy", "path", "severity", "confidence", "tags",
  "references", "remediation", "validators", "skipFilters", "allowlists", "allowlist", "examples",
  "negativeExamples", "knownMisses",
  // gitleaks fields read but not used by leakguard's engine
  "reportGroup",
]);
const ALLOWLIST_FIELDS = new Set([
  "description", "condition", "regexTarget", "regexes", "paths", "globs", "stopwords", "commits", "targetRules",
]);

/** Finds the 1-based line of the first `key =` at or after `fromLine` (best effort). */
export function lineOfKey(text: string, key: string, fromLine = 1): number | undefined {
  const lines = text.split(/\r?\n/);
  const re = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*=`);
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  return undefined;
}

/** Line of `id = "<id>"` in the text. */
function lineOfRule(text: string, id: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const esc = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^\\s*id\\s*=\\s*["']${esc}["']`);
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  return undefined;
}

/** Parses TOML, turning syntax errors into `file:line:col: message`. */
export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
      throw new ConfigError(`${file}:${e.line}:${e.column}: invalid TOML: ${first}`, file, e.line);
    }
    throw new ConfigError(`${file}: invalid TOML: ${(e as Error).message}`, file);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helper that reads typed fields and reports problems with file and line. */
class Reader {
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}
  fail(what: string, line?: number): never {
    throw new ConfigError(`${this.file}${line ? ":" + line : ""}: ${what}`, this.file, line);
  }
  str(o: Obj, key: string, where: string, line?: number): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") this.fail(`${where}: ${key} must be a string`, lineOfKey(this.text, key, line) ?? line);
    return v;
  }
  num(o: Obj, key: string, where: string, line?: number): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" && typeof v !== "bigint") this.fail(`${where}: ${key} must be a number`, lineOfKey(this.text, key, line) ?? line);
    return Number(v);
  }
  bool(o: Obj, key: string, where: string, line?: number): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") this.fail(`${where}: ${key} must be true or false`, lineOfKey(this.text, key, line) ?? line);
    return v;
  }
  strs(o: Obj, key: string, where: string, line?: number): string[] | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.fail(`${where}: ${key} must be a list of strings`, lineOfKey(this.text, key, line) ?? line);
    }
    return v as string[];
  }
  unknown(o: Obj, allowed: Set<string>, where: string, line?: number): void {
    for (const k of Object.keys(o)) {
      if (!allowed.has(k)) this.fail(`${where}: unknown field "${k}"`, lineOfKey(this.text, k, line) ?? line);
    }
  }
}

/** Reads one allowlist table. */
export function readAllowlist(r: Reader, o: unknown, where: string, line?: number): AllowlistDef {
  if (!isObj(o)) r.fail(`${where}: must be a table`, line);
  r.unknown(o, ALLOWLIST_FIELDS, where, line);
  const a: AllowlistDef = {};
  const d = r.str(o, "description", where, line);
  if (d !== undefined) a.description = d;
  const cond = r.str(o, "condition", where, line);
  if (cond !== undefined) {
    const c = cond.toUpperCase();
    if (c !== "OR" && c !== "AND") r.fail(`${where}: condition must be "OR" or "AND", not "${cond}"`, lineOfKey(r.text, "condition", line));
    a.condition = c;
  }
  const t = r.str(o, "regexTarget", where, line);
  if (t !== undefined) {
    if (t !== "secret" && t !== "match" && t !== "line") {
      r.fail(`${where}: regexTarget must be "secret", "match" or "line", not "${t}"`, lineOfKey(r.text, "regexTarget", line));
    }
    a.regexTarget = t;
  }
  for (const k of ["regexes", "paths", "globs", "stopwords", "commits", "targetRules"] as const) {
    const v = r.strs(o, k, where, line);
    if (v !== undefined) a[k] = v;
  }
  return a;
}

function readExamples(r: Reader, v: unknown, where: string, line: number | undefined, positive: true): RuleExample[];
function readExamples(r: Reader, v: unknown, where: string, line: number | undefined, positive: false): RuleNegativeExample[];
function readExamples(r: Reader, v: unknown, where: string, line: number | undefined, positive: boolean): Array<RuleExample | RuleNegativeExample> {
  if (!Array.isArray(v)) r.fail(`${where} must be a list of tables`, line);
  return v.map((e, i) => {
    const w = `${where}[${i}]`;
    if (typeof e === "string") {
      if (positive) r.fail(`${w}: a positive example needs text and secret`, line);
      return { text: e };
    }
    if (!isObj(e)) r.fail(`${w}: must be a table`, line);
    const text = r.str(e, "text", w, line);
    if (text === undefined) r.fail(`${w}: text is required`, line);
    const out: RuleExample & RuleNegativeExample = { text, secret: "" };
    const secret = r.str(e, "secret", w, line);
    if (positive) {
      if (secret === undefined) r.fail(`${w}: secret is required (the exact text the rule must extract)`, line);
      out.secret = secret;
    }
    const p = r.str(e, "path", w, line);
    if (p !== undefined) out.path = p;
    const reason = r.str(e, "reason", w, line);
    if (reason !== undefined) out.reason = reason;
    if (!positive) {
      const n: RuleNegativeExample = { text };
      if (p !== undefined) n.path = p;
      if (reason !== undefined) n.reason = reason;
      return n;
    }
    const pos: RuleExample = { text, secret: out.secret };
    if (p !== undefined) pos.path = p;
    return pos;
  });
}

/** Reads one `[[rules]]` entry. */
export function readRule(r: Reader, o: unknown, index: number): RuleDef {
  if (!isObj(o)) r.fail(`rules[${index}]: must be a table`);
  const id = typeof o.id === "string" ? o.id : undefined;
  const line = id ? lineOfRule(r.text, id) : undefined;
  const where = id ?? `rules[${index}]`;
  if (!id) r.fail(`rules[${index}]: id is required`);
  r.unknown(o, RULE_FIELDS, where, line);
  const def: RuleDef = { id, description: r.str(o, "description", where, line) ?? id, origin: r.file };
  const regex = r.str(o, "regex", where, line);
  if (regex !== undefined) def.regex = regex;
  const sg = r.num(o, "secretGroup", where, line);
  if (sg !== undefined) def.secretGroup = sg;
  const kws = r.strs(o, "keywords", where, line);
  if (kws !== undefined) def.keywords = kws;
  const ent = r.num(o, "entropy", where, line);
  if (ent !== undefined) def.entropy = ent;
  const path = r.str(o, "path", where, line);
  if (path !== undefined) def.path = path;
  const sev = r.str(o, "severity", where, line);
  if (sev !== undefined) def.severity = sev as Severity;
  const conf = r.str(o, "confidence", where, line);
  if (conf !== undefined) def.confidence = conf as Confidence;
  for (const k of ["tags", "references", "validators"] as const) {
    const v = r.strs(o, k, where, line);
    if (v !== undefined) def[k] = v;
  }
  const rem = r.str(o, "remediation", where, line);
  if (rem !== undefined) def.remediation = rem;
  const skip = r.bool(o, "skipFilters", where, line);
  if (skip !== undefined) def.skipFilters = skip;
  const als: AllowlistDef[] = [];
  // gitleaks v8 before 8.21 used a single [rules.allowlist] table.
  if (o.allowlist !== undefined) als.push(readAllowlist(r, o.allowlist, `${where}: allowlist`, line));
  if (o.allowlists !== undefined) {
    if (!Array.isArray(o.allowlists)) r.fail(`${where}: allowlists must be a list of tables ([[rules.allowlists]])`, line);
    o.allowlists.forEach((a, i) => als.push(readAllowlist(r, a, `${where}: allowlists[${i}]`, line)));
  }
  if (als.length > 0) def.allowlists = als;
  if (o.examples !== undefined) def.examples = readExamples(r, o.examples, `${where}: examples`, line, true);
  if (o.negativeExamples !== undefined) def.negativeExamples = readExamples(r, o.negativeExamples, `${where}: negativeExamples`, line, false);
  if (o.knownMisses !== undefined) def.knownMisses = readExamples(r, o.knownMisses, `${where}: knownMisses`, line, true);
  return def;
}

/** What a rule file or config file holds. */
export interface RuleFileContent {
  rules: RuleDef[];
  allowlists: AllowlistDef[];
  /** `[extend]` table, configs only. */
  extend?: { useDefault?: boolean; disabledRules?: string[]; path?: string };
  /** Other top-level keys, for the config layer to read. */
  rest: Obj;
}

const TOP_FIELDS = new Set(["title", "description", "rules", "allowlist", "allowlists", "extend"]);

/**
 * Parses a rule or config file. `extraTop` names further top-level keys the
 * caller accepts (config-only settings); anything else is an error.
 */
export function parseRuleFile(text: string, file: string, extraTop: readonly string[] = []): RuleFileContent {
  const doc = parseTomlText(text, file);
  const r: Reader = new Reader(text, file);
  const allowedTop = new Set([...TOP_FIELDS, ...extraTop]);
  r.unknown(doc, allowedTop, "top level");
  const rules: RuleDef[] = [];
  if (doc.rules !== undefined) {
    if (!Array.isArray(doc.rules)) r.fail("rules must be a list of tables ([[rules]])");
    doc.rules.forEach((o, i) => rules.push(readRule(r, o, i)));
  }
  const allowlists: AllowlistDef[] = [];
  if (doc.allowlist !== undefined) allowlists.push(readAllowlist(r, doc.allowlist, "allowlist", lineOfKey(text, "[allowlist]")));
  if (doc.allowlists !== undefined) {
    if (!Array.isArray(doc.allowlists)) r.fail("allowlists must be a list of tables ([[allowlists]])");
    doc.allowlists.forEach((a, i) => allowlists.push(readAllowlist(r, a, `allowlists[${i}]`)));
  }
  const out: RuleFileContent = { rules, allowlists, rest: {} };
  if (doc.extend !== undefined) {
    if (!isObj(doc.extend)) r.fail("extend must be a table");
    r.unknown(doc.extend, new Set(["useDefault", "disabledRules", "path"]), "extend");
    const ext: NonNullable<RuleFileContent["extend"]> = {};
    const ud = r.bool(doc.extend, "useDefault", "extend");
    if (ud !== undefined) ext.useDefault = ud;
    const dr = r.strs(doc.extend, "disabledRules", "extend");
    if (dr !== undefined) ext.disabledRules = dr;
    const p = r.str(doc.extend, "path", "extend");
    if (p !== undefined) ext.path = p;
    out.extend = ext;
  }
  for (const k of extraTop) if (doc[k] !== undefined) out.rest[k] = doc[k];
  return out;
}
