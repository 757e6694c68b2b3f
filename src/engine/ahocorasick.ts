/**
 * Keyword prefilter: an Aho-Corasick automaton compiled to a dense DFA over
 * ASCII, case-insensitive. One pass over a text tells which keywords occur, so a
 * rule's regex only runs on texts holding one of its keywords.
 *
 * Pure: strings in, keyword indexes out.
 */

const ALPHABET = 128;

/** Folds ASCII upper case to lower case; other codes unchanged. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code | 0x20 : code;
}

/** A compiled keyword set. */
export class KeywordMatcher {
  readonly keywords: readonly string[];
  /** delta[base + classOf[c]] = base of the next state, where base = state * width (pre-multiplied). */
  private readonly delta: Int32Array;
  /** hasOutput[state] = 1 when a keyword ends in that state. */
  private readonly hasOutput: Uint8Array;
  /** ASCII code → character class: the characters keywords use get their own class, all others share 0. */
  private readonly classOf: Uint8Array;
  /** Number of character classes (row width of delta). */
  private readonly width: number;
  /** For each state, the keyword ids ending there (through output links). */
  private readonly outputs: Int32Array[];

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
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
    // The trie, as a flat transition table (-1 = no edge).
    const maxStates = keywords.reduce((n, k) => n + k.length, 0) + 1;
    const delta = new Int32Array(maxStates * width).fill(-1);
    const out: number[][] = [[]];
    let n = 1;
    keywords.forEach((kw, id) => {
      let s = 0;
      for (let i = 0; i < kw.length; i++) {
        const k = s * width + classOf[kw.charCodeAt(i)]!;
        let next = delta[k]!;
        if (next < 0) {
          next = n++;
          out.push([]);
          delta[k] = next;
        }
        s = next;
      }
      out[s]!.push(id);
    });
    // Class 0 (characters no keyword uses) always leads back to the root.
    for (let st = 0; st < n; st++) delta[st * width] = 0;
    // Breadth-first failure links, folded into a full DFA in place.
    const fail = new Int32Array(n);
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
      if (out[f]!.length > 0) out[st]!.push(...out[f]!);
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
    // Pre-multiply targets so the hot loop does one add and one load per character.
    const dfa = delta.subarray(0, n * width);
    for (let i = 0; i < dfa.length; i++) dfa[i] = dfa[i]! * width;
    this.delta = dfa;
    this.classOf = classOf;
    this.width = width;
    this.outputs = out.map((o) => Int32Array.from(new Set(o)));
    this.hasOutput = Uint8Array.from(this.outputs, (o) => (o.length > 0 ? 1 : 0));
  }

  /**
   * Marks in `seen` (indexed by keyword id) every keyword that occurs in `text`.
   * Returns how many distinct keywords were found.
   */
  findAll(text: string, seen: Uint8Array): number {
    const delta = this.delta;
    const hasOutput = this.hasOutput;
    const classOf = this.classOf;
    const width = this.width;
    let found = 0;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const c = text.charCodeAt(i);
      s = c < ALPHABET ? delta[s + classOf[c]!]! : 0;
      if (hasOutput[s / width] === 1) found += this.mark(s / width, seen);
    }
    return found;
  }

  /** Marks the keywords ending in `state`; returns how many were new. */
  private mark(state: number, seen: Uint8Array): number {
    const o = this.outputs[state]!;
    let found = 0;
    for (let k = 0; k < o.length; k++) {
      const id = o[k]!;
      if (seen[id] === 0) {
        seen[id] = 1;
        found++;
      }
    }
    return found;
  }
}
