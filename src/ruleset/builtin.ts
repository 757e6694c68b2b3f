/**
 * The built-in rules (I/O edge): `rules/*.toml` shipped with the package, or the
 * precompiled `dist/rules.json` bundle that the build writes so that the
 * pre-commit hook does not parse TOML on every commit.
 */
import { isAscii } from "node:buffer";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RuleDef } from "../engine/types.js";
import { parseRuleFile } from "./parse.js";

/** Folder of the shipped rule files. */
export const RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));
const BUNDLE = new URL("../rules.json", import.meta.url);
const EXAMPLES = new URL("../rules-examples.json", import.meta.url);
const DETAILS = new URL("../rules-details.json", import.meta.url);

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
  if (Object.getPrototypeOf(def) !== BUNDLED_RULE) return def;
  const out: RuleDef = { ...def };
  for (const f of DETAIL_FIELDS) if (!Object.hasOwn(def, f) && def[f] !== undefined) (out as unknown as Record<string, unknown>)[f] = def[f];
  return out;
}

/**
 * The rules of `dist/rules.json`: the build leaves out each translation's
 * `from` (its rule's own regex or path, a tenth of the file the hook reads
 * on every commit), put back here; the {@link DETAIL_FIELDS} are inherited,
 * read from their own file when first asked for.
 */
export function parseRuleBundle(text: string): RuleDef[] {
  const defs = JSON.parse(text) as RuleDef[];
  for (const d of defs) {
    if (d.precompiled && d.regex !== undefined) d.precompiled.from = d.regex;
    if (d.precompiledPath && d.path !== undefined) d.precompiledPath.from = d.path;
    Object.setPrototypeOf(d, BUNDLED_RULE);
  }
  return defs;
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
