/**
 * Keyword prefilter: an Aho-Corasick automaton compiled to a dense DFA over
 * ASCII, case-insensitive. One pass over a text tells which keywords occur, so a
 * rule's regex only runs on texts holding one of its keywords.
 *
 * Pure: strings in, keyword indexes out.
 */
import type { CharRuns } from "./char-runs.js";

const ALPHABET = 128;

/** Folds ASCII upper case to lower case; other codes unchanged. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code | 0x20 : code;
}

/**
 * A built automaton's tables, as stored by the build for the built-in keyword
 * set (building them is the largest start-up cost of a scan).
 */
export interface KeywordTables {
  width: number;
  classOf: Uint8Array;
  /** Pre-multiplied transitions, complemented where the target state holds output (see KeywordMatcher). */
  delta: Int32Array;
  hasOutput: Uint8Array;
  own: Int32Array;
  nextSame: Int32Array;
  dict: Int32Array;
}

/** Stands in for a deferred automaton's tables until they are loaded (one shape for every matcher). */
const NO_INTS = new Int32Array(0);
const NO_BYTES = new Uint8Array(0);

/**
 * A keyword pass over one text, recorded (see {@link KeywordMatcher.record}):
 * per keyword hit, ascending, the index of its last character and the state
 * it ends in; and the starts of the runs the pass listed. Exact-length arrays.
 */
export interface KeywordPass {
  ends: Int32Array;
  states: Int32Array;
  runs: Int32Array;
}

/** A growing list of 32-bit integers (a record being written). */
export class IntList {
  /** The room; the list is a[0, n). */
  a: Int32Array;
  n = 0;
  constructor(capacity = 64) {
    this.a = new Int32Array(capacity);
  }
  /** Appends `x`, doubling the room when it is full. */
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
}

/** Where {@link KeywordMatcher.record} writes. */
export interface PassBuilder {
  ends: IntList;
  states: IntList;
  runs: IntList;
}

/** A compiled keyword set. */
export class KeywordMatcher {
  readonly keywords: readonly string[];
  /**
   * delta[base + classOf[c]] = base of the next state, where base = state * width (pre-multiplied),
   * stored complemented (~base, negative) when a keyword ends in that state: the scan loop learns
   * "output here" from the value it loads anyway (a second table as large as this one cost a
   * cache miss per character).
   */
  private delta: Int32Array = NO_INTS;
  /** hasOutput[state] = 1 when a keyword ends in that state. */
  private hasOutput: Uint8Array = NO_BYTES;
  /** ASCII code → character class: the characters keywords use get their own class, all others share 0. */
  private classOf: Uint8Array = NO_BYTES;
  /** Number of character classes (row width of delta). */
  private width = 1;
  /** First keyword id ending exactly in each state (-1: none); more through {@link nextSame}. */
  private own: Int32Array = NO_INTS;
  /** Next keyword id ending in the same state as this one (-1: none). */
  private nextSame: Int32Array = NO_INTS;
  /** Nearest state on the failure chain where a keyword ends (-1: none): the dictionary link. */
  private dict: Int32Array = NO_INTS;
  /** Where a deferred automaton's tables come from, until its first use (see the constructor). */
  private load: (() => KeywordTables | undefined) | undefined;

  /**
   * Builds the automaton for `keywords`; or, given `stored`, sets it up on
   * first use: it adopts the tables `stored` returns when they fit these
   * keywords (stored by the build for exactly them) and builds otherwise
   * (the pre-commit hook compiles its rules while git runs, and the stored
   * tables, read on another thread meanwhile, are taken only once git has
   * answered).
   */
  constructor(keywords: readonly string[], stored?: () => KeywordTables | undefined) {
    this.keywords = keywords;
    if (stored) this.load = stored;
    else this.adopt(buildTables(keywords));
  }

  /** Sets up a deferred matcher (see the constructor); cheap once done. */
  private ready(): void {
    const load = this.load;
    if (load === undefined) return;
    let tables: KeywordTables | undefined;
    try {
      tables = load();
      if (tables) checkTables(this.keywords, tables);
    } catch {
      // Damaged or stale tables: building is always correct.
      tables = undefined;
    }
    this.adopt(tables ?? buildTables(this.keywords));
    // Only once the tables are in: a build that throws throws again on the next use, where an
    // empty matcher would find no keyword in any text, silently.
    this.load = undefined;
  }

  /** Takes `t` (built here, or checked to fit) as this matcher's tables. */
  private adopt(t: KeywordTables): void {
    this.width = t.width;
    this.classOf = t.classOf;
    this.delta = t.delta;
    this.hasOutput = t.hasOutput;
    this.own = t.own;
    this.nextSame = t.nextSame;
    this.dict = t.dict;
  }

  /** The tables, for storing (see {@link KeywordTables}). */
  tables(): KeywordTables {
    this.ready();
    return { width: this.width, classOf: this.classOf, delta: this.delta, hasOutput: this.hasOutput, own: this.own, nextSame: this.nextSame, dict: this.dict };
  }

  /**
   * Adds `by` to `counts[id]` for every keyword ending in the state whose
   * pre-multiplied base is `base` (occurrence counts, for a caller that keeps
   * them up to date as lines come and go). `base` comes from walking
   * {@link tables}, which set the matcher up.
   */
  countBase(base: number, counts: Int32Array, by: number): void {
    for (let st = base / this.width; st >= 0; st = this.dict[st]!) {
      for (let id = this.own[st]!; id >= 0; id = this.nextSame[id]!) counts[id] = counts[id]! + by;
    }
  }

  /**
   * Marks in `seen` (indexed by keyword id) every keyword that occurs in `text`.
   * Returns how many distinct keywords were found. With `positions`, also
   * lists where each keyword whose `positions.want` entry is 1 starts
   * (ascending, overlapping occurrences included). With `runs`, also lists
   * where the runs of its character set start (see {@link CharRuns}). With
   * `ids`, also appends each keyword id it marks in `seen` (those that were 0).
   */
  findAll(text: string, seen: Uint8Array, positions?: KeywordPositions, runs?: CharRuns, ids?: number[]): number {
    this.ready();
    if (runs !== undefined) return this.findAllAndRuns(text, seen, positions, runs, ids);
    const delta = this.delta;
    const classOf = this.classOf;
    const width = this.width;
    let found = 0;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const c = text.charCodeAt(i);
      s = c < ALPHABET ? delta[s + classOf[c]!]! : 0;
      if (s < 0) {
        s = ~s;
        found += this.mark(s / width, i, seen, positions, ids);
      }
    }
    return found;
  }

  /**
   * {@link findAll} that also lists the runs `runs` asks for, in the same
   * pass: the character is in a register already, and the extra work (a
   * table lookup, a mask) hides beside the automaton's dependent loads, where
   * a pass of its own read the whole text again (the decoding pass's run
   * finder cost about two thirds of the automaton). A separate loop, so
   * that plain calls keep the smaller one.
   */
  private findAllAndRuns(text: string, seen: Uint8Array, positions: KeywordPositions | undefined, runs: CharRuns, ids: number[] | undefined): number {
    const delta = this.delta;
    const classOf = this.classOf;
    const width = this.width;
    const member = runs.member;
    const min = runs.min;
    const starts = runs.starts;
    let found = 0;
    let s = 0;
    // Length of the run of members ending here (a count past `min` only grows: one push per run).
    let run = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c < ALPHABET) {
        s = delta[s + classOf[c]!]!;
        run = (run + 1) & -member[c]!;
        if (run === min) starts.push(i + 1 - min);
      } else {
        s = 0;
        run = 0;
      }
      if (s < 0) {
        s = ~s;
        found += this.mark(s / width, i, seen, positions, ids);
      }
    }
    return found;
  }

  /**
   * True when character `code` sends the automaton back to its root and ends
   * any run of `member`: no keyword holds it, and it is not a member. After
   * such a character the pass starts afresh, so what it finds past it
   * depends only on the text past it (see {@link record}).
   */
  resetsAt(code: number, member: Uint8Array): boolean {
    this.ready();
    return code < ALPHABET && this.classOf[code] === 0 && member[code] === 0;
  }

  /**
   * The keyword pass over text[from, to), from the root state (as after a
   * character {@link resetsAt} names), recorded instead of applied: each
   * keyword hit (the index of its last character and the state it ends in) and
   * each run of `member` at least `min` long (its start), appended to `out` in
   * the order {@link findAll} meets them. {@link replay} then does what
   * findAll would have done; records of adjoining parts of a text, each
   * starting after a reset, joined in order are the record of the whole.
   */
  record(text: string, from: number, to: number, member: Uint8Array, min: number, out: PassBuilder): void {
    this.ready();
    const delta = this.delta;
    const classOf = this.classOf;
    const width = this.width;
    let s = 0;
    let run = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < ALPHABET) {
        s = delta[s + classOf[c]!]!;
        run = (run + 1) & -member[c]!;
        if (run === min) out.runs.push(i + 1 - min);
      } else {
        s = 0;
        run = 0;
      }
      if (s < 0) {
        s = ~s;
        out.ends.push(i);
        out.states.push(s / width);
      }
    }
  }

  /**
   * Does what {@link findAll} does on the text `rec` was recorded from (see
   * {@link record}): marks `seen`, fills `positions` and lists the runs in
   * `runs` (which must ask for the runs recorded), and appends to `ids`, in
   * the same order; returns how many distinct keywords were new.
   */
  replay(rec: KeywordPass, seen: Uint8Array, positions: KeywordPositions | undefined, runs: CharRuns | undefined, ids?: number[]): number {
    this.ready();
    let found = 0;
    const { ends, states } = rec;
    for (let k = 0; k < ends.length; k++) found += this.mark(states[k]!, ends[k]!, seen, positions, ids);
    if (runs !== undefined) {
      const starts = runs.starts;
      const r = rec.runs;
      for (let k = 0; k < r.length; k++) starts.push(r[k]!);
    }
    return found;
  }

  /** Marks the keywords ending at `end` in `state` (its own, then along dictionary links), listing the new ones in `ids`; returns how many were new. */
  private mark(state: number, end: number, seen: Uint8Array, positions: KeywordPositions | undefined, ids: number[] | undefined): number {
    let found = 0;
    for (let st = state; st >= 0; st = this.dict[st]!) {
      for (let id = this.own[st]!; id >= 0; id = this.nextSame[id]!) {
        if (seen[id] === 0) {
          seen[id] = 1;
          found++;
          if (ids !== undefined) ids.push(id);
        }
        if (positions !== undefined && positions.want[id] === 1) {
          const start = end + 1 - this.keywords[id]!.length;
          const list = positions.at[id];
          if (list === undefined) {
            positions.at[id] = [start];
            positions.touched?.push(id);
          } else list.push(start);
        }
      }
    }
    return found;
  }
}

/** Builds the automaton's tables for `keywords`. */
function buildTables(keywords: readonly string[]): KeywordTables {
  // A compact alphabet: only the characters keywords use are told apart, which
  // makes the table several times smaller (cheaper to build at every hook
  // start-up, and kinder to the cache while scanning).
  const classOf = new Uint8Array(ALPHABET);
  let width = 1;
  for (const kw of keywords) {
    for (let i = 0; i < kw.length; i++) {
      const c = fold(kw.charCodeAt(i));
      if (c >= ALPHABET) throw new Error(`keyword "${kw}" is not ASCII`);
      if (classOf[c] === 0) classOf[c] = width++;
    }
  }
  for (let c = 65; c <= 90; c++) classOf[c] = classOf[c | 0x20]!;
  // The trie, as a flat transition table (-1 = no edge). Outputs are kept as
  // linked lists in typed arrays (no per-state arrays): building this runs at
  // every hook start-up, where allocating thousands of small arrays showed.
  const maxStates = keywords.reduce((n, k) => n + k.length, 0) + 1;
  const delta = new Int32Array(maxStates * width).fill(-1);
  const own = new Int32Array(maxStates).fill(-1);
  const nextSame = new Int32Array(keywords.length).fill(-1);
  let n = 1;
  for (let id = 0; id < keywords.length; id++) {
    const kw = keywords[id]!;
    let s = 0;
    for (let i = 0; i < kw.length; i++) {
      const k = s * width + classOf[kw.charCodeAt(i)]!;
      let next = delta[k]!;
      if (next < 0) {
        next = n++;
        delta[k] = next;
      }
      s = next;
    }
    nextSame[id] = own[s]!;
    own[s] = id;
  }
  // Class 0 (characters no keyword uses) always leads back to the root.
  for (let st = 0; st < n; st++) delta[st * width] = 0;
  // Breadth-first failure links, folded into a full DFA in place; each
  // state's dictionary link points at the nearest suffix state with output.
  const fail = new Int32Array(n);
  const dict = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let qn = 0;
  for (let c = 1; c < width; c++) {
    const t = delta[c]!;
    if (t < 0) delta[c] = 0;
    else queue[qn++] = t;
  }
  for (let qi = 0; qi < qn; qi++) {
    const st = queue[qi]!;
    const f = fail[st]!;
    if (st !== 0 && f !== st) dict[st] = own[f]! >= 0 ? f : dict[f]!;
    const base = st * width;
    const fbase = f * width;
    for (let c = 1; c < width; c++) {
      const t = delta[base + c]!;
      if (t >= 0) {
        fail[t] = delta[fbase + c]!;
        queue[qn++] = t;
      } else {
        delta[base + c] = delta[fbase + c]!;
      }
    }
  }
  const hasOutput = new Uint8Array(n);
  for (let st = 0; st < n; st++) hasOutput[st] = own[st]! >= 0 || dict[st]! >= 0 ? 1 : 0;
  // Pre-multiply targets so the hot loop does one add and one load per character; complement those with output.
  const dfa = delta.subarray(0, n * width);
  for (let i = 0; i < dfa.length; i++) {
    const t = dfa[i]!;
    dfa[i] = hasOutput[t] === 1 ? ~(t * width) : t * width;
  }
  return { width, classOf, delta: dfa, hasOutput, own: own.subarray(0, n), nextSame, dict };
}

/** Where {@link KeywordMatcher.findAll} lists keyword starts: `want[id]` = 1 for the keywords to list, `at[id]` their starts. */
export interface KeywordPositions {
  want: Uint8Array;
  at: Array<number[] | undefined>;
  /** When given, receives each id whose `at` entry was created (so a caller reusing `at` can clear just those). */
  touched?: number[];
}

/** Throws unless `t` has the shape an automaton for `keywords` must have (a damaged file is refused, not trusted). */
function checkTables(keywords: readonly string[], t: KeywordTables): void {
  const states = t.own.length;
  const ok =
    Number.isInteger(t.width) &&
    t.width >= 1 &&
    t.classOf.length === ALPHABET &&
    t.delta.length === states * t.width &&
    t.hasOutput.length === states &&
    t.dict.length === states &&
    t.nextSame.length === keywords.length &&
    states <= keywords.reduce((n, k) => n + k.length, 0) + 1;
  if (!ok) throw new Error("stored keyword tables do not fit the keyword set");
  // Shapes only, in constant time: the tables ship with the package like its
  // code, written and verified by the build (verifyKeywordTables); reading every
  // entry here cost the hook more than a tenth of its start-up.
}

/**
 * Throws unless the tables are sound for `keywords`: every link in range, and
 * every keyword, read on its own, ends in a state that reports it. The build
 * runs it on the tables it stores.
 */
export function verifyKeywordTables(keywords: readonly string[], t: KeywordTables): void {
  checkTables(keywords, t);
  const states = t.own.length;
  for (let i = 0; i < states; i++) {
    if (t.own[i]! < -1 || t.own[i]! >= keywords.length || t.dict[i]! < -1 || t.dict[i]! >= states) throw new Error("stored keyword tables are damaged");
  }
  for (let i = 0; i < keywords.length; i++) {
    if (t.nextSame[i]! < -1 || t.nextSame[i]! >= keywords.length) throw new Error("stored keyword tables are damaged");
  }
  for (let i = 0; i < t.delta.length; i++) {
    const v = t.delta[i]!;
    const base = v < 0 ? ~v : v;
    if (base >= states * t.width || base % t.width !== 0) throw new Error("stored keyword tables are damaged");
    // Complemented exactly where the target state holds output.
    if ((v < 0) !== (t.hasOutput[base / t.width] === 1)) throw new Error("stored keyword tables are damaged");
  }
  for (let id = 0; id < keywords.length; id++) {
    const kw = keywords[id]!;
    let s = 0;
    for (let i = 0; i < kw.length; i++) {
      const c = kw.charCodeAt(i);
      s = c < ALPHABET ? t.delta[s + t.classOf[c]!]! : 0;
      if (s < 0) s = ~s;
    }
    let reported = false;
    for (let st = s / t.width; st >= 0 && !reported; st = t.dict[st]!) {
      for (let k = t.own[st]!; k >= 0; k = t.nextSame[k]!) if (k === id) reported = true;
    }
    if (!reported) throw new Error(`stored keyword tables miss "${kw}"`);
  }
}
