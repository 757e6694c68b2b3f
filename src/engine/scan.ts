/**
 * The scanning core: one fragment of text in, findings and suppressed
 * candidates out. One keyword pass over the text selects the rules to run;
 * each selected rule's regex runs once; every candidate goes through the
 * filters in a fixed order and is either reported or suppressed with a reason.
 *
 * Pure: no fs, no git, no process.
 *
 * @example
 *   const rs = compileRuleSet(defs);
 *   const { findings } = scanFragment(rs, { text: src, path: "app/config.js" });
 */
import type { KeywordPass, KeywordPositions, KeywordMatcher } from "./ahocorasick.js";
import { BASE64_ALPHABET, MIN_BASE64, runEnds, type CharRuns } from "./char-runs.js";
import { readyRule, ruleRegex, ruleSticky, type CompiledRule, type CompiledRuleSet, type SetRule } from "./compile.js";
import { runAnchorStarts } from "./run-anchors.js";
import { shannonEntropy } from "./entropy.js";
import { canaryOf } from "./canary.js";
import { genericReason, namePrefix, notAValue, placeholderReason, weakPassword } from "./filters.js";
import { fingerprintOf } from "./fingerprint.js";
import { INLINE_ALLOW, inlineAllowDetail } from "./inline.js";
import { LineIndex } from "./lines.js";
import type { CommitInfo, Confidence, Finding, Fragment, FragmentResult, SuppressedFinding, SuppressionReason } from "./types.js";

/** Options for {@link scanFragment}. */
export interface EngineOptions {
  /** Fingerprint salt (see fingerprint.ts). */
  salt?: string;
  /** Give up on a fragment after this many milliseconds (checked between matches). */
  timeBudgetMs?: number;
  /** Clock for the time budget; defaults to Date.now. Injected so the engine stays pure in tests. */
  now?: () => number;
  /**
   * Lowest confidence reported. Unset (the default): every finding the filters
   * keep, whatever its confidence. `"low"` is audit mode: also every candidate
   * that only a heuristic dropped (placeholder word, entropy, word plus number,
   * failed checksum, a rule's stopword), at confidence `low` with `auditReason`.
   * `"medium"` / `"high"`: findings below it are suppressed (reason `confidence`).
   */
  minConfidence?: Confidence;
  /** False: inline markers (`leakguard:allow`, `gitleaks:allow`, `pragma: allowlist secret`) suppress nothing (gitleaks' `--ignore-gitleaks-allow`). Default true. */
  inlineAllow?: boolean;
  /** Decoding passes run after the direct one (default none; see engine/decode.ts `DEFAULT_DECODERS`). */
  decoders?: readonly Decoder[];
  /**
   * Keywords known to occur around the text (one entry per keyword id, 1 =
   * present): the rules they select run as if the keywords were in the text.
   * The history scan's fast path scans a window of a blob with the keywords
   * of the whole blob, so the window runs exactly the rules the blob runs.
   */
  seen?: Uint8Array;
  /**
   * The keyword pass over exactly this fragment's text, worked out beforehand
   * (ahocorasick.ts {@link KeywordPass}: the history scan splices it from an
   * earlier version of the same file, sources/keyword-splice.ts): replayed
   * instead of walking the automaton over the text again. Its runs are the
   * base64/hex runs the decoding pass starts from.
   */
  keywordPass?: KeywordPass;
}

/** Result of one fragment, with a flag when the time budget ran out. */
export interface EngineResult extends FragmentResult {
  timedOut?: boolean;
  /** The watchdog ended the scan (a custom regex ran past the budget): no findings are known for the fragment. */
  stopped?: boolean;
}

/** Inline markers that suppress a finding on their line (see inline.ts). */
export { INLINE_ALLOW };

// Test, example and documentation paths lower a finding's confidence: the lists are data in test-paths.ts.
export { isTestPath } from "./test-paths.js";
import { isTestPath } from "./test-paths.js";

const LOWER: Record<Confidence, Confidence> = { high: "medium", medium: "low", low: "low" };
const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** A raw regex hit before filtering. Offsets are into the scanned text. */
export interface RawMatch {
  rule: CompiledRule;
  secret: string;
  secretStart: number;
  secretEnd: number;
  matchStart: number;
  matchEnd: number;
  match: string;
}

/** Per rule set: which rules each keyword selects, built once (see {@link planOf}). */
interface ScanPlan {
  rules: readonly SetRule[];
  keywords: KeywordMatcher;
  /**
   * Rule indexes (ascending) each keyword id gates: keyword id k's are
   * gated[gateStart[k]] up to gated[gateStart[k + 1]]. Two flat arrays, not
   * one per keyword: ~1,100 small arrays cost the pre-commit hook ~5 ms.
   */
  gateStart: Int32Array;
  gated: Int32Array;
  /** Rules with a regex and no keywords: they run on every text. */
  always: Int32Array;
  /** want[id] = 1 for keyword ids some rule uses as a start anchor. */
  anchorWant: Uint8Array;
  /** True when some rule has anchors. */
  anchored: boolean;
  /**
   * Anchor positions reused from call to call (a ~1,100-entry array per call
   * was a large part of scanning a short text), or undefined while a call
   * uses them: a nested call then makes its own.
   */
  spare: KeywordPositions | undefined;
  /** A zeroed keyword table reused by {@link scanFragment} the same way (undefined while in use). */
  spareSeen: Uint8Array | undefined;
  /** The list of keyword ids a pass marks, reused the same way (see {@link selectedRules}). */
  spareIds: number[] | undefined;
}

const plans = new WeakMap<CompiledRuleSet, ScanPlan>();

/** The {@link ScanPlan} of `rs`, rebuilt if its rules or keywords were replaced. */
function planOf(rs: CompiledRuleSet): ScanPlan {
  const cached = plans.get(rs);
  if (cached && cached.rules === rs.rules && cached.keywords === rs.keywords) return cached;
  const k = rs.keywords.keywords.length;
  const always: number[] = [];
  const anchorWant = new Uint8Array(k);
  let anchored = false;
  // Counts per keyword, then the rules in place; lastRule lists a rule once under a keyword it names twice.
  const gateStart = new Int32Array(k + 1);
  const lastRule = new Int32Array(k).fill(-1);
  // Indexed loops: the hook runs this once, interpreted, where for...of made an iterator and a
  // result object per id (~240 KB of garbage for the built-in rules' ~1,800 ids, two passes).
  const rules = rs.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!rule.pattern) continue;
    const ids = rule.keywordIds;
    if (ids.length === 0) always.push(r);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (lastRule[id] === r) continue;
      lastRule[id] = r;
      gateStart[id + 1]!++;
    }
    const anchors = rule.anchorIds;
    if (anchors) {
      anchored = true;
      for (let i = 0; i < anchors.length; i++) anchorWant[anchors[i]!] = 1;
    }
  }
  for (let id = 0; id < k; id++) gateStart[id + 1]! += gateStart[id]!;
  const gated = new Int32Array(gateStart[k]!);
  const fill = gateStart.slice(0, k);
  lastRule.fill(-1);
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!rule.pattern) continue;
    const ids = rule.keywordIds;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (lastRule[id] === r) continue;
      lastRule[id] = r;
      gated[fill[id]!++] = r;
    }
  }
  const plan: ScanPlan = {
    rules: rs.rules,
    keywords: rs.keywords,
    gateStart,
    gated,
    always: Int32Array.from(always),
    anchorWant,
    anchored,
    spare: anchored ? { want: anchorWant, at: new Array<number[] | undefined>(k), touched: [] } : undefined,
    spareSeen: new Uint8Array(k),
    spareIds: [],
  };
  plans.set(rs, plan);
  return plan;
}

/** The keyword ids marked in `seen`, ascending (a list reused from call to call: read it before the next). */
function markedIn(seen: Uint8Array): number[] {
  const list = MARKED;
  list.length = 0;
  for (let id = seen.indexOf(1); id >= 0; id = seen.indexOf(1, id + 1)) list.push(id);
  return list;
}
const MARKED: number[] = [];

/**
 * The rules selected by the keywords in `seen`, in rule-set order (the order
 * findings are made in). `ids`, when given, lists every keyword marked in
 * `seen` (the pass marked them all, none was marked before it).
 */
function selectedRules(plan: ScanPlan, seen: Uint8Array, found: number, ids: number[] | undefined): Int32Array {
  // No keyword in the text (most short texts): only the keyword-less rules, without a copy.
  if (found === 0) return plan.always;
  const { gateStart, gated, always } = plan;
  // Counted, then copied into one array: no list per keyword (a typed array view each cost a blob ~0.4 KB).
  // The ids the pass marked; else those `seen` holds, found natively by indexOf (a short text
  // marks a few of ~1,100). Listing them beats reading the table twice (~2 µs a text).
  const marked = ids ?? markedIn(seen);
  let count = always.length;
  for (let k = 0; k < marked.length; k++) count += gateStart[marked[k]! + 1]! - gateStart[marked[k]!]!;
  const out = new Int32Array(count);
  out.set(always);
  let n = always.length;
  for (let k = 0; k < marked.length; k++) {
    const id = marked[k]!;
    for (let q = gateStart[id]!, end = gateStart[id + 1]!; q < end; q++) out[n++] = gated[q]!;
  }
  out.sort();
  // A rule with several keywords present is listed once.
  let w = 0;
  for (let k = 0; k < out.length; k++) if (k === 0 || out[k] !== out[k - 1]) out[w++] = out[k]!;
  // Always a view (even of the whole array): a path taken only when a rule is listed twice cost the optimized scan loop a deoptimization.
  return out.subarray(0, w);
}

/**
 * A rule's anchored candidates: where one of its start anchors stands, ascending,
 * or undefined when trying the regex at each would cost more than one pass over
 * the whole text (anchors too dense). For a rule with line anchors, the starts
 * of the lines where one stands.
 */
function anchorStarts(rule: CompiledRule, at: Array<number[] | undefined>, text: string): ArrayLike<number> | undefined {
  const textLength = text.length;
  const ids = rule.anchorIds!;
  // A rule whose match may begin a character before its anchor is tried at both places.
  const lead = rule.anchorLead ?? 0;
  let total = 0;
  let lists = 0;
  let last: number[] | undefined;
  for (const id of ids) {
    const l = at[id];
    if (l !== undefined && l.length > 0) {
      total += l.length;
      lists++;
      last = l;
      if (total * (lead + 1) * ANCHOR_COST > textLength) return undefined;
    }
  }
  if (lists === 0) return [];
  let sorted: ArrayLike<number>;
  if (lists === 1) sorted = last!;
  else {
    // Sorted natively as numbers (a comparator sort copied the list into a temporary array).
    const all = new Int32Array(total);
    let n = 0;
    for (const id of ids) {
      const l = at[id];
      if (l !== undefined) for (let i = 0; i < l.length; i++) all[n++] = l[i]!;
    }
    sorted = all.sort();
  }
  if (rule.anchorLine) return lineStarts(text, sorted);
  if (rule.anchorBefore) return charsBefore(text, sorted, rule.anchorBefore.char, rule.anchorBefore.within);
  if (rule.anchorOffset) return movedBack(sorted, rule.anchorOffset);
  if (lead === 0) return sorted;
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    for (let q = Math.max(0, p - lead); q <= p; q++) if (out.length === 0 || out[out.length - 1]! < q) out.push(q);
  }
  return out;
}

/** The positions `sorted` (ascending) moved `offset` characters back, those that would fall before the text left out. */
function movedBack(sorted: ArrayLike<number>, offset: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (sorted[i]! >= offset) out.push(sorted[i]! - offset);
  return out;
}

/**
 * Where the character `char` stands at most `within` characters before one
 * of the positions `sorted` (ascending), each once, ascending: each part of
 * the text is searched once however many positions are near it.
 */
function charsBefore(text: string, sorted: ArrayLike<number>, char: number, within: number): number[] {
  const out: number[] = [];
  const c = String.fromCharCode(char);
  let searched = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    for (let q = text.indexOf(c, Math.max(searched, p - within)); q >= 0 && q < p; q = text.indexOf(c, q + 1)) out.push(q);
    if (p > searched) searched = p;
  }
  return out;
}

/**
 * The starts of the lines holding the positions `sorted` (ascending), each
 * once, ascending. Forward search for line feeds: each is found once however
 * many positions share a long line.
 */
function lineStarts(text: string, sorted: ArrayLike<number>): number[] {
  const out: number[] = [];
  let start = 0;
  let nextFeed = text.indexOf("\n");
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    while (nextFeed >= 0 && nextFeed < p) {
      start = nextFeed + 1;
      nextFeed = text.indexOf("\n", start);
    }
    if (out.length === 0 || out[out.length - 1]! < start) out.push(start);
  }
  return out;
}

/** Characters of text one sticky attempt at an anchor is worth (a whole-text regex pass costs a few ns per character). */
const ANCHOR_COST = 96;

/**
 * Runs every rule whose keywords occur in `text` and calls `visit` for each hit.
 * Returns false when the deadline passed. `seen` (zeroed, one entry per
 * keyword) receives which keywords occur; `runs`, when given, the runs it asks
 * for (listed by the keyword pass, which always runs then).
 */
export function collectMatches(
  rs: CompiledRuleSet,
  text: string,
  path: string,
  visit: (m: RawMatch) => void,
  deadline = Infinity,
  now: () => number = Date.now,
  seen?: Uint8Array,
  runs?: CharRuns,
  pass?: KeywordPass,
): boolean {
  // A table made here is known to be zeroed; a caller's may hold keywords it marked beforehand.
  if (seen === undefined) return collectInto(rs, text, path, visit, deadline, now, new Uint8Array(rs.keywords.keywords.length), true, runs, pass);
  return collectInto(rs, text, path, visit, deadline, now, seen, false, runs, pass);
}

/** {@link collectMatches}; `zeroed` when no keyword is marked in `seen` yet. */
function collectInto(
  rs: CompiledRuleSet,
  text: string,
  path: string,
  visit: (m: RawMatch) => void,
  deadline: number,
  now: () => number,
  seen: Uint8Array,
  zeroed: boolean,
  runs: CharRuns | undefined,
  pass: KeywordPass | undefined,
): boolean {
  const plan = planOf(rs);
  const positions = plan.spare;
  plan.spare = undefined;
  // The list of marked ids, when it will list them all (else undefined: selectedRules reads `seen`).
  let ids: number[] | undefined;
  if (zeroed) {
    ids = plan.spareIds ?? [];
    plan.spareIds = undefined;
  }
  try {
    return runSelected(rs, plan, positions, text, path, visit, deadline, now, seen, runs, pass, ids);
  } finally {
    if (positions) {
      // Clear only what this call wrote, and hand the positions to the next call.
      const { at, touched } = positions;
      for (const id of touched!) at[id] = undefined;
      touched!.length = 0;
      plan.spare = positions;
    }
    if (ids !== undefined) {
      ids.length = 0;
      plan.spareIds = ids;
    }
  }
}

/** {@link collectMatches} with the plan and the anchor positions to fill (undefined for a nested call, which makes its own). */
function runSelected(
  rs: CompiledRuleSet,
  plan: ScanPlan,
  spare: KeywordPositions | undefined,
  text: string,
  path: string,
  visit: (m: RawMatch) => void,
  deadline: number,
  now: () => number,
  seen: Uint8Array,
  runs: CharRuns | undefined,
  pass: KeywordPass | undefined,
  ids: number[] | undefined,
): boolean {
  // Sized up front: keyword ids run past 1,024, and an empty array written there first turns into a slow dictionary.
  const positions: KeywordPositions | undefined = plan.anchored ? (spare ?? { want: plan.anchorWant, at: new Array<number[] | undefined>(plan.anchorWant.length) }) : undefined;
  let found =
    pass !== undefined ? rs.keywords.replay(pass, seen, positions, runs, ids) : seen.length > 0 || runs !== undefined ? rs.keywords.findAll(text, seen, positions, runs, ids) : 0;
  // Keywords a caller marked in `seen` beforehand select rules as if found here.
  if (found === 0 && ids === undefined && seen.indexOf(1) >= 0) found = 1;
  let checks = 0;
  const timed = deadline !== Infinity;
  const rules = rs.rules;
  const selected = selectedRules(plan, seen, found, ids);
  const byRuns = runs !== undefined && runs.member === BASE64_ALPHABET && runs.min === MIN_BASE64;
  for (let k = 0; k < selected.length; k++) {
    const chosen = rules[selected[k]!]!;
    // A built-in rule is compiled whole when first selected (see compile.ts readyRule).
    const rule = chosen.pending ? readyRule(chosen) : chosen;
    if (rule.pathRegex && !rule.pathRegex.test(path)) continue;
    // Also between rules: a rule without a match still reads the whole text.
    if (timed && now() > deadline) return false;
    let starts = positions && rule.anchorIds ? anchorStarts(rule, positions.at, text) : undefined;
    const runAnchor = byRuns ? rule.runAnchor : undefined;
    if (runAnchor !== undefined) {
      // Such a rule matches only at the end of a listed run: none listed, nothing to try.
      if (runs!.starts.length === 0) continue;
      // The runs' ends are worked out once (only the runs are read), and the decoding pass gets them too.
      starts = runAnchorStarts(runAnchor, text, runs!.starts, runEnds(text, runs!));
      if (starts.length * ANCHOR_COST > text.length) starts = undefined;
    }
    const re = starts ? ruleSticky(rule)! : ruleRegex(rule)!;
    let next = 0;
    let last = -1;
    re.lastIndex = 0;
    for (;;) {
      let m: RegExpExecArray | null;
      if (starts) {
        // Only where an anchor stands, from where the last match ended: the global regex's matches exactly.
        m = null;
        const from = re.lastIndex;
        while (next < starts.length) {
          const p = starts[next++]!;
          if (p < from || p === last) continue;
          last = p;
          re.lastIndex = p;
          m = re.exec(text);
          if (m !== null) break;
        }
        if (m === null) break;
      } else {
        m = re.exec(text);
        if (m === null) break;
      }
      if (m[0].length === 0) {
        re.lastIndex = m.index + 1;
        continue;
      }
      if ((++checks & 63) === 0 && now() > deadline) return false;
      let g = rule.secretGroup;
      if (rule.firstNonEmptyGroup) for (let k = 1; k < m.length; k++) if (m[k]) { g = k; break; }
      const span = m.indices?.[g];
      const secret = m[g];
      if (!span || secret === undefined || secret.length === 0) continue;
      visit({
        rule,
        secret,
        secretStart: span[0],
        secretEnd: span[1],
        matchStart: m.index,
        matchEnd: m.index + m[0].length,
        match: m[0],
      });
    }
  }
  return deadline === Infinity || now() <= deadline;
}

/**
 * Cuts a very long line (minified code) to a window around [start, end).
 * The window never cuts through an occurrence of `secret`, nor through any
 * of `spans` (line-relative [start, end) of the other candidates on the
 * line, sorted by start): redaction replaces whole occurrences, so a cut one
 * would print part of a secret raw.
 */
function windowed(line: string, start: number, end: number, secret: string, spans?: SortedSpans, base = 0): string {
  if (line.length <= 400) return line;
  let from = Math.max(0, start - 80);
  let to = Math.min(line.length, Math.max(end, start) + 80);
  if (secret.length > 0) {
    for (let i = line.indexOf(secret, Math.max(0, from - secret.length + 1)); i >= 0 && i < to; i = line.indexOf(secret, i + 1)) {
      if (i < from) from = i;
      if (i + secret.length > to) to = i + secret.length;
    }
  }
  [from, to] = widenPast(spans, from, to, base);
  from = Math.max(0, from);
  to = Math.min(line.length, to);
  [from, to] = trimCutWords(line, from, to, start, Math.max(end, start), spans, base);
  return (from > 0 ? "…" : "") + line.slice(from, to) + (to < line.length ? "…" : "");
}

/** Characters that end a word: where a window may be cut without cutting a token in two. */
const isSeparator = (c: number): boolean =>
  c === 32 || c === 9 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 40 || c === 41 || c === 123 || c === 125 || c === 91 || c === 93 || c === 60 || c === 62;

/**
 * Moves a window's cut ends inward out of the words they fall in: a cut
 * inside a token would print part of it, and should that token be a secret
 * the report knows from elsewhere (undetected on this line), redaction, which
 * recognises whole secrets only, would leave the part raw. Never past the
 * finding's own secret [start, end), nor into a candidate span.
 */
function trimCutWords(line: string, from: number, to: number, start: number, end: number, spans: SortedSpans | undefined, base: number): [number, number] {
  if (from > 0 && from < start && !isSeparator(line.charCodeAt(from - 1)) && !isSeparator(line.charCodeAt(from))) {
    let f = from;
    while (f < start && !isSeparator(line.charCodeAt(f))) f++;
    // Stop at a candidate starting in between: hiding its start would show the rest of it.
    if (spans) {
      const list = spans.list;
      const i = firstStartAtLeast(list, from + base);
      if (i < list.length && list[i]![0] - base < f) f = list[i]![0] - base;
    }
    from = f;
  }
  if (to < line.length && to > end && !isSeparator(line.charCodeAt(to - 1)) && !isSeparator(line.charCodeAt(to))) {
    let t = to;
    while (t > end && !isSeparator(line.charCodeAt(t - 1))) t--;
    if (spans) {
      // Spans ending in (t, to] start after t - longest.
      const list = spans.list;
      for (let i = firstStartAtLeast(list, t + base - spans.longest); i < list.length && list[i]![0] - base < to; i++) {
        const b = list[i]![1] - base;
        if (b > t && b <= to) t = b;
      }
    }
    to = t;
  }
  return [from, to];
}

/** Spans sorted by start, with the longest one's length (to start a search near a point). */
interface SortedSpans {
  list: ReadonlyArray<readonly [number, number]>;
  longest: number;
}

/** Sorts spans by start for {@link widenPast}. */
function sortSpans(spans: Array<readonly [number, number]>): SortedSpans {
  spans.sort((x, y) => x[0] - y[0]);
  let longest = 0;
  for (const [a, b] of spans) longest = Math.max(longest, b - a);
  return { list: spans, longest };
}

/** The first index of `list` (sorted by start) whose span starts at `x` or later. */
function firstStartAtLeast(list: ReadonlyArray<readonly [number, number]>, x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]![0] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Widens [from, to) until no span crosses either end; `base` is added to from and to to compare them with the spans. */
function widenPast(spans: SortedSpans | undefined, relFrom: number, relTo: number, base = 0): [number, number] {
  if (!spans) return [relFrom, relTo];
  let from = relFrom + base;
  let to = relTo + base;
  const list = spans.list;
  for (let changed = list.length > 0; changed; ) {
    changed = false;
    // Only spans starting after from - longest can reach past from.
    for (let i = firstStartAtLeast(list, from - spans.longest); i < list.length; i++) {
      const [a, b] = list[i]!;
      if (a >= to) break;
      if (a < from && b > from) (from = a), (changed = true);
      if (b > to) (to = b), (changed = true);
    }
  }
  return [from - base, to - base];
}

/**
 * The match, cut after 300 characters but never inside the secret nor inside
 * one of `spans` (match-relative, sorted by start; see {@link windowed}).
 */
function clippedMatch(m: RawMatch, spans?: SortedSpans, base = 0): string {
  if (m.match.length <= 300) return m.match;
  const end = widenPast(spans, 0, Math.max(300, m.secretEnd - m.matchStart), base)[1];
  return end >= m.match.length ? m.match : m.match.slice(0, end) + "…";
}

/**
 * Builds a finding from a raw match; `map` turns offsets in the scanned text
 * into offsets in the fragment's text (identity unless decoded).
 */
function toFinding(
  frag: Fragment,
  lines: LineIndex,
  m: RawMatch,
  spanStart: number,
  spanEnd: number,
  salt: string | undefined,
  encoding?: string,
): Finding {
  const offset = frag.lineOffset ?? 0;
  const a = lines.position(spanStart);
  const b = lines.position(Math.max(spanStart, spanEnd - 1));
  const line = a.line + offset;
  const rule = m.rule;
  const tags = [...rule.tags, ...(frag.tags ?? [])];
  let confidence = rule.confidence;
  if (isTestPath(frag.path)) {
    tags.push("test-file");
    confidence = LOWER[confidence];
  }
  // Canary awareness: an AWS access key id (recognised by its shape, whatever the rule) owned by a canary-token account is a tripwire.
  let title = rule.title;
  const canary = canaryOf(m.secret);
  if (canary) {
    tags.push("canary");
    title = `${rule.title} (${canary.note}; issuer ${canary.issuer}, account ${canary.account})`;
  }
  const lineRaw = lines.lineText(a.line);
  const f: Finding = {
    ruleId: rule.id,
    title,
    severity: rule.severity,
    confidence,
    file: frag.path,
    line,
    column: a.column,
    endLine: b.line + offset,
    endColumn: b.column + 1,
    secret: m.secret,
    match: clippedMatch(m),
    fingerprint: fingerprintOf(rule.id, m.secret, salt),
    location: `${frag.commit ? frag.commit.commit + ":" : ""}${frag.path}:${rule.id}:${line}`,
    entropy: Math.round(shannonEntropy(m.secret) * 1000) / 1000,
    tags: [...new Set(tags)],
    source: frag.source ?? "file",
    lineText: windowed(lineRaw, a.column - 1, a.line === b.line ? b.column : lineRaw.length, m.secret),
  };
  if (encoding) {
    f.encoding = encoding;
    // The decoders' forms outrun what redaction can recognise from the secret alone (joined literals, escapes).
    const form = frag.text.slice(spanStart, spanEnd);
    if (form !== m.secret) f.encodedSecret = form;
  }
  if (frag.commit) stampCommit(f, frag.commit);
  return f;
}

/** Gives `f` the fields of the commit it stands in (those `c` has). */
export function stampCommit(f: Finding, c: CommitInfo): void {
  f.commit = c.commit;
  if (c.author !== undefined) f.author = c.author;
  if (c.email !== undefined) f.email = c.email;
  if (c.date !== undefined) f.date = c.date;
  if (c.message !== undefined) f.message = c.message;
  if (c.pushed !== undefined) f.pushed = c.pushed;
}

/** Why a candidate is not reported as is. */
interface Verdict {
  reason: SuppressionReason;
  detail?: string;
  /** The config file of the allowlist that hit, if any. */
  origin?: string;
  /**
   * Set when only a heuristic rejected the candidate (not a user's allowlist,
   * marker or ignore entry): `"audit"` reports it in audit mode, `"weak"`
   * reports it always at low confidence (a weak password in a config file).
   */
  heuristic?: "audit" | "weak";
}

/** What the shared heuristics (entropy, validators, placeholder and generic filters) say about a candidate. */
function heuristicVerdict(frag: Fragment, m: RawMatch, f: Finding): Verdict | undefined {
  const rule = m.rule;
  if (rule.entropy > 0 && f.entropy < rule.entropy) {
    return { reason: "entropy", detail: `entropy ${f.entropy} < ${rule.entropy}`, heuristic: "audit" };
  }
  for (const [name, validate] of rule.validators) {
    if (!validate(m.secret)) return { reason: "validator", detail: name, heuristic: "audit" };
  }
  if (!rule.def.skipFilters) {
    const placeholder = placeholderReason(m.secret);
    // The key name, including the part before the rule's keyword (offsets of decoded matches are in their own view).
    const key = (f.encoding === undefined ? namePrefix(frag.text, m.matchStart) : "") + m.match.slice(0, m.secretStart - m.matchStart);
    const p = placeholder ?? (rule.generic ? genericReason(m.secret, frag.path, key) : undefined);
    if (p) {
      if (notAValue(p)) return { reason: "placeholder", detail: p };
      const weak = placeholder === undefined && rule.generic && weakPassword(m.secret, p, key, frag.path);
      return { reason: "placeholder", detail: p, heuristic: weak ? "weak" : "audit" };
    }
  }
  return undefined;
}

/**
 * Why a candidate must not be reported, or undefined to report it. In audit
 * mode a heuristic verdict is returned only after the user's own decisions
 * (inline markers, allowlists) had their say: those still suppress.
 */
function suppression(
  rs: CompiledRuleSet,
  frag: Fragment,
  lines: LineIndex,
  m: RawMatch,
  f: Finding,
  inlineCache: Map<number, boolean>,
  audit: boolean,
  inline: boolean,
): Verdict | undefined {
  const rule = m.rule;
  let heuristic = heuristicVerdict(frag, m, f);
  if (heuristic && (!heuristic.heuristic || (heuristic.heuristic === "audit" && !audit))) {
    // Dropped: outside audit mode a heuristic's verdict is final, as it always was.
    return heuristic.detail !== undefined ? { reason: heuristic.reason, detail: heuristic.detail } : { reason: heuristic.reason };
  }
  // Inline markers anywhere on the lines the match spans (memoised per line: minified
  // files put thousands of candidates on one long line).
  for (let l = f.line - (frag.lineOffset ?? 0); inline && l <= f.endLine - (frag.lineOffset ?? 0); l++) {
    let allowed = inlineCache.get(l);
    if (allowed === undefined) {
      allowed = INLINE_ALLOW.test(lines.lineText(l));
      inlineCache.set(l, allowed);
    }
    // The reason text after the marker is read only for lines that have one.
    if (allowed) return { reason: "inline-allow", detail: inlineAllowDetail(lines.lineText(l), m.secret)! };
  }
  const cand = {
    ruleId: rule.id,
    secret: m.secret,
    match: m.match,
    line: lines.lineText(f.line - (frag.lineOffset ?? 0)),
    path: frag.path,
    ...(frag.commit ? { commit: frag.commit.commit } : {}),
  };
  for (const al of rule.allowlists) {
    const hit = al.allows(cand);
    if (!hit) continue;
    const origin = al.origin !== undefined ? { origin: al.origin } : {};
    if (!hit.startsWith("stopword")) return { reason: "allowlist", detail: `${rule.id}: ${hit}`, ...origin };
    // A rule's own stopwords are a heuristic of the rule's author: audit mode reports them.
    if (!audit) return { reason: "stopword", detail: `${rule.id}: ${hit}`, ...origin };
    heuristic ??= { reason: "stopword", detail: `${rule.id}: ${hit}`, heuristic: "audit" };
  }
  for (const al of rs.globalAllowlists) {
    if (al.targetRules && !al.targetRules.has(rule.id)) continue;
    const hit = al.allows(cand);
    if (hit) {
      return { reason: hit.startsWith("stopword") ? "stopword" : "allowlist", detail: `${al.description ?? "global allowlist"}: ${hit}`, ...(al.origin !== undefined ? { origin: al.origin } : {}) };
    }
  }
  return heuristic;
}

/** The tag of an audit finding: `rejected:<reason>` (`entropy`, `placeholder`, `validator`, `stopword`); the detail is in auditReason. */
function auditTag(v: Verdict): string {
  return `rejected:${v.reason}`;
}

/** True when [line, endLine] touches one of the fragment's line ranges (or there are none). */
function inRanges(frag: Fragment, line: number, endLine: number): boolean {
  const ranges = frag.lineRanges;
  if (!ranges) return true;
  for (const [a, b] of ranges) if (line <= b && endLine >= a) return true;
  return false;
}

/**
 * A decoder: an extra pass over transformed views of the text (decoded
 * base64, hex, …). It gets the raw text and reports matches with their span
 * in the original text. Passed in {@link EngineOptions.decoders} (the
 * scanner passes engine/decode.ts's `DEFAULT_DECODERS`), never registered by
 * importing a module, so a scan's result depends only on its arguments.
 */
export type Decoder = (
  rs: CompiledRuleSet,
  text: string,
  path: string,
  emit: (m: RawMatch, spanStart: number, spanEnd: number, encoding: string) => void,
  context?: DecoderContext,
) => void;

/** What the direct pass already knows about the text, handed to each {@link Decoder}. */
export interface DecoderContext {
  /** seen[id] = 1 when keyword `id` of `rs.keywords` occurs in the text. */
  seen: Uint8Array;
  /**
   * The maximal runs of the base64/hex alphabet (letters, digits, `+ / - _`)
   * at least {@link MIN_BASE64} long in the text, as the keyword pass lists
   * them while it reads the text (the decoding pass's candidates, which it
   * would otherwise look for in a pass of its own); their ends once worked out.
   */
  base64Runs?: CharRuns;
}

/** Former name of {@link Decoder}. */
export type ExtraPass = Decoder;

/** Where a finding stands and what kind of rule made it, for {@link resolveOverlaps}. */
interface SpanInfo {
  start: number;
  end: number;
  /** Found in a decoded view (base64, escapes, …). */
  decoded: boolean;
  /** 0 = generic rule, 1 = container rule (see RuleDef.container), 2 = provider-specific rule. */
  rank: 0 | 1 | 2;
  /** Reported only because of audit mode. */
  audit: boolean;
  /** The container rule's context tag. */
  container?: string;
}

/** A rule's specificity: provider rules name a secret better than container rules, which beat generic ones. */
const rankOf = (rule: CompiledRule): 0 | 1 | 2 => (rule.generic ? 0 : rule.def.container ? 1 : 2);

/**
 * One report per secret: of two findings whose spans overlap, the most
 * specific wins. A finding the default scan reports beats an audit-only one;
 * a provider rule beats a container rule (a Kubernetes Secret's data value,
 * a Terraform state attribute), which beats a generic rule; at equal rank, a
 * direct finding beats one from a decoded view of the same text, and two direct
 * findings both stay. A provider finding that replaces a container finding
 * inherits the container's context tag (`kubernetes-secret`, …).
 */
function resolveOverlaps(findings: Finding[], meta: SpanInfo[]): Finding[] {
  if (findings.length < 2) return findings;
  const drop = new Uint8Array(findings.length);
  const order = findings.map((_, i) => i).sort((a, b) => meta[a]!.start - meta[b]!.start);
  const loses = (x: SpanInfo, y: SpanInfo): boolean =>
    x.audit !== y.audit ? x.audit : x.rank !== y.rank ? x.rank < y.rank : x.decoded && !y.decoded;
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi]!;
    const a = meta[i]!;
    for (let oj = oi + 1; oj < order.length; oj++) {
      const j = order[oj]!;
      const b = meta[j]!;
      if (b.start >= a.end) break;
      if (drop[i] || drop[j]) continue;
      const [loser, winner] = loses(a, b) ? [i, j] : loses(b, a) ? [j, i] : [-1, -1];
      if (loser < 0) continue;
      drop[loser] = 1;
      const ctx = meta[loser]!.container;
      const w = findings[winner]!;
      if (ctx && meta[winner]!.rank === 2 && !w.tags.includes(ctx)) w.tags.push(ctx);
    }
  }
  return findings.filter((_, i) => drop[i] === 0);
}

/**
 * Cuts again the lineText and match of candidates on long lines (or with long
 * matches) so that no cut falls inside another candidate's secret: a window
 * cut through a neighbour's secret would print the rest of it raw, since
 * redaction only recognises whole secrets.
 */
function recut(
  lines: LineIndex,
  cut: ReadonlyArray<{ f: Finding; m: RawMatch; start: number; end: number; decoded: boolean }>,
  all: SortedSpans,
): void {
  for (const { f, m, start, end, decoded } of cut) {
    const a = lines.position(start);
    const raw = lines.lineText(a.line);
    if (raw.length > 400) {
      const b = lines.position(Math.max(start, end - 1));
      f.lineText = windowed(raw, a.column - 1, a.line === b.line ? b.column : raw.length, m.secret, all, start - (a.column - 1));
    }
    // A decoded candidate's match is text of the decoded view, where the other spans do not apply.
    if (!decoded && m.match.length > 300) f.match = clippedMatch(m, all, m.matchStart);
  }
}

/** The order findings are reported in: by place, then rule id. */
const byPlace = (x: Finding, y: Finding): number => x.line - y.line || x.column - y.column || x.ruleId.localeCompare(y.ruleId);

/**
 * What one fragment's candidates become, made when its first candidate
 * appears: most texts (commit messages, most blobs) have none, and making
 * this state for each of them (two maps, five arrays, a line index) was a
 * large part of a short text's cost.
 */
class Candidates {
  private index: LineIndex | undefined;
  readonly findings: Finding[] = [];
  readonly suppressed: SuppressedFinding[] = [];
  /** One report per secret span: the most confident rule wins. */
  private readonly bySpan = new Map<string, number>();
  private readonly inlineCache = new Map<number, boolean>();
  /** Per finding: its span in the text and what kind of rule made it. */
  readonly meta: SpanInfo[] = [];
  /**
   * Every candidate's span, and the candidates whose lineText or match was cut: once all
   * are known, their cuts move past the other candidates' secrets (see recut()).
   */
  readonly spans: Array<readonly [number, number]> = [];
  readonly cut: Array<{ f: Finding; m: RawMatch; start: number; end: number; decoded: boolean }> = [];

  constructor(
    private readonly rs: CompiledRuleSet,
    private readonly frag: Fragment,
    private readonly salt: string | undefined,
    private readonly audit: boolean,
    private readonly inline: boolean,
  ) {}

  lines(): LineIndex {
    return (this.index ??= new LineIndex(this.frag.text));
  }

  consider(m: RawMatch, spanStart: number, spanEnd: number, encoding?: string): void {
    const { frag, findings, meta, bySpan } = this;
    const f = toFinding(frag, this.lines(), m, spanStart, spanEnd, this.salt, encoding);
    if (!inRanges(frag, f.line, f.endLine)) return;
    this.spans.push([spanStart, spanEnd]);
    if (m.match.length > 300 || (f.lineText !== undefined && (f.lineText.startsWith("…") || f.lineText.endsWith("…")))) {
      this.cut.push({ f, m, start: spanStart, end: spanEnd, decoded: encoding !== undefined });
    }
    const why = suppression(this.rs, frag, this.lines(), m, f, this.inlineCache, this.audit, this.inline);
    if (why && !why.heuristic) {
      const s: SuppressedFinding = { finding: f, reason: why.reason };
      if (why.detail !== undefined) s.detail = why.detail;
      if (why.origin !== undefined) s.origin = why.origin;
      this.suppressed.push(s);
      return;
    }
    if (why) {
      // A weak password, or audit mode: reported, at low confidence, saying why.
      f.confidence = "low";
      if (why.heuristic === "weak") f.tags.push("weak-password");
      else {
        f.auditReason = `${why.reason}${why.detail !== undefined ? ": " + why.detail : ""}`;
        f.tags.push(auditTag(why));
      }
    }
    const key = `${spanStart}:${m.secret}`;
    const prev = bySpan.get(key);
    const info: SpanInfo = { start: spanStart, end: spanEnd, decoded: encoding !== undefined, rank: rankOf(m.rule), audit: why?.heuristic === "audit" };
    if (m.rule.def.container) info.container = m.rule.def.container;
    if (prev !== undefined) {
      // Reported beats audit-only; a provider rule names the secret better than a
      // container or generic one; otherwise the more confident rule wins.
      const p = meta[prev]!;
      const better =
        p.audit !== info.audit ? p.audit : p.rank !== info.rank ? p.rank < info.rank : RANK[f.confidence] > RANK[findings[prev]!.confidence];
      const [winner, loser] = better ? [f, p] : [findings[prev]!, info];
      if (loser.container && (better ? info : p).rank === 2 && !winner.tags.includes(loser.container)) winner.tags.push(loser.container);
      if (!better) return;
      findings[prev] = f;
      meta[prev] = info;
      return;
    }
    bySpan.set(key, findings.length);
    findings.push(f);
    meta.push(info);
  }
}

/** Scans one fragment. */
export function scanFragment(rs: CompiledRuleSet, frag: Fragment, opts: EngineOptions = {}): EngineResult {
  const now = opts.now ?? Date.now;
  const deadline = opts.timeBudgetMs !== undefined ? now() + opts.timeBudgetMs : Infinity;
  const text = frag.text;
  const audit = opts.minConfidence === "low";
  let found: Candidates | undefined;
  const consider = (m: RawMatch, spanStart: number, spanEnd: number, encoding?: string): void =>
    (found ??= new Candidates(rs, frag, opts.salt, audit, opts.inlineAllow !== false)).consider(m, spanStart, spanEnd, encoding);

  // The plan's spare keyword table (zeroed), unless a nested scan holds it: allocating one per text was a fixed cost of every short text.
  const plan = planOf(rs);
  const k = rs.keywords.keywords.length;
  const seen = plan.spareSeen ?? new Uint8Array(k);
  plan.spareSeen = undefined;
  let ok: boolean;
  const decoders = opts.decoders;
  // With decoders to run, the keyword pass also lists the base64 runs the decoding pass starts from.
  const runs: CharRuns | undefined = decoders !== undefined && decoders.length > 0 ? { member: BASE64_ALPHABET, min: MIN_BASE64, starts: [] } : undefined;
  try {
    const marked = opts.seen?.length === k;
    if (marked) seen.set(opts.seen!);
    // A pass worked out beforehand lists the base64/hex runs, the very runs asked for here.
    ok = collectInto(rs, text, frag.path, (m) => consider(m, m.secretStart, m.secretEnd), deadline, now, seen, !marked, runs, opts.keywordPass);
    if (runs !== undefined) {
      // runs is there exactly when decoders are.
      const context: DecoderContext = { seen, base64Runs: runs };
      for (let d = 0; d < decoders!.length && ok; d++) {
        decoders![d]!(rs, text, frag.path, consider, context);
        ok = deadline === Infinity || now() <= deadline;
      }
    }
  } finally {
    seen.fill(0);
    plan.spareSeen = seen;
  }
  const suppressed = found?.suppressed ?? [];
  let kept: Finding[] = [];
  if (found !== undefined) {
    const { cut, spans } = found;
    if (cut.length > 0 && spans.length > 1) recut(found.lines(), cut, sortSpans(spans));
    kept = resolveOverlaps(found.findings, found.meta);
  }
  const min = opts.minConfidence;
  if (min === "medium" || min === "high") {
    const below = kept.filter((f) => RANK[f.confidence] < RANK[min]);
    for (const f of below) suppressed.push({ finding: f, reason: "confidence", detail: `confidence ${f.confidence} is below --min-confidence ${min}` });
    if (below.length > 0) kept = kept.filter((f) => RANK[f.confidence] >= RANK[min]);
  }
  if (kept.length > 1) kept.sort(byPlace);
  const out: EngineResult = { findings: kept, suppressed };
  if (!ok) out.timedOut = true;
  return out;
}
