/**
 * A fast static check for regexes that backtrack catastrophically, run on
 * every regex a configuration brings (rule regexes and paths, allowlist
 * regexes and paths) before anything is scanned. Pure: a pattern in, a
 * reason out. Linear in the pattern's length (plus its nesting), so the
 * pre-commit hook can afford it; it is deliberately conservative, and the
 * scan's watchdog (src/watchdog.ts) stops what it lets through.
 *
 * Refused (each is a one-line rewrite away from a safe pattern):
 * 1. **Nested repetition whose iterations can run into each other**: a group
 *    repeated more than once whose own length varies, where one iteration can
 *    end with a character the next can start with, and either the outer or an
 *    inner repetition is unbounded: `(a+)+`, `(a*)*`, `(\w+\s?)*`,
 *    `(?:a+|b)+`, `(a|ab)*`, `(?:[a-z]{1,5})+`. Exponential.
 * 2. **Repeated alternatives that can match the same text**: inside a
 *    repetition, `(?:x(?:a|a)y)+` or `(?:x(?:\w+|\d+)y)*`. Exponential.
 * 3. **Two unbounded repetitions in a row over shared characters**, with only
 *    optional parts between them: `\d+\d+`, `.*.*=`, `\w+_?\w+`,
 *    `[a-z]*\w*`. Polynomial of degree 2 or more per start position: on a
 *    plain run of letters (minified code, base64) a 3 000-character line
 *    takes seconds.
 *
 * Accepted: everything else, notably one unbounded repetition (`\w+@`),
 * unbounded repetitions separated by a required part (`[\w.-]+\.[a-z]+`),
 * bounded repetitions of anything (`(?:[a-z]{1,5}){1,3}`), repetitions whose
 * iterations are separated (`(?:[a-z0-9]+\.)+`, `(?:\s*,\s*\w+)*`) and
 * alternatives that differ early (`(?:ab|ac)+`). Some of those are still
 * quadratic on hostile input (`[a-z]+@` on a long run of letters): the time
 * budget and its watchdog cover them.
 */
import { quantifierOf } from "./regex-syntax.js";

/** A set of UTF-16 code units: the ASCII ones one by one, anything above as one bucket. */
class CharSet {
  constructor(
    readonly lo: Uint32Array = new Uint32Array(4),
    public high = false,
  ) {}
  static of(...codes: number[]): CharSet {
    const s = new CharSet();
    for (const c of codes) s.add(c);
    return s;
  }
  static range(a: number, b: number): CharSet {
    const s = new CharSet();
    s.addRange(a, b);
    return s;
  }
  add(c: number): void {
    if (c < 128) this.lo[c >> 5]! |= 1 << (c & 31);
    else this.high = true;
  }
  addRange(a: number, b: number): void {
    for (let c = a; c <= Math.min(b, 127); c++) this.add(c);
    if (b >= 128) this.high = true;
  }
  union(o: CharSet): CharSet {
    const s = new CharSet(new Uint32Array(this.lo), this.high || o.high);
    for (let i = 0; i < 4; i++) s.lo[i]! |= o.lo[i]!;
    return s;
  }
  complement(): CharSet {
    const s = new CharSet(new Uint32Array(4), true);
    for (let i = 0; i < 4; i++) s.lo[i] = ~this.lo[i]! >>> 0;
    return s;
  }
  intersects(o: CharSet): boolean {
    if (this.high && o.high) return true;
    for (let i = 0; i < 4; i++) if ((this.lo[i]! & o.lo[i]!) !== 0) return true;
    return false;
  }
  /** Adds the other case of every ASCII letter (the `i` flag). */
  folded(): CharSet {
    const s = new CharSet(new Uint32Array(this.lo), this.high);
    for (let c = 65; c <= 90; c++) {
      if (this.has(c)) s.add(c + 32);
      if (this.has(c + 32)) s.add(c);
    }
    return s;
  }
  private has(c: number): boolean {
    return (this.lo[c >> 5]! & (1 << (c & 31))) !== 0;
  }
}

const EMPTY = new CharSet();
const DIGIT = CharSet.range(48, 57);
const WORD = CharSet.range(48, 57).union(CharSet.range(65, 90)).union(CharSet.range(97, 122)).union(CharSet.of(95));
// \s: ASCII white space plus (in the high bucket) the Unicode spaces.
const SPACE = CharSet.of(9, 10, 11, 12, 13, 32).union(new CharSet(new Uint32Array(4), true));
const DOT = CharSet.of(10, 13).complement();
const ANY = EMPTY.complement();

/** The parsed pattern. */
type Node =
  | { t: "char"; set: CharSet }
  /** Zero-width: anchors, \b, lookarounds (their body is checked on its own). */
  | { t: "empty"; look?: Node }
  /** A backreference: length unknown, any characters. */
  | { t: "backref" }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; branches: Node[] }
  | { t: "rep"; body: Node; min: number; max: number };

/** Parses JavaScript regex syntax (what translateRegex emits) into {@link Node}s. */
class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly ci: boolean,
  ) {}

  parse(): Node {
    const n = this.alternation();
    if (this.i < this.src.length) throw new Error(`unexpected ${this.src[this.i]}`);
    return n;
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { t: "alt", branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const atom = this.quantified(this.atom());
      // A plain group's items join the sequence, so `(?:a\d+)\d+` shows its two neighbours.
      if (atom.t === "seq") items.push(...atom.items);
      else items.push(atom);
    }
    return items.length === 1 ? items[0]! : { t: "seq", items };
  }

  private quantified(atom: Node): Node {
    for (;;) {
      // A lazy quantifier has the same worst case; a `{` that opens none is a character (atom()).
      const q = quantifierOf(this.src, this.i);
      if (q === undefined || q.end === this.i) return atom;
      this.i = q.end;
      atom = { t: "rep", body: atom, min: q.min, max: q.max };
    }
  }

  private set(s: CharSet): Node {
    return { t: "char", set: this.ci ? s.folded() : s };
  }

  private atom(): Node {
    const c = this.src[this.i]!;
    if (c === "(") {
      this.i++;
      let look = false;
      const rest = this.src.slice(this.i, this.i + 3);
      if (rest.startsWith("?:")) this.i += 2;
      else if (rest.startsWith("?=") || rest.startsWith("?!")) (this.i += 2), (look = true);
      else if (rest.startsWith("?<=") || rest.startsWith("?<!")) (this.i += 3), (look = true);
      else if (rest.startsWith("?<")) this.i = this.src.indexOf(">", this.i) + 1;
      const body = this.alternation();
      if (this.src[this.i] !== ")") throw new Error("missing )");
      this.i++;
      return look ? { t: "empty", look: body } : body;
    }
    if (c === "[") return this.set(this.cls());
    if (c === ".") return this.i++, this.set(DOT);
    if (c === "^" || c === "$") return this.i++, { t: "empty" };
    if (c === "\\") return this.escape();
    this.i++;
    return this.set(CharSet.of(c.charCodeAt(0)));
  }

  /** An escape outside a class. */
  private escape(): Node {
    const n = this.src[this.i + 1] ?? "";
    if (n === "b" || n === "B") return (this.i += 2), { t: "empty" };
    if (/[1-9]/.test(n)) {
      this.i += 1 + /^\d+/.exec(this.src.slice(this.i + 1))![0].length;
      return { t: "backref" };
    }
    if (n === "k" && this.src[this.i + 2] === "<") {
      this.i = this.src.indexOf(">", this.i) + 1;
      return { t: "backref" };
    }
    return this.set(this.escapeSet());
  }

  /** The characters of an escape at `i` (inside or outside a class); advances past it. */
  private escapeSet(): CharSet {
    const n = this.src[this.i + 1] ?? "";
    this.i += 2;
    switch (n) {
      case "d":
        return DIGIT;
      case "D":
        return DIGIT.complement();
      case "w":
        return WORD;
      case "W":
        return WORD.complement();
      case "s":
        return SPACE;
      case "S":
        return SPACE.complement();
      case "n":
        return CharSet.of(10);
      case "r":
        return CharSet.of(13);
      case "t":
        return CharSet.of(9);
      case "f":
        return CharSet.of(12);
      case "v":
        return CharSet.of(11);
      case "0":
        return CharSet.of(0);
      case "b":
        return CharSet.of(8); // inside a class only
      case "c":
        this.i++;
        return CharSet.of(this.src.charCodeAt(this.i - 1) % 32);
      case "x": {
        const code = parseInt(this.src.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return CharSet.of(code);
      }
      case "u": {
        const code = parseInt(this.src.slice(this.i, this.i + 4), 16);
        this.i += 4;
        return CharSet.of(code);
      }
      default:
        return CharSet.of(n.charCodeAt(0));
    }
  }

  /** A class `[...]`; leaves `i` after the `]`. */
  private cls(): CharSet {
    this.i++;
    const negated = this.src[this.i] === "^";
    if (negated) this.i++;
    let s = new CharSet();
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== "]" || first)) {
      first = false;
      const [lo, loSet] = this.member();
      if (this.src[this.i] === "-" && this.src[this.i + 1] !== "]" && this.i + 1 < this.src.length && lo !== undefined) {
        this.i++;
        const [hi, hiSet] = this.member();
        if (hi !== undefined) s.addRange(lo, hi);
        else s = s.union(CharSet.of(lo, 45)).union(hiSet);
      } else s = s.union(loSet);
    }
    if (this.src[this.i] !== "]") throw new Error("missing ]");
    this.i++;
    return negated ? s.complement() : s;
  }

  /** One class member: its code when it is a single character, and its set. */
  private member(): [number | undefined, CharSet] {
    if (this.src[this.i] === "\\") {
      const n = this.src[this.i + 1] ?? "";
      const set = this.escapeSet();
      return [/[dDwWsS]/.test(n) ? undefined : firstCode(set), set];
    }
    const code = this.src.charCodeAt(this.i++);
    return [code, CharSet.of(code)];
  }
}

/** The one code in a single-character set (ASCII), or 128 for the high bucket. */
function firstCode(s: CharSet): number | undefined {
  for (let c = 0; c < 128; c++) if (s.intersects(CharSet.of(c))) return c;
  return s.high ? 128 : undefined;
}

// ---- properties of a node ----

function nullable(n: Node): boolean {
  switch (n.t) {
    case "char":
      return false;
    case "empty":
    case "backref":
      return true;
    case "seq":
      return n.items.every(nullable);
    case "alt":
      return n.branches.some(nullable);
    case "rep":
      return n.min === 0 || nullable(n.body);
  }
}

/** Characters a match can start with. */
function first(n: Node): CharSet {
  switch (n.t) {
    case "char":
      return n.set;
    case "empty":
      return EMPTY;
    case "backref":
      return ANY;
    case "seq": {
      let s = EMPTY;
      for (const it of n.items) {
        s = s.union(first(it));
        if (!nullable(it)) break;
      }
      return s;
    }
    case "alt":
      return n.branches.reduce((s, b) => s.union(first(b)), EMPTY);
    case "rep":
      return n.max === 0 ? EMPTY : first(n.body);
  }
}

/** Characters a match can end with. */
function last(n: Node): CharSet {
  if (n.t === "seq") {
    let s = EMPTY;
    for (let k = n.items.length - 1; k >= 0; k--) {
      s = s.union(last(n.items[k]!));
      if (!nullable(n.items[k]!)) break;
    }
    return s;
  }
  if (n.t === "alt") return n.branches.reduce((s, b) => s.union(last(b)), EMPTY);
  if (n.t === "rep") return n.max === 0 ? EMPTY : last(n.body);
  return first(n);
}

/** True when the node holds a repetition whose count varies (or a backreference): it can give characters to its neighbours. */
function hasVariableRep(n: Node): boolean {
  switch (n.t) {
    case "seq":
      return n.items.some(hasVariableRep);
    case "alt":
      return n.branches.some(hasVariableRep);
    case "rep":
      return n.min !== n.max || hasVariableRep(n.body);
    case "backref":
      return true;
    default:
      return false;
  }
}

function hasUnbounded(n: Node): boolean {
  switch (n.t) {
    case "seq":
      return n.items.some(hasUnbounded);
    case "alt":
      return n.branches.some(hasUnbounded);
    case "rep":
      return n.max === Infinity || hasUnbounded(n.body);
    case "backref":
      return true;
    default:
      return false;
  }
}

/** The fixed-width characters of a branch, or undefined when its width varies. */
function fixedChars(n: Node): CharSet[] | undefined {
  if (n.t === "char") return [n.set];
  if (n.t === "empty") return [];
  if (n.t === "seq") {
    const out: CharSet[] = [];
    for (const it of n.items) {
      const f = fixedChars(it);
      if (!f) return undefined;
      out.push(...f);
    }
    return out;
  }
  if (n.t === "rep" && n.min === n.max && n.max <= 16) {
    const f = fixedChars(n.body);
    if (!f) return undefined;
    return Array.from({ length: n.max }, () => f).flat();
  }
  return undefined;
}

/** True when two alternatives could match the same text (or one a prefix of the other's). */
function mayOverlap(a: Node, b: Node): boolean {
  if (!first(a).intersects(first(b)) && !nullable(a) && !nullable(b)) return false;
  const fa = fixedChars(a);
  const fb = fixedChars(b);
  if (fa && fb) {
    for (let k = 0; k < Math.min(fa.length, fb.length); k++) if (!fa[k]!.intersects(fb[k]!)) return false;
  }
  return true;
}

/** The reasons, naming the construct (the pattern itself may hold a secret, so it is not quoted). */
const NESTED = "a repeated group whose own length varies, where one repetition can end with a character the next can start with (like (a+)+ or (\\w+\\s?)*): exponential backtracking";
const AMBIGUOUS = "repeated alternatives that can match the same text (like (a|a)* or (\\w+|\\d+)+): exponential backtracking";
const ADJACENT = "two unbounded repetitions in a row that can take the same characters (like \\d+\\d+ or .*.*=): polynomial backtracking";

/** Walks the tree; returns the first hazard found. `inRep`: inside a repetition of more than one. */
function hazard(n: Node, inRep: boolean): string | undefined {
  switch (n.t) {
    case "char":
    case "backref":
      return undefined;
    case "empty":
      return n.look ? hazard(n.look, false) : undefined;
    case "alt": {
      if (inRep) {
        for (let a = 0; a < n.branches.length; a++) {
          for (let b = a + 1; b < n.branches.length; b++) if (mayOverlap(n.branches[a]!, n.branches[b]!)) return AMBIGUOUS;
        }
      }
      for (const b of n.branches) {
        const h = hazard(b, inRep);
        if (h) return h;
      }
      return undefined;
    }
    case "rep": {
      const repeats = n.max > 1;
      const body = n.body;
      if (repeats && hasVariableRep(body) && (n.max === Infinity || hasUnbounded(body)) && last(body).intersects(first(body))) return NESTED;
      return hazard(body, inRep || repeats);
    }
    case "seq": {
      const items = n.items;
      for (let k = 0; k < items.length; k++) {
        const q = items[k]!;
        if (q.t !== "rep" || q.max !== Infinity) continue;
        // The first repetition can end on a character the second can start with: where one stops is ambiguous.
        const end = last(q.body);
        for (let j = k + 1; j < items.length; j++) {
          const x = items[j]!;
          if (x.t === "rep" && x.max === Infinity) {
            if (first(x.body).intersects(end)) return ADJACENT;
            break;
          }
          // Optional parts keep the two in reach; a required part between them is left to the watchdog.
          if (nullable(x)) continue;
          break;
        }
      }
      for (const it of items) {
        const h = hazard(it, inRep);
        if (h) return h;
      }
      return undefined;
    }
  }
}

/**
 * Why a JavaScript regex (source and flags, as translateRegex gives them)
 * can backtrack catastrophically, or undefined when the check finds nothing.
 * A pattern it cannot parse is left to the regex compiler to report.
 */
export function backtrackingHazard(source: string, flags = ""): string | undefined {
  let tree: Node;
  try {
    tree = new Parser(source, flags.includes("i")).parse();
  } catch {
    return undefined;
  }
  return hazard(tree, false);
}
