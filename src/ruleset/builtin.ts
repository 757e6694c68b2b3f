/**
 * The built-in rules (I/O edge): `rules/*.toml` shipped with the package, or the
 * precompiled `dist/rules.json` bundle that the build writes so that the
 * pre-commit hook does not parse TOML on every commit.
 */
import { isAscii } from "node:buffer";
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LazyRuleRows } from "../engine/compile.js";
import type { RuleDef } from "../engine/types.js";
import { parseRuleFile } from "./parse.js";
import { decodeRuleIndex, rowStart, type RuleIndex } from "./rule-index.js";

/** Folder of the shipped rule files. */
export const RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));
const BUNDLE = new URL("../rules.json", import.meta.url);
const EXAMPLES = new URL("../rules-examples.json", import.meta.url);
const DETAILS = new URL("../rules-details.json", import.meta.url);
const INDEX = new URL("../rules-index.bin", import.meta.url);

/**
 * The fields of a rule that only reports and `leakguard rules` show: the
 * build ships the built-in rules' apart (`dist/rules-details.json`, a third
 * of their text), and the loader reads them when one is first asked for.
 */
export const DETAIL_FIELDS = ["origin", "references", "remediation"] as const;
type DetailField = (typeof DETAIL_FIELDS)[number];
type Details = Pick<RuleDef, DetailField>;

let cached: RuleDef[] | undefined;
let details: Map<string, Details> | undefined;

/**
 * A file the build writes in ASCII, read as one byte per character: V8 takes
 * it without UTF-8 decoding (a fifth less CPU for the 600 KB of rules, read by
 * every pre-commit hook). UTF-8 should it hold anything else.
 */
function readBuiltText(url: URL): string {
  const bytes = readFileSync(url);
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** Reads and parses every `rules/*.toml`, sorted by file name. */
export function readRuleFiles(dir: string = RULES_DIR): RuleDef[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".toml"))
    .sort();
  const defs: RuleDef[] = [];
  for (const f of files) {
    const text = readFileSync(dir + f, "utf8");
    defs.push(...parseRuleFile(text, `rules/${f}`).rules);
  }
  return defs;
}

/** The detail fields a rule has (absent ones stay absent): what the build writes to `dist/rules-details.json` per rule. */
export function pickDetails(r: Details): Details {
  const out: Details = {};
  for (const f of DETAIL_FIELDS) if (r[f] !== undefined) (out as Record<string, unknown>)[f] = r[f];
  return out;
}

/** The built-in rules' details by rule id: the build's separate file, or the TOML files. */
function builtinDetails(): Map<string, Details> {
  if (details) return details;
  try {
    details = new Map(Object.entries(JSON.parse(readBuiltText(DETAILS)) as Record<string, Details>));
  } catch {
    details = new Map(readRuleFiles().map((r) => [r.id, pickDetails(r)]));
  }
  return details;
}

/**
 * What a bundled built-in rule inherits: its detail fields, read from the
 * details file when first asked for (undefined for a rule without one). A
 * prototype, not fields of each rule: 537 rules given accessors of their own
 * cost the hook more than reading the details did. An assignment makes an own
 * field; JSON includes the details; a copy that must keep them is made with
 * {@link withOwnDetails}.
 */
const BUNDLED_RULE: object = Object.create(Object.prototype, {
  ...Object.fromEntries(
    DETAIL_FIELDS.map((field): [DetailField, PropertyDescriptor] => [
      field,
      {
        get(this: RuleDef) {
          return builtinDetails().get(this.id)?.[field];
        },
        set(this: RuleDef, value: unknown) {
          Object.defineProperty(this, field, { value, writable: true, enumerable: true, configurable: true });
        },
      },
    ]),
  ),
  toJSON: {
    value(this: RuleDef) {
      return withOwnDetails(this);
    },
  },
});

/**
 * `def`, or for a bundled built-in rule (whose details are inherited, see
 * {@link parseRuleBundle}) a copy holding them as its own fields: what a
 * spread of it must start from to keep them.
 */
export function withOwnDetails(def: RuleDef): RuleDef {
  if (!isBundled(def)) return def;
  settleRule(def);
  const out: RuleDef = { ...def };
  for (const f of DETAIL_FIELDS) if (!Object.hasOwn(def, f) && def[f] !== undefined) (out as unknown as Record<string, unknown>)[f] = def[f];
  return out;
}

/** True for a rule of the bundle: it inherits {@link BUNDLED_RULE}, directly or through {@link LAZY_RULE}. */
const isBundled = (def: RuleDef): boolean => Object.prototype.isPrototypeOf.call(BUNDLED_RULE, def);

/** Puts back what the build left out of a rule's JSON (each translation's `from`). */
function withFrom(d: RuleDef): RuleDef {
  if (d.precompiled && d.regex !== undefined) d.precompiled.from = d.regex;
  if (d.precompiledPath && d.path !== undefined) d.precompiledPath.from = d.path;
  return d;
}

/**
 * The rules of `dist/rules.json`: the build leaves out each translation's
 * `from` (its rule's own regex or path, a tenth of the file the hook reads
 * on every commit), put back here; the {@link DETAIL_FIELDS} are inherited,
 * read from their own file when first asked for.
 */
export function parseRuleBundle(text: string): RuleDef[] {
  const defs = JSON.parse(text) as RuleDef[];
  for (const d of defs) Object.setPrototypeOf(withFrom(d), BUNDLED_RULE);
  return defs;
}

/** The fields of a rule other than its id and {@link DETAIL_FIELDS}: what a lazily loaded rule reads from its JSON when first asked for. */
const BODY_FIELDS = [
  "description",
  "regex",
  "secretGroup",
  "keywords",
  "entropy",
  "path",
  "severity",
  "confidence",
  "tags",
  "parser",
  "validators",
  "skipFilters",
  "container",
  "allowlists",
  "examples",
  "negativeExamples",
  "knownMisses",
  "precompiled",
  "precompiledPath",
] as const;
type BodyField = (typeof BODY_FIELDS)[number];
// Every field of RuleDef is the id, a detail or a body field (a new RuleDef field must be listed).
const everyField: [Exclude<keyof RuleDef, BodyField | DetailField | "id">] extends [never] ? true : never = true;
void everyField;

/** The lazily loaded built-in rules' bundle (see {@link lazyBuiltinRules}): one per process. */
interface LazyBundle {
  index: RuleIndex;
  /**
   * `dist/rules.json`, open for the process's life: each rule's line is read
   * from it without opening the file again, and from the very file whose
   * size the index was checked against (a reinstall meanwhile replaces a
   * name, not the file open here).
   */
  fd: number;
  /** Per row: 1 once the rule's fields are its own. */
  settled: Uint8Array;
  /** Per row: 1 once a field was assigned (the index no longer describes the rule). */
  changed: Uint8Array;
}

let lazy: LazyBundle | undefined;

/**
 * A lazily loaded built-in rule (see {@link lazyBuiltinRules}): its id, and
 * its row in {@link lazy} as a private field, which no spread, `JSON` or
 * clone sees (a WeakMap from rule to row cost the hook more).
 */
class LazyRule {
  id: string;
  readonly #row: number;
  constructor(id: string, row: number) {
    this.id = id;
    this.#row = row;
  }
  /** The row of `def` when it is a lazily loaded rule. */
  static rowOf(def: object): number | undefined {
    return #row in def ? (def as LazyRule).#row : undefined;
  }
}

/** Bytes [start, end) of the open `dist/rules.json`, read in place: a rule's line, without reading the 326 KB file. */
function readBundleBytes(fd: number, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  let got = 0;
  while (got < out.length) {
    const n = readSync(fd, out, got, out.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return out.subarray(0, got);
}

/** Makes row `r`'s rule's fields its own, from its JSON (the whole bundle's rule should that JSON be damaged). */
function settle(def: RuleDef, bundle: LazyBundle, r: number): void {
  bundle.settled[r] = 1;
  let fields: RuleDef | undefined;
  try {
    fields = withFrom(JSON.parse(readBundleBytes(bundle.fd, rowStart(bundle.index, r), bundle.index.ends[r]!).toString("latin1")) as RuleDef);
  } catch {
    // Damaged: the file parsed whole (or the TOML files) still gives the rule.
  }
  if (fields?.id !== def.id) fields = builtinRules().find((d) => d.id === def.id);
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (k !== "id" && !Object.hasOwn(def, k)) Object.defineProperty(def, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
}

/** Makes a lazily loaded rule's fields its own (they were inherited); other rules stay as they are. */
export function settleRule(def: RuleDef): RuleDef {
  const r = LazyRule.rowOf(def);
  if (r !== undefined && lazy && lazy.settled[r] === 0) settle(def, lazy, r);
  return def;
}

/**
 * What a lazily loaded built-in rule inherits (see {@link lazyBuiltinRules}):
 * each field other than its id reads the rule's JSON on first use and makes
 * every field its own; its parser is known before (the index holds it). An
 * assignment makes an own field and the rule is then compiled as written.
 */
const LAZY_RULE: object = Object.defineProperties(Object.setPrototypeOf(LazyRule.prototype, BUNDLED_RULE) as object, {
  ...Object.fromEntries(
    BODY_FIELDS.map((field): [BodyField, PropertyDescriptor] => [
      field,
      {
        get(this: RuleDef) {
          const r = LazyRule.rowOf(this);
          if (r === undefined || !lazy || lazy.settled[r] === 1) return undefined;
          if (field === "parser") return lazy.index.parsers.get(r);
          settle(this, lazy, r);
          return Object.hasOwn(this, field) ? this[field] : undefined;
        },
        set(this: RuleDef, value: unknown) {
          const r = LazyRule.rowOf(this);
          if (r !== undefined && lazy) {
            if (lazy.settled[r] === 0) settle(this, lazy, r);
            lazy.changed[r] = 1;
          }
          Object.defineProperty(this, field, { value, writable: true, enumerable: true, configurable: true });
        },
      },
    ]),
  ),
});

let lazyCached: RuleDef[] | undefined;

/**
 * The built-in rules for a scan of a few texts (the pre-commit hook): each
 * rule is its id on a prototype ({@link LAZY_RULE}) until a field is first
 * read, when its own JSON in `dist/rules.json` is read and parsed; `dist/rules-index.bin`
 * says where that is and what selects the rule, so that compiling them (with
 * {@link lazyRuleRows}) leaves every rule no text selects unparsed and
 * uncompiled. Reading gives what {@link builtinRules} gives; only a spread or
 * `Object.keys` of a rule not yet read sees its id alone, so these rules stay
 * inside a scan. Without a fitting index (a source checkout, a damaged or
 * stale file): {@link builtinRules}.
 */
export function lazyBuiltinRules(): RuleDef[] {
  if (lazyCached) return lazyCached;
  let index: RuleIndex | undefined;
  let fd = -1;
  try {
    index = decodeRuleIndex(readFileSync(INDEX));
    if (index) fd = openSync(BUNDLE, "r");
    // Written with the index: one that does not fit the file's size is stale.
    if (index && fstatSync(fd).size !== index.size) index = undefined;
  } catch {
    index = undefined;
  }
  if (!index) {
    if (fd >= 0) closeSync(fd);
    return (lazyCached = builtinRules());
  }
  const n = index.ids.length;
  lazy = { index, fd, settled: new Uint8Array(n), changed: new Uint8Array(n) };
  const defs: RuleDef[] = new Array<RuleDef>(n);
  for (let r = 0; r < n; r++) {
    defs[r] = new LazyRule(index.ids[r]!, r) as unknown as RuleDef;
  }
  return (lazyCached = defs);
}

/** The row of a lazily loaded built-in rule no field of which was assigned; -1 for every other rule. */
function lazyRowOf(def: RuleDef): number {
  const r = LazyRule.rowOf(def);
  return r !== undefined && lazy !== undefined && lazy.changed[r] === 0 ? r : -1;
}

/**
 * The lazily loaded built-in rules' selecting facts, for compiling them
 * (compile.ts `CompileOptions.lazy`); undefined while none are loaded.
 */
export function lazyRuleRows(): { rows: LazyRuleRows; rowOf(def: RuleDef): number } | undefined {
  return lazy ? { rows: lazy.index, rowOf: lazyRowOf } : undefined;
}

/**
 * True when `def` is a built-in rule as shipped: one of {@link builtinRules}
 * or of {@link lazyBuiltinRules} with no field assigned. Loads neither.
 */
export function isShippedRule(def: RuleDef): boolean {
  if (lazyRowOf(def) >= 0) return true;
  if (!cached) return false;
  shippedSet ??= new Set(cached);
  return shippedSet.has(def);
}

let shippedSet: Set<RuleDef> | undefined;

/** True when `defs` is the very list {@link builtinRules} returned (without loading it). */
export function isBuiltinList(defs: readonly RuleDef[]): boolean {
  return cached !== undefined && defs === cached;
}

/**
 * The built-in rule definitions. Uses the bundle when it exists (built
 * package: without the rules' examples, see {@link withBuiltinExamples}), the
 * TOML files otherwise (source checkout, tests).
 */
export function builtinRules(): RuleDef[] {
  if (cached) return cached;
  try {
    cached = parseRuleBundle(readBuiltText(BUNDLE));
  } catch {
    cached = readRuleFiles();
  }
  return cached;
}

type ExampleFields = Pick<RuleDef, "examples" | "negativeExamples" | "knownMisses">;

/** The example fields a rule has (absent ones stay absent). */
function pickExamples(r: ExampleFields): ExampleFields {
  const out: ExampleFields = {};
  if (r.examples) out.examples = r.examples;
  if (r.negativeExamples) out.negativeExamples = r.negativeExamples;
  if (r.knownMisses) out.knownMisses = r.knownMisses;
  return out;
}

/** The built-in rules' examples by rule id: the build's separate file, or the TOML files. */
function builtinExamples(): Map<string, ExampleFields> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(EXAMPLES, "utf8")) as Record<string, ExampleFields>));
  } catch {
    return new Map(readRuleFiles().map((r) => [r.id, pickExamples(r)]));
  }
}

/**
 * `defs` with the examples of the built-in rules put back (the bundle ships
 * them apart): a rule gets them only when it is still the built-in rule of
 * that id, same regex, path and parser, so a config's override is tested with
 * its own examples only.
 */
export function withBuiltinExamples(defs: readonly RuleDef[]): RuleDef[] {
  if (defs.every((d) => d.examples || d.negativeExamples)) return [...defs];
  const shipped = new Map(builtinRules().map((r) => [r.id, r]));
  let examples: Map<string, ExampleFields> | undefined;
  return defs.map((d) => {
    const b = shipped.get(d.id);
    if (d.examples || d.negativeExamples || !b || b.regex !== d.regex || b.path !== d.path || b.parser !== d.parser) return d;
    examples ??= builtinExamples();
    const ex = examples.get(d.id);
    if (!ex) return d;
    return { ...withOwnDetails(d), ...pickExamples(ex) };
  });
}
