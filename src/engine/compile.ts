/**
 * Compiles rule definitions (data) into a {@link CompiledRuleSet}: regexes built
 * once, keywords merged into one Aho-Corasick automaton, allowlists compiled.
 * Every problem is reported as `origin: rule-id: what is wrong`. Pure.
 */
import { LeakguardError } from "../errors.js";
import { KeywordMatcher, type KeywordTables } from "./ahocorasick.js";
import { regexAnchors, type BeforeAnchors, type LeadAnchors, type LineAnchors, type OffsetAnchors } from "./anchors.js";
import { BASE64_ALPHABET, MIN_BASE64 } from "./char-runs.js";
import { fromStoredRunAnchor, runAnchorOf, type RunAnchor } from "./run-anchors.js";
import { compileAllowlist, type CompiledAllowlist } from "./allowlist.js";
import { captureGroupCount, compileRuleRegex, compileTestRegex } from "./regex.js";
import { SEVERITIES, type AllowlistDef, type Confidence, type RuleDef, type Severity } from "./types.js";
import { VALIDATORS, type Validator } from "./validators.js";
import { PARSERS } from "./credfiles/registry.js";

/** Thrown when a rule or allowlist is invalid; the message names the rule and the problem. */
export class RuleError extends LeakguardError {
  constructor(message: string) {
    super(message);
    this.name = "RuleError";
  }
}

/** What every rule of a set has, compiled whole or not: what selects it. */
interface RuleSelection {
  def: RuleDef;
  id: string;
  /** Ids into the rule set's keyword matcher; empty = always runs. */
  keywordIds: number[];
  /**
   * Ids into the keyword matcher of literals every match of the regex starts
   * with (see anchors.ts): the engine may try its sticky form ({@link ruleSticky},
   * anchored at `lastIndex`) only where an anchor stands. Unset: no anchors known.
   */
  anchorIds?: number[] | undefined;
  /** The credential-file parser that finds its secrets (`def.parser`), known before the rule is compiled whole. */
  parser: string | undefined;
}

/**
 * A rule of a set compiled only as far as selecting it goes (a built-in rule
 * no text has selected yet: see {@link CompileOptions.lazy}). Its other
 * fields hold placeholders until {@link readyRule} compiles it whole, in
 * place, and gives it as a {@link CompiledRule}: this type leaves them out,
 * so that nothing reads them before.
 */
export interface PendingRule extends RuleSelection {
  /** Set when the rule has a regex (only that is known: its text comes with {@link readyRule}). */
  pattern: object | undefined;
  pending: true;
}

/** A rule of a set: compiled whole, or {@link PendingRule pending} until {@link readyRule}. */
export type SetRule = CompiledRule | PendingRule;

/** A rule ready to run. */
export interface CompiledRule extends RuleSelection {
  title: string;
  severity: Severity;
  confidence: Confidence;
  /**
   * The rule's regex as source and flags (global, with indices): run it through
   * {@link ruleRegex}. A built-in rule's regex is built on its first use, as a
   * scan of a few files needs few of them and building ~500 cost a tenth of the
   * pre-commit hook's start-up; the build checked them all.
   */
  pattern?: { source: string; flags: string } | undefined;
  /** The RegExps built so far (see {@link ruleRegex}, {@link ruleSticky}). */
  built?: { regex?: RegExp; sticky?: RegExp } | undefined;
  secretGroup: number;
  /** gitleaks: without a secretGroup, the first capture group that matched (alternatives with one group each). */
  firstNonEmptyGroup?: boolean | undefined;
  entropy: number;
  pathRegex?: RegExp | undefined;
  /** Set (1) when a match may begin one character before its anchor (see anchors.ts `leadAnchors`). */
  anchorLead?: number | undefined;
  /** Set when every match begins at the start of a line holding an anchor (see anchors.ts `lineAnchors`). */
  anchorLine?: boolean | undefined;
  /**
   * Set when every match begins with the character `char` at most `within`
   * characters before an anchor (see anchors.ts `beforeAnchors`): the engine
   * tries those characters. Read when the rule is compiled whole.
   */
  anchorBefore?: { char: number; within: number } | undefined;
  /**
   * Set when every match begins exactly this many characters before an
   * anchor (see anchors.ts `offsetAnchors`): the engine tries there. Read
   * when the rule is compiled whole.
   */
  anchorOffset?: number | undefined;
  /**
   * For a rule with a regex and neither keywords nor anchors: where its
   * matches start from the end of a base64 run (see run-anchors.ts), when its
   * regex tells; the engine then tries it only near the ends of the runs the
   * keyword pass lists. Read when the rule is compiled whole.
   */
  runAnchor?: RunAnchor | undefined;
  validators: Array<[string, Validator]>;
  allowlists: CompiledAllowlist[];
  tags: string[];
  /** Tagged `generic`: keyword-plus-assignment rules that get the extra generic filters. */
  generic: boolean;
  /** Unset: compiled whole (see {@link PendingRule}). */
  pending: undefined;
}

/**
 * A compiled rule set plus global allowlists. Its rules may be pending (see
 * {@link CompileOptions.lazy}); a set compiled without that option holds
 * only rules compiled whole, `CompiledRuleSet<CompiledRule>`.
 */
export interface CompiledRuleSet<R extends SetRule = SetRule> {
  /** The rules, in order; a {@link PendingRule} goes through {@link readyRule} before any use past selecting it. */
  rules: R[];
  byId: ReadonlyMap<string, R>;
  keywords: KeywordMatcher;
  globalAllowlists: CompiledAllowlist[];
}

const SEVERITY_SET = new Set<string>(SEVERITIES);
const CONFIDENCES = new Set(["high", "medium", "low"]);
const ID = /^[a-z0-9][a-z0-9._-]*$/i;

/** What a rule's regex text gives: the translated pattern, its capture groups, and the literals its matches start with. */
interface RegexFacts {
  /** The regex text these facts were derived from. */
  from: string;
  pattern: { source: string; flags: string };
  groups: number;
  /** Literals every match starts with (anchors.ts); unset when none are known. */
  anchors?: string[];
  /** Literals every match has one character in, when there are no {@link RegexFacts.anchors}. */
  lead?: LeadAnchors;
  /** Literals the line every match begins holds, when there are neither of the above. */
  line?: LineAnchors;
  /** Literals a bounded distance after the character every match begins with, when there are none of the above. */
  before?: BeforeAnchors;
  /** Literals a fixed number of characters into every match, when there are none of the above. */
  offset?: OffsetAnchors;
  /** The run anchor the build worked out (null: none); unset when it did not (see compileRule). */
  run?: RunAnchor | null;
}

/**
 * Regex facts per rule definition. A config that only adds an allowlist or a
 * rule compiles the ~540 built-in rules again (a library caller scanning many
 * repositories, the test suite on every run); their translation and anchors
 * do not change, so each is worked out once per definition.
 */
const regexFactsCache = new WeakMap<RuleDef, RegexFacts>();

/**
 * The {@link RegexFacts} of `def` (which has a regex): stored by the build,
 * cached, or worked out here, with the regex that a first compile of a
 * config's own rule builds (and so checks).
 */
function regexFacts(def: RuleDef, where: () => string): { facts: RegexFacts; built?: RegExp } {
  const text = def.regex!;
  const cached = regexFactsCache.get(def);
  if (cached && cached.from === text) return { facts: cached };
  let facts: RegexFacts;
  const pre = def.precompiled;
  if (pre && pre.from === text) {
    // Checked by the build: built on first use (ruleRegex); the bundle carries the anchors too.
    const pattern = { source: pre.source, flags: pre.flags + "gd" };
    facts = { from: text, pattern, groups: pre.groups };
    if (pre.run !== undefined) facts.run = fromStoredRunAnchor(pre.run) ?? null;
    if (pre.anchors !== undefined) {
      if (pre.anchors.length > 0) facts.anchors = pre.anchors;
      else if (pre.lead && pre.lead.length > 0) facts.lead = { anchors: pre.lead, lead: 1 };
      else if (pre.line && pre.line.length > 0) facts.line = { anchors: pre.line, line: true };
      else if (pre.before && pre.before.anchors.length > 0) facts.before = pre.before;
      else if (pre.offset && pre.offset.anchors.length > 0) facts.offset = pre.offset;
    } else {
      withAnchors(facts);
    }
  } else {
    let regex: RegExp;
    try {
      regex = compileRuleRegex(text);
    } catch (e) {
      throw new RuleError(`${where()}: regex: ${(e as Error).message}`);
    }
    facts = { from: text, pattern: { source: regex.source, flags: regex.flags }, groups: captureGroupCount(regex) };
    withAnchors(facts);
    regexFactsCache.set(def, facts);
    return { facts, built: regex };
  }
  regexFactsCache.set(def, facts);
  return { facts };
}

/** Works out a pattern's anchors (or, without them, its lead anchors: ["']?name, (?:^|[\s:/])_auth; or its line anchors). */
function withAnchors(facts: RegexFacts): void {
  Object.assign(facts, regexAnchors(facts.pattern.source, facts.pattern.flags));
}

/** The id of `literal` in the rule set's keyword list, the next one when it is new. */
function literalId(keywordIndex: Map<string, number>, literal: string): number {
  let id = keywordIndex.get(literal);
  if (id === undefined) {
    id = keywordIndex.size;
    keywordIndex.set(literal, id);
  }
  return id;
}

/** Compiles one rule; throws {@link RuleError}. */
export function compileRule(def: RuleDef, keywordIndex: Map<string, number>): CompiledRule {
  // Made only for an error: a built-in rule's origin is read from a file of its own (ruleset/builtin.ts).
  const where = (): string => `${def.origin ? def.origin + ": " : ""}${def.id || "(rule without id)"}`;
  if (!def.id || !ID.test(def.id)) throw new RuleError(`${where()}: id must be letters, digits, '.', '_' or '-'`);
  if (!def.regex && !def.path && !def.parser) throw new RuleError(`${where()}: a rule needs a regex, a path or a parser`);
  if (def.parser !== undefined) {
    if (!Object.hasOwn(PARSERS, def.parser)) {
      throw new RuleError(`${where()}: unknown parser "${def.parser}" (known: ${Object.keys(PARSERS).join(", ")})`);
    }
    if (def.regex) throw new RuleError(`${where()}: a rule has a regex or a parser, not both`);
  }
  if (def.severity !== undefined && !SEVERITY_SET.has(def.severity)) {
    throw new RuleError(`${where()}: severity "${def.severity}" is not one of critical, high, medium, low`);
  }
  if (def.confidence !== undefined && !CONFIDENCES.has(def.confidence)) {
    throw new RuleError(`${where()}: confidence "${def.confidence}" is not one of high, medium, low`);
  }
  const derived = def.regex ? regexFacts(def, where) : undefined;
  const facts = derived?.facts;
  const pattern = facts?.pattern;
  const groups = facts?.groups ?? 0;
  let secretGroup = def.secretGroup ?? 0;
  if (secretGroup < 0 || !Number.isInteger(secretGroup)) throw new RuleError(`${where()}: secretGroup must be a whole number >= 0`);
  if (secretGroup > groups) {
    throw new RuleError(`${where()}: secretGroup ${secretGroup} but the regex has ${groups} capture group${groups === 1 ? "" : "s"}`);
  }
  // gitleaks: secretGroup 0 means "first group if there is one, else the whole match".
  if (secretGroup === 0 && groups > 0 && def.secretGroup === undefined) secretGroup = 1;
  let pathRegex: RegExp | undefined;
  if (def.path) {
    const prePath = def.precompiledPath;
    try {
      pathRegex = prePath && prePath.from === def.path ? new RegExp(prePath.source, prePath.flags) : compileTestRegex(def.path);
    } catch (e) {
      throw new RuleError(`${where()}: path: ${(e as Error).message}`);
    }
  }
  // Keywords and anchors share the rule set's one automaton: each literal gets one id.
  const idOf = (literal: string): number => literalId(keywordIndex, literal);
  const keywordIds: number[] = [];
  for (const kw of def.keywords ?? []) {
    const k = kw.toLowerCase();
    if (k.length === 0) throw new RuleError(`${where()}: empty keyword`);
    if (/[^\x00-\x7f]/.test(k)) throw new RuleError(`${where()}: keyword "${kw}" must be ASCII`);
    keywordIds.push(idOf(k));
  }
  // One kind of anchor per regex (regexAnchors and the build give at most one), in this precedence.
  const kind = !facts ? undefined : facts.anchors ? "start" : facts.lead ? "lead" : facts.line ? "line" : facts.before ? "before" : facts.offset ? "offset" : undefined;
  const literals = facts?.anchors ?? facts?.lead?.anchors ?? facts?.line?.anchors ?? facts?.before?.anchors ?? facts?.offset?.anchors;
  const anchorIds = literals?.map(idOf);
  const validators: Array<[string, Validator]> = (def.validators ?? []).map((name) => {
    const v = VALIDATORS[name];
    if (!v) throw new RuleError(`${where()}: unknown validator "${name}" (known: ${Object.keys(VALIDATORS).join(", ")})`);
    return [name, v];
  });
  const allowlists = (def.allowlists ?? []).map((a, i) => {
    try {
      return compileAllowlist(a, () => `${where()}: allowlists[${i}]`);
    } catch (e) {
      throw new RuleError((e as Error).message);
    }
  });
  const anchored = pattern !== undefined && anchorIds !== undefined;
  // Every field set, in one order, even when undefined: every rule then has one
  // hidden class, so the scan loop's reads of these fields stay monomorphic
  // (rules of a dozen shapes made the optimizing compiler give up and redo it).
  const out: CompiledRule = {
    def,
    id: def.id,
    title: def.description || def.id,
    severity: def.severity ?? "high",
    confidence: def.confidence ?? "medium",
    pattern,
    built: derived?.built ? { regex: derived.built } : undefined,
    secretGroup,
    firstNonEmptyGroup: def.secretGroup === undefined && groups > 1 ? true : undefined,
    entropy: def.entropy ?? 0,
    pathRegex,
    keywordIds,
    anchorIds: anchored ? anchorIds : undefined,
    anchorLead: anchored && kind === "lead" ? facts!.lead!.lead : undefined,
    anchorLine: anchored && kind === "line" ? true : undefined,
    anchorBefore: anchored && kind === "before" ? { char: facts!.before!.char, within: facts!.before!.within } : undefined,
    anchorOffset: anchored && kind === "offset" ? facts!.offset!.offset : undefined,
    // Worked out by the build for a built-in rule (the hook readies ~2 such rules a commit: ~0.4 ms).
    runAnchor: pattern !== undefined && keywordIds.length === 0 && !anchored ? (facts?.run !== undefined ? (facts.run ?? undefined) : runAnchorOf(pattern.source, pattern.flags, BASE64_ALPHABET, MIN_BASE64)) : undefined,
    validators,
    allowlists,
    tags: def.tags ?? [],
    generic: (def.tags ?? []).includes("generic"),
    parser: def.parser,
    pending: undefined,
  };
  return out;
}

/** Marks a pending rule's pattern (see {@link PendingRule}): never run, {@link readyRule} replaces it. */
const PENDING_PATTERN: Readonly<{ source: string; flags: string }> = Object.freeze({ source: "(?!)", flags: "gd" });

/** A pending rule's validators, allowlists and tags until {@link readyRule} gives it its own. */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * A rule compiled only as far as selecting it goes, from row `r` of `rows`
 * (what the build worked out of a built-in rule): the same keyword and anchor
 * ids, in the same order, as {@link compileRule} gives.
 */
function pendingRule(def: RuleDef, rows: LazyRuleRows, r: number, idOf: (literal: number) => number): PendingRule {
  const { lits, kwEnds, litEnds } = rows;
  const flags = rows.flags[r]!;
  // The ids of the row's literals, keywords then anchors, in arrays of exactly their length (pushing onto []
  // reserved 17 places). Written out here: a helper this small was marked "small function" and optimized by
  // TurboFan on every hook run (a background compile of 2-20 ms for ~1,100 calls).
  const kwFrom = r === 0 ? 0 : litEnds[r - 1]!;
  const kwTo = kwEnds[r]!;
  const litTo = litEnds[r]!;
  const keywordIds = new Array<number>(kwTo - kwFrom);
  for (let i = kwFrom; i < kwTo; i++) keywordIds[i - kwFrom] = idOf(lits[i]!);
  let anchorIds: number[] | undefined;
  if (litTo > kwTo) {
    anchorIds = new Array<number>(litTo - kwTo);
    for (let i = kwTo; i < litTo; i++) anchorIds[i - kwTo] = idOf(lits[i]!);
  }
  const hasPattern = (flags & ROW_HAS_PATTERN) !== 0;
  // The fields of compileRule's rules, in the same order (one hidden class for the scan loop; test/ruleset/lazy-rules.test.ts
  // checks), those past selecting the rule as placeholders that the type PendingRule leaves out.
  const rule = {
    def,
    id: def.id,
    title: def.id,
    severity: "high",
    confidence: "medium",
    pattern: hasPattern ? PENDING_PATTERN : undefined,
    built: undefined,
    secretGroup: 0,
    firstNonEmptyGroup: undefined,
    entropy: 0,
    pathRegex: undefined,
    keywordIds,
    anchorIds: hasPattern ? anchorIds : undefined,
    // Read from the rule's whole compile (readyRule), which comes before any anchored run.
    anchorLead: undefined,
    anchorLine: undefined,
    anchorBefore: undefined,
    anchorOffset: undefined,
    runAnchor: undefined,
    // Shared and frozen: readyRule replaces them before the rule runs (three arrays a rule, 537 rules).
    validators: NONE,
    allowlists: NONE,
    tags: NONE,
    generic: false,
    parser: rows.parsers.get(r),
    pending: true as const,
  };
  return rule;
}

/**
 * The rule compiled whole: a {@link PendingRule}'s rest compiled in place
 * (the same object, now a {@link CompiledRule}); a rule compiled whole as it
 * is. Cheap to call before each use. Every field comes from {@link compileRule}
 * but the ids into the keyword matcher, which index the rule set's literals
 * (the whole compile numbers them in a list of its own): a new field needs no
 * word here.
 */
export function readyRule(rule: SetRule): CompiledRule {
  if (rule.pending !== true) return rule;
  const { keywordIds, anchorIds } = rule;
  const ready: CompiledRule = Object.assign(rule as object, compileRule(rule.def, new Map()));
  ready.keywordIds = keywordIds;
  ready.anchorIds = anchorIds;
  return ready;
}

/**
 * True when the keywords marked in `seen` (1 per keyword id found) switch the
 * rule on: it has no keywords, or one of them was found.
 */
export function keywordsSelect(rule: SetRule, seen: Uint8Array): boolean {
  const ids = rule.keywordIds;
  if (ids.length === 0) return true;
  for (const id of ids) if (seen[id] === 1) return true;
  return false;
}

/** The rule's global regex, built on first use; undefined for a rule without one. */
export function ruleRegex(rule: CompiledRule): RegExp | undefined {
  const p = rule.pattern;
  if (!p) return undefined;
  const built = (rule.built ??= {});
  return (built.regex ??= new RegExp(p.source, p.flags));
}

/** The rule's regex anchored at `lastIndex` (sticky, not global), built on first use. */
export function ruleSticky(rule: CompiledRule): RegExp | undefined {
  const p = rule.pattern;
  if (!p) return undefined;
  const built = (rule.built ??= {});
  return (built.sticky ??= new RegExp(p.source, p.flags.replace("g", "") + "y"));
}

/** Options of {@link compileRuleSet}. */
export interface CompileOptions {
  /**
   * Stored automaton tables for exactly this keyword list, when there are any
   * (the build stores the built-in rules' set); otherwise the automaton is
   * built. Tables that do not fit are ignored.
   */
  keywordTables?: (keywords: readonly string[]) => KeywordTables | undefined;
  /**
   * Rules whose selecting facts are known without compiling them (built-in
   * rules as the build indexed them, unchanged): `rowOf` gives a rule's row
   * in `rows`, or -1. Such a rule is compiled only when a scan first runs it
   * (see {@link PendingRule}): a scan of a few files selects a few of ~540.
   */
  lazy?: { rows: LazyRuleRows; rowOf(def: RuleDef): number } | undefined;
}

/** Flag bit of a {@link LazyRuleRows} row: the rule has a regex. */
export const ROW_HAS_PATTERN = 1;

/**
 * What selects each of a list of rules before it is compiled (ruleset/rule-index.ts):
 * the literals compiling a rule registers, in order, and its flags.
 */
export interface LazyRuleRows {
  /** The literals (keywords and anchors) the rows name by number. */
  literals: readonly string[];
  /** Row r's keywords are lits[litEnds[r - 1] .. kwEnds[r]) (from 0 for row 0), its anchors lits[kwEnds[r] .. litEnds[r]) (none: no anchors). */
  lits: ArrayLike<number>;
  kwEnds: ArrayLike<number>;
  litEnds: ArrayLike<number>;
  /** Per row: the {@link ROW_HAS_PATTERN} bit. */
  flags: ArrayLike<number>;
  /** The parser of each row that has one. */
  parsers: ReadonlyMap<number, string>;
}

/**
 * The automaton last built here, by its keyword list: compiling the same
 * rules again (another allowlist, the same config reloaded) reuses it. A
 * matcher holds no scan state, so rule sets may share one, as scanners of
 * the built-in config already share their whole rule set.
 */
let lastBuilt: { key: string; matcher: KeywordMatcher } | undefined;

/**
 * The keyword automaton: the stored tables when they fit, else the last one
 * built when the keywords are the same, else built. With stored tables to
 * try, it is set up when a scan first uses it rather than here (see
 * {@link KeywordMatcher}): the pre-commit hook compiles its rules while git
 * runs and reads the 1.4 MB of stored tables on another thread meanwhile.
 */
function keywordMatcher(keywords: readonly string[], options: CompileOptions): KeywordMatcher {
  const stored = options.keywordTables;
  if (stored) return new KeywordMatcher(keywords, () => stored(keywords) ?? builtMatcher(keywords).tables());
  return builtMatcher(keywords);
}

/** The automaton built for `keywords`, or the last one built when they are the same. */
function builtMatcher(keywords: readonly string[]): KeywordMatcher {
  const key = keywords.join("\0");
  if (lastBuilt?.key === key) return lastBuilt.matcher;
  const matcher = new KeywordMatcher(keywords);
  lastBuilt = { key, matcher };
  return matcher;
}

/**
 * Compiles a list of rules and global allowlists. Duplicate ids are an error:
 * a later definition must replace an earlier one before this point.
 */
export function compileRuleSet(defs: readonly RuleDef[], globalAllowlists?: readonly AllowlistDef[], options?: CompileOptions & { lazy?: undefined }): CompiledRuleSet<CompiledRule>;
export function compileRuleSet(defs: readonly RuleDef[], globalAllowlists?: readonly AllowlistDef[], options?: CompileOptions): CompiledRuleSet;
export function compileRuleSet(defs: readonly RuleDef[], globalAllowlists: readonly AllowlistDef[] = [], options: CompileOptions = {}): CompiledRuleSet {
  const keywordIndex = new Map<string, number>();
  const rules: SetRule[] = [];
  const byId = new Map<string, SetRule>();
  const lazy = options.lazy;
  // Row literal number to id in this set, assigned on first use (the order compileRule assigns them);
  // made once the rules come out of order (below), which the hook's built-in rules never do.
  let ids: Int32Array | undefined;
  // While the rules are the rows from row 0 in order (the built-in rules, as the hook
  // compiles them), a literal's number is its id: the index numbers the literals in the
  // order compiling gives them ids (rule-index.ts checks it). No map of the ~1,100 literals
  // is made then; the literals numbered below `inOrderSeen` are the ids given so far.
  let inOrder = lazy !== undefined;
  let inOrderSeen = 0;
  const idOfLiteral = (k: number): number => {
    if (inOrder) {
      if (k >= inOrderSeen) inOrderSeen = k + 1;
      return k;
    }
    let id = ids![k]!;
    if (id < 0) ids![k] = id = literalId(keywordIndex, lazy!.rows.literals[k]!);
    return id;
  };
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i]!;
    if (byId.has(def.id)) {
      throw new RuleError(`${def.origin ? def.origin + ": " : ""}${def.id}: duplicate rule id (also in ${byId.get(def.id)!.def.origin ?? "another file"})`);
    }
    const row = lazy ? lazy.rowOf(def) : -1;
    if (inOrder && row !== i) {
      // Out of order from here on: the ids given so far go into the map, in order.
      inOrder = false;
      ids = new Int32Array(lazy!.rows.literals.length).fill(-1);
      for (let k = 0; k < inOrderSeen; k++) ids[k] = literalId(keywordIndex, lazy!.rows.literals[k]!);
    }
    const r = row >= 0 ? pendingRule(def, lazy!.rows, row, idOfLiteral) : compileRule(def, keywordIndex);
    // A rule without keywords runs on every text (the credential-file parsers' do): compiled now,
    // before any text (the hook compiles while git works), not on the first text.
    if (r.pending && r.keywordIds.length === 0) readyRule(r);
    rules.push(r);
    byId.set(r.id, r);
  }
  const globals = globalAllowlists.map((a, i) => {
    try {
      return compileAllowlist(a, `allowlist[${i}]`);
    } catch (e) {
      throw new RuleError((e as Error).message);
    }
  });
  const keywords = inOrder ? lazy!.rows.literals.slice(0, inOrderSeen) : [...keywordIndex.keys()];
  return { rules, byId, keywords: keywordMatcher(keywords, options), globalAllowlists: globals };
}
