/**
 * Rule files and configuration files as data: TOML text in, validated
 * {@link RuleDef}s and allowlists out. Reads the gitleaks configuration schema
 * unchanged, plus leakguard's own fields. Every error names the file, the line
 * when it can be found, and what is wrong. Pure (text in, objects out).
 */
import { LeakguardError } from "../errors.js";
import { parse as parseToml, TomlError } from "smol-toml";
import { backtrackingHazard } from "../engine/redos.js";
import { captureGroupCount, compileTestRegex } from "../engine/regex.js";
import type { AllowlistDef, Confidence, RuleDef, RuleExample, RuleNegativeExample, Severity } from "../engine/types.js";

/** A problem in a rule or config file; `message` is `file:line: what`. */
export class ConfigError extends LeakguardError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

const RULE_FIELDS = [
  "id", "description", "regex", "secretGroup", "keywords", "entropy", "path", "severity", "confidence", "tags",
  "references", "remediation", "validators", "skipFilters", "parser", "container", "allowlists", "allowlist", "examples",
  "negativeExamples", "knownMisses",
  // gitleaks fields: reportGroup is read and ignored; skipReport drops the rule's findings.
  "reportGroup", "skipReport", "required",
];
const ALLOWLIST_FIELDS = [
  "description", "condition", "regexTarget", "regexes", "paths", "globs", "stopwords", "commits", "targetRules",
];
const EXAMPLE_FIELDS = ["text", "secret", "path", "reason"];

/** Fields of older gitleaks versions, with what to write instead. */
const OLD_FIELDS: Record<string, string> = {
  whitelist: "[whitelist] is gitleaks v7 syntax; gitleaks v8 and leakguard use [allowlist]",
  file: "`file` is gitleaks v7 syntax; use `path` (a regex on the file path)",
  entropies: "[[rules.entropies]] is gitleaks v7 syntax; use `entropy = N` (minimum bits per character)",
  files: "`files` is gitleaks v7 syntax; use `paths`",
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Finds the 1-based line of the first `key =` at or after `fromLine` (best effort). */
export function lineOfKey(text: string, key: string, fromLine = 1): number | undefined {
  const lines = text.split(/\r?\n/);
  const re = new RegExp(`^\\s*["']?${escapeRe(key)}["']?\\s*=`, "i");
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  return undefined;
}

/** Lines `[start, end)` (1-based) of one table, or of one array element and its subtables. */
interface Span {
  start: number;
  end: number;
}

/** Table headers of a TOML text with their lines, so errors can point at the right table. */
class Layout {
  readonly lines: string[];
  readonly headers: Array<{ name: string; array: boolean; line: number }> = [];
  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
    this.lines.forEach((l, i) => {
      // A header line: `[name]` or `[[name]]` (quoted keys and spaces dropped from the name).
      const m = /^\s*\[(\[)?([^\]]*)\]/.exec(l);
      if (m) this.headers.push({ name: m[2]!.replace(/["'\s]/g, "").toLowerCase(), array: m[1] === "[", line: i + 1 });
    });
  }
  /** The whole document. */
  all(): Span {
    return { start: 1, end: this.lines.length + 1 };
  }
  /** Keys before the first header. */
  top(): Span {
    return { start: 1, end: this.headers[0]?.line ?? this.lines.length + 1 };
  }
  /** The `n`th header called `name` inside `within`: its own keys (`own`) and everything up to the next sibling (`whole`). */
  nth(name: string, n: number, within: Span = this.all()): { own: Span; whole: Span } | undefined {
    const hs = this.headers.filter((h) => h.name === name.toLowerCase() && h.line >= within.start && h.line < within.end);
    const h = hs[n];
    if (!h) return undefined;
    const next = this.headers.find((x) => x.line > h.line);
    const sibling = hs[n + 1];
    const ownEnd = Math.min(next?.line ?? within.end, within.end);
    // An element of [[rules]] runs to the next [[rules]] or the next unrelated table.
    const tail = this.headers.find((x) => x.line > h.line && !x.name.startsWith(h.name + "."));
    const wholeEnd = Math.min(sibling?.line ?? within.end, tail?.line ?? within.end, within.end);
    return { own: { start: h.line, end: ownEnd }, whole: { start: h.line, end: wholeEnd } };
  }
  /** Line of `key =` inside `span`, else of a table header ending in `key` inside it, else the span's first line. */
  keyLine(key: string, span: Span | undefined): number | undefined {
    if (!span) return undefined;
    const re = new RegExp(`^\\s*["']?${escapeRe(key)}["']?\\s*=`, "i");
    for (let i = span.start; i < span.end && i <= this.lines.length; i++) if (re.test(this.lines[i - 1]!)) return i;
    const k = key.toLowerCase();
    const h = this.headers.find((x) => (x.name === k || x.name.endsWith("." + k)) && x.line >= span.start);
    return h?.line ?? span.start;
  }
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
  readonly layout: Layout;
  constructor(
    readonly text: string,
    readonly file: string,
    /** Refuse regexes that can backtrack catastrophically (config files; built-in rules are checked in CI instead). */
    readonly refuseBacktracking = false,
  ) {
    this.layout = new Layout(text);
  }
  fail(what: string, line?: number): never {
    throw new ConfigError(`${this.file}${line ? ":" + line : ""}: ${what}`, this.file, line);
  }
  at(key: string, span: Span | undefined): number | undefined {
    return this.layout.keyLine(key, span);
  }
  str(o: Obj, key: string, where: string, span?: Span): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") this.fail(`${where}: ${key} must be a string`, this.at(key, span));
    return v;
  }
  num(o: Obj, key: string, where: string, span?: Span): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" && typeof v !== "bigint") this.fail(`${where}: ${key} must be a number`, this.at(key, span));
    return Number(v);
  }
  bool(o: Obj, key: string, where: string, span?: Span): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") this.fail(`${where}: ${key} must be true or false`, this.at(key, span));
    return v;
  }
  strs(o: Obj, key: string, where: string, span?: Span): string[] | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.fail(`${where}: ${key} must be a list of strings`, this.at(key, span));
    }
    return v as string[];
  }
  /**
   * Checks the keys of a table against the known fields and returns a copy with
   * the canonical spelling. Keys match case-insensitively, as gitleaks (viper)
   * reads them: `stopWords`, `allowList` and `secretgroup` all load.
   */
  canon(o: Obj, allowed: readonly string[], where: string, span?: Span): Obj {
    const byLower = new Map(allowed.map((k) => [k.toLowerCase(), k]));
    const out: Obj = {};
    for (const [k, v] of Object.entries(o)) {
      const name = byLower.get(k.toLowerCase());
      if (!name) {
        const old = OLD_FIELDS[k.toLowerCase()];
        this.fail(`${where}: ${old ?? `unknown field "${k}" (known: ${allowed.join(", ")})`}`, this.at(k, span));
      }
      if (out[name] !== undefined) this.fail(`${where}: field "${name}" given twice (as "${k}")`, this.at(k, span));
      out[name] = v;
    }
    return out;
  }
}

/**
 * Compiles a regex now so a bad one is reported at its line, naming the rule;
 * in config files, also refuses one that can backtrack catastrophically.
 */
function checkRegex(r: Reader, source: string, what: string, line: number | undefined): RegExp {
  let re: RegExp;
  try {
    re = compileTestRegex(source);
  } catch (e) {
    return r.fail(`${what}: ${(e as Error).message}`, line);
  }
  if (r.refuseBacktracking) {
    const why = backtrackingHazard(re.source, re.flags);
    if (why) r.fail(`${what} refused: ${why}; rewrite it (README: Regex safety)`, line);
  }
  return re;
}

/** Reads one allowlist table; `span` is where it stands in the text. */
function readAllowlist(r: Reader, raw: unknown, where: string, span: Span | undefined, global: boolean): AllowlistDef {
  if (!isObj(raw)) r.fail(`${where}: must be a table`, span?.start);
  const o = r.canon(raw, ALLOWLIST_FIELDS, where, span);
  const a: AllowlistDef = { origin: r.file };
  const d = r.str(o, "description", where, span);
  if (d !== undefined) a.description = d;
  const cond = r.str(o, "condition", where, span);
  if (cond !== undefined) {
    const c = cond.toUpperCase();
    if (c !== "OR" && c !== "AND") r.fail(`${where}: condition must be "OR" or "AND", not "${cond}"`, r.at("condition", span));
    a.condition = c;
  }
  const t = r.str(o, "regexTarget", where, span);
  if (t !== undefined) {
    if (t !== "secret" && t !== "match" && t !== "line") {
      r.fail(`${where}: regexTarget must be "secret", "match" or "line", not "${t}"`, r.at("regexTarget", span));
    }
    a.regexTarget = t;
  }
  for (const k of ["regexes", "paths", "globs", "stopwords", "commits", "targetRules"] as const) {
    const v = r.strs(o, k, where, span);
    if (v !== undefined) a[k] = v;
  }
  if (a.targetRules && !global) r.fail(`${where}: targetRules belongs in a global [[allowlists]], not in a rule's allowlist`, r.at("targetRules", span));
  (a.regexes ?? []).forEach((x, i) => checkRegex(r, x, `${where}: regexes[${i}]`, r.at("regexes", span)));
  (a.paths ?? []).forEach((x, i) => checkRegex(r, x, `${where}: paths[${i}]`, r.at("paths", span)));
  const criteria = ["regexes", "paths", "globs", "stopwords", "commits"] as const;
  if (!criteria.some((k) => (a[k]?.length ?? 0) > 0)) {
    r.fail(`${where}: an allowlist needs at least one of ${criteria.join(", ")}`, span?.start);
  }
  return a;
}

function readExamples(r: Reader, v: unknown, where: string, span: Span | undefined, positive: true): RuleExample[];
function readExamples(r: Reader, v: unknown, where: string, span: Span | undefined, positive: false): RuleNegativeExample[];
function readExamples(r: Reader, v: unknown, where: string, span: Span | undefined, positive: boolean): Array<RuleExample | RuleNegativeExample> {
  const line = span?.start;
  if (!Array.isArray(v)) r.fail(`${where} must be a list of tables`, line);
  return v.map((e, i) => {
    const w = `${where}[${i}]`;
    if (typeof e === "string") {
      if (positive) r.fail(`${w}: a positive example needs text and secret`, line);
      return { text: e };
    }
    if (!isObj(e)) r.fail(`${w}: must be a table`, line);
    const o = r.canon(e, EXAMPLE_FIELDS, w, span);
    const text = r.str(o, "text", w);
    if (text === undefined) r.fail(`${w}: text is required`, line);
    const secret = r.str(o, "secret", w);
    const p = r.str(o, "path", w);
    const reason = r.str(o, "reason", w);
    if (!positive) {
      const n: RuleNegativeExample = { text };
      if (p !== undefined) n.path = p;
      if (reason !== undefined) n.reason = reason;
      return n;
    }
    if (secret === undefined) r.fail(`${w}: secret is required (the exact text the rule must extract)`, line);
    const pos: RuleExample = { text, secret };
    if (p !== undefined) pos.path = p;
    return pos;
  });
}

/** A rule as read, plus gitleaks' `skipReport`. */
interface ReadRule {
  def: RuleDef;
  skipReport: boolean;
}

/** Reads one `[[rules]]` entry (the `index`th). */
function readRule(r: Reader, raw: unknown, index: number): ReadRule {
  const at = r.layout.nth("rules", index);
  const own = at?.own;
  const whole = at?.whole;
  if (!isObj(raw)) r.fail(`rules[${index}]: must be a table`, own?.start);
  const o = r.canon(raw, RULE_FIELDS, typeof raw.id === "string" ? raw.id : `rules[${index}]`, own);
  const id = typeof o.id === "string" ? o.id : undefined;
  const where = id ?? `rules[${index}]`;
  if (!id) r.fail(`rules[${index}]: id is required`, own?.start);
  const def: RuleDef = { id, description: r.str(o, "description", where, own) ?? id, origin: r.file };
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) r.fail(`${where}: id must be letters, digits, '.', '_' or '-'`, r.at("id", own));
  const regex = r.str(o, "regex", where, own);
  let groups = -1;
  if (regex !== undefined) {
    def.regex = regex;
    groups = captureGroupCount(checkRegex(r, regex, `${where}: regex`, r.at("regex", own)));
  }
  const sg = r.num(o, "secretGroup", where, own);
  if (sg !== undefined) {
    if (sg < 0 || !Number.isInteger(sg)) r.fail(`${where}: secretGroup must be a whole number >= 0`, r.at("secretGroup", own));
    if (groups >= 0 && sg > groups) {
      r.fail(`${where}: secretGroup ${sg} but the regex has ${groups} capture group${groups === 1 ? "" : "s"}`, r.at("secretGroup", own));
    }
    def.secretGroup = sg;
  }
  const kws = r.strs(o, "keywords", where, own);
  if (kws !== undefined) def.keywords = kws;
  const ent = r.num(o, "entropy", where, own);
  if (ent !== undefined) {
    if (ent < 0 || ent > 8) r.fail(`${where}: entropy must be between 0 and 8 bits per character`, r.at("entropy", own));
    def.entropy = ent;
  }
  const path = r.str(o, "path", where, own);
  if (path !== undefined) {
    checkRegex(r, path, `${where}: path`, r.at("path", own));
    def.path = path;
  }
  const sev = r.str(o, "severity", where, own);
  if (sev !== undefined) {
    if (!["critical", "high", "medium", "low"].includes(sev)) r.fail(`${where}: severity must be critical, high, medium or low, not "${sev}"`, r.at("severity", own));
    def.severity = sev as Severity;
  }
  const conf = r.str(o, "confidence", where, own);
  if (conf !== undefined) {
    if (!["high", "medium", "low"].includes(conf)) r.fail(`${where}: confidence must be high, medium or low, not "${conf}"`, r.at("confidence", own));
    def.confidence = conf as Confidence;
  }
  for (const k of ["tags", "references", "validators"] as const) {
    const v = r.strs(o, k, where, own);
    if (v !== undefined) def[k] = v;
  }
  const rem = r.str(o, "remediation", where, own);
  if (rem !== undefined) def.remediation = rem;
  const parser = r.str(o, "parser", where, own);
  if (parser !== undefined) def.parser = parser;
  const skip = r.bool(o, "skipFilters", where, own);
  if (skip !== undefined) def.skipFilters = skip;
  const container = r.str(o, "container", where, own);
  if (container !== undefined) def.container = container;
  r.str(o, "reportGroup", where, own);
  const skipReport = r.bool(o, "skipReport", where, own) ?? false;
  if (o.required !== undefined) {
    r.fail(`${where}: composite rules ([[rules.required]]) are not supported; write one regex or split the rule`, r.at("required", whole) ?? own?.start);
  }
  const als: AllowlistDef[] = [];
  // gitleaks v8 before 8.21 used a single [rules.allowlist] table.
  if (o.allowlist !== undefined) als.push(readAllowlist(r, o.allowlist, `${where}: allowlist`, whole && r.layout.nth("rules.allowlist", 0, whole)?.own, false));
  if (o.allowlists !== undefined) {
    if (!Array.isArray(o.allowlists)) r.fail(`${where}: allowlists must be a list of tables ([[rules.allowlists]])`, r.at("allowlists", own));
    o.allowlists.forEach((a, i) =>
      als.push(readAllowlist(r, a, `${where}: allowlists[${i}]`, whole && r.layout.nth("rules.allowlists", i, whole)?.own, false)),
    );
  }
  if (als.length > 0) def.allowlists = als;
  const sub = (k: string): Span | undefined => (whole && r.layout.nth(`rules.${k}`, 0, whole)?.own) ?? own;
  if (o.examples !== undefined) def.examples = readExamples(r, o.examples, `${where}: examples`, sub("examples"), true);
  if (o.negativeExamples !== undefined) def.negativeExamples = readExamples(r, o.negativeExamples, `${where}: negativeExamples`, sub("negativeExamples"), false);
  if (o.knownMisses !== undefined) def.knownMisses = readExamples(r, o.knownMisses, `${where}: knownMisses`, sub("knownMisses"), true);
  return { def, skipReport };
}

/** What a rule file or config file holds. */
export interface RuleFileContent {
  rules: RuleDef[];
  allowlists: AllowlistDef[];
  /** `[extend]` table, configs only. */
  extend?: { useDefault?: boolean; disabledRules?: string[]; path?: string };
  /** Ids of rules marked `skipReport = true` (gitleaks): loaded, never reported. */
  skipReport: string[];
  /** Other top-level keys, for the config layer to read. */
  rest: Obj;
}

const TOP_FIELDS = ["title", "description", "minVersion", "rules", "allowlist", "allowlists", "extend"];

/**
 * Parses a rule or config file. `extraTop` names further top-level keys the
 * caller accepts (config-only settings); anything else is an error naming
 * the file and line. Every regex is compiled here so a bad one is reported
 * at its line; with `refuseBacktracking` (config files) one that can
 * backtrack catastrophically is refused too (engine/redos.ts).
 */
export function parseRuleFile(text: string, file: string, extraTop: readonly string[] = [], options: { refuseBacktracking?: boolean } = {}): RuleFileContent {
  const raw = parseTomlText(text, file);
  const r: Reader = new Reader(text, file, options.refuseBacktracking === true);
  const L = r.layout;
  const doc = r.canon(raw, [...TOP_FIELDS, ...extraTop], "top level", L.top());
  // A top-level table's key is on its header line, not a `key =` line.
  const rules: RuleDef[] = [];
  const skipReport: string[] = [];
  if (doc.rules !== undefined) {
    if (!Array.isArray(doc.rules)) r.fail("rules must be a list of tables ([[rules]])", L.nth("rules", 0)?.own.start);
    const seen = new Map<string, number>();
    doc.rules.forEach((o, i) => {
      const { def, skipReport: skip } = readRule(r, o, i);
      const prev = seen.get(def.id);
      if (prev !== undefined) r.fail(`${def.id}: rule id used twice (also rules[${prev}])`, L.nth("rules", i)?.own.start);
      seen.set(def.id, i);
      rules.push(def);
      if (skip) skipReport.push(def.id);
    });
  }
  const allowlists: AllowlistDef[] = [];
  if (doc.allowlist !== undefined) allowlists.push(readAllowlist(r, doc.allowlist, "allowlist", L.nth("allowlist", 0)?.own, true));
  if (doc.allowlists !== undefined) {
    if (!Array.isArray(doc.allowlists)) r.fail("allowlists must be a list of tables ([[allowlists]])", L.nth("allowlists", 0)?.own.start);
    doc.allowlists.forEach((a, i) => allowlists.push(readAllowlist(r, a, `allowlists[${i}]`, L.nth("allowlists", i)?.own, true)));
  }
  const out: RuleFileContent = { rules, allowlists, skipReport, rest: {} };
  for (const k of ["title", "description", "minVersion"]) r.str(doc, k, "top level", L.top());
  if (doc.extend !== undefined) {
    const span = L.nth("extend", 0)?.own;
    if (!isObj(doc.extend)) r.fail("extend must be a table", span?.start);
    const e = r.canon(doc.extend, ["useDefault", "disabledRules", "path", "url"], "extend", span);
    if (e.url !== undefined) r.fail("extend: url is not supported (gitleaks does not implement it either); download the file and use path", r.at("url", span));
    const ext: NonNullable<RuleFileContent["extend"]> = {};
    const ud = r.bool(e, "useDefault", "extend", span);
    if (ud !== undefined) ext.useDefault = ud;
    const dr = r.strs(e, "disabledRules", "extend", span);
    if (dr !== undefined) ext.disabledRules = dr;
    const p = r.str(e, "path", "extend", span);
    if (p !== undefined) ext.path = p;
    out.extend = ext;
  }
  for (const k of extraTop) if (doc[k] !== undefined) out.rest[k] = doc[k];
  return out;
}

/** Line of the table `[name]` (or of `name =`) in a config text, for callers' error messages. */
export function lineOfTable(text: string, name: string): number | undefined {
  const L = new Layout(text);
  return L.nth(name, 0)?.own.start ?? lineOfKey(text, name);
}
