/**
 * Rule regexes: JavaScript source, with the Go (RE2) syntax that gitleaks
 * configurations use translated, or refused with a message naming what is
 * not supported. Never silently mis-read. Pure.
 *
 * The translator is one pass over the pattern that keeps the RE2 flag state
 * (`i`, `s`, `m`, `U`) per group, the way RE2 scopes it: a flag group
 * `(?i)` holds until the end of the group it stands in (across `|`), a scoped
 * `(?i:…)` / `(?-i:…)` only inside. Each atom is emitted for the flags that
 * hold where it stands: `.` under `s` becomes `[\s\S]`, `^`/`$` under `m`
 * become line lookarounds, letters and classes under a *local* `i` are
 * folded into `[aA]` forms. When `i` holds for the whole pattern the JS `i`
 * flag is used instead. The result needs no JS flags other than `i`.
 */
import { LeakguardError } from "../errors.js";

/**
 * The reason from a JS regex syntax error, without the echoed pattern:
 * "Invalid regular expression: /PATTERN/dg: Unterminated group" becomes
 * "Unterminated group". The pattern can hold a literal secret (an allowlisted
 * key), and errors must not print one; the message already names the rule.
 */
export function regexErrorReason(e: Error): string {
  return e.message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, "").replace(/^Invalid regular expression: /, "");
}

/** Thrown for a regex that cannot be compiled; `message` names the problem. */
export class RegexSyntaxError extends LeakguardError {
  constructor(message: string) {
    super(message);
    this.name = "RegexSyntaxError";
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "A-Za-z0-9",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: " \\t",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: " \\t\\r\\n\\v\\f",
  upper: "A-Z",
  word: "A-Za-z0-9_",
  xdigit: "0-9A-Fa-f",
};

/** Result of translating a Go/JS regex source. */
export interface TranslatedRegex {
  source: string;
  flags: string;
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  U: boolean;
}

/** Letter escapes that mean the same in RE2 and JavaScript (payload handled separately). */
const SAME_ESCAPES = new Set(["d", "D", "w", "W", "s", "S", "b", "B", "n", "r", "t", "f", "v"]);

const isLetter = (c: string): boolean => c.toLowerCase() !== c.toUpperCase();

/** One character (code unit sequence) as a class member, escaped when needed. */
function classChar(c: string): string {
  return /[\\\]\[^-]/.test(c) ? "\\" + c : c;
}

/** A literal character outside a class, escaped when needed. */
function literal(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? "\\" + c : c;
}

/** `[cC]` for a letter with two single-unit cases, else the literal. */
function foldChar(c: string): string {
  const lo = c.toLowerCase();
  const up = c.toUpperCase();
  if (lo === up || lo.length !== 1 || up.length !== 1) return literal(c);
  return `[${classChar(lo)}${classChar(up)}]`;
}

/** Reads an escape at `src[i] === "\\"`; returns [payload after the backslash, next index]. */
function readEscape(src: string, i: number, where: string): [string, number] {
  const n = src[i + 1];
  if (n === undefined) throw new RegexSyntaxError("trailing backslash at the end of the pattern");
  if (n === "x") {
    if (src[i + 2] === "{") {
      const end = src.indexOf("}", i + 3);
      if (end < 0) throw new RegexSyntaxError(`unterminated \\x{…}${where ? " " + where : ""}`);
      return [src.slice(i + 1, end + 1), end + 1];
    }
    return [src.slice(i + 1, i + 4), i + 4];
  }
  if (n === "u") {
    if (src[i + 2] === "{") {
      const end = src.indexOf("}", i + 3);
      return [src.slice(i + 1, end + 1), end + 1];
    }
    return [src.slice(i + 1, i + 6), i + 6];
  }
  if (n === "c") return [src.slice(i + 1, i + 3), i + 3];
  if (n === "k" && src[i + 2] === "<") {
    const end = src.indexOf(">", i + 3);
    if (end < 0) throw new RegexSyntaxError("unterminated \\k<name>");
    return [src.slice(i + 1, end + 1), end + 1];
  }
  if (n === "p" || n === "P") {
    throw new RegexSyntaxError(`Unicode classes \\${n}{…} are not supported in rule regexes${where ? " " + where : ""}; use an explicit class like [A-Za-z]`);
  }
  if (/[0-7]/.test(n)) {
    // RE2: \0 and multi-digit escapes are octal; JS: \N is a backreference. Keep
    // JS meaning for a single digit (JS-syntax rules may use backreferences).
    const m = /^[0-7]{1,3}/.exec(src.slice(i + 1))![0];
    return [m, i + 1 + m.length];
  }
  return [n, i + 2];
}

/** Translates an escape payload (see readEscape) to JS; `inClass` for class context. */
function escapeToJs(p: string, inClass: boolean, ci: boolean, fold: boolean): string {
  const c = p[0]!;
  if (p.length === 1) {
    if (c === "z") {
      if (inClass) throw new RegexSyntaxError("\\z inside a character class");
      return "(?![\\s\\S])";
    }
    if (c === "A") {
      if (inClass) throw new RegexSyntaxError("\\A inside a character class");
      return "(?<![\\s\\S])";
    }
    if (c === "a") return "\\x07";
    if (c === "C") throw new RegexSyntaxError("\\C (any byte) is not supported");
    if (c === "Z") throw new RegexSyntaxError("\\Z is not RE2 syntax; use \\z for the end of the text");
    if (SAME_ESCAPES.has(c)) {
      if (inClass && c === "b") return "\\x08";
      return "\\" + c;
    }
    if (/[0-7]/.test(c)) return "\\" + c;
    if (/[A-Za-z]/.test(c)) throw new RegexSyntaxError(`unknown escape \\${c}`);
    // Identity escape of a punctuation character.
    return "\\" + c;
  }
  if (c === "x" && p[1] === "{") {
    const code = parseInt(p.slice(2, -1), 16);
    if (!Number.isFinite(code) || code > 0xffff) throw new RegexSyntaxError(`\\${p}: code points above \\x{FFFF} are not supported`);
    return fromCode(code, inClass, ci, fold);
  }
  if (c === "x" || c === "u" || c === "c" || c === "k") {
    if (c === "x" && !/^x[0-9A-Fa-f]{2}$/.test(p)) throw new RegexSyntaxError(`bad escape \\${p}`);
    if (c === "u" && p[1] === "{") throw new RegexSyntaxError(`\\${p} needs the Unicode flag; use \\uHHHH`);
    if (fold && ci && c === "x") return fromCode(parseInt(p.slice(1), 16), inClass, ci, fold);
    return "\\" + p;
  }
  if (/^[0-7]+$/.test(p)) {
    // Multi-digit octal (RE2): a character code.
    return fromCode(parseInt(p, 8), inClass, ci, fold);
  }
  return "\\" + p;
}

/** A character given by code, escaped, folded when needed. */
function fromCode(code: number, inClass: boolean, ci: boolean, fold: boolean): string {
  const ch = String.fromCharCode(code);
  if (fold && ci && isLetter(ch)) return inClass ? classChar(ch.toLowerCase()) + classChar(ch.toUpperCase()) : foldChar(ch);
  const hex = "\\u" + code.toString(16).padStart(4, "0");
  return hex;
}

/** Adds the other-case counterparts of an ASCII range [lo, hi]. */
function foldRange(lo: number, hi: number): string {
  let extra = "";
  const a = Math.max(lo, 0x61);
  const b = Math.min(hi, 0x7a);
  if (a <= b) extra += `${String.fromCharCode(a - 32)}-${String.fromCharCode(b - 32)}`;
  const A = Math.max(lo, 0x41);
  const B = Math.min(hi, 0x5a);
  if (A <= B) extra += `${String.fromCharCode(A + 32)}-${String.fromCharCode(B + 32)}`;
  return extra;
}

/** The code of a single class member (literal char or simple escape), or undefined for sets like \w. */
function memberCode(src: string, i: number): [number | undefined, number] {
  const c = src[i]!;
  if (c !== "\\") return [c.charCodeAt(0), i + 1];
  const [p, next] = readEscape(src, i, "in a character class");
  if (p.length === 1) {
    const map: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, a: 7 };
    if (map[p] !== undefined) return [map[p], next];
    if (/[A-Za-z0-9]/.test(p)) return [undefined, next];
    return [p.charCodeAt(0), next];
  }
  if (p[0] === "x" && p[1] === "{") return [parseInt(p.slice(2, -1), 16), next];
  if (p[0] === "x" || p[0] === "u") return [parseInt(p.slice(1), 16), next];
  if (/^[0-7]+$/.test(p)) return [parseInt(p, 8), next];
  return [undefined, next];
}

/** Translates a character class starting at `src[start] === "["`; returns [js, next index]. */
function translateClass(src: string, start: number, ci: boolean, fold: boolean): [string, number] {
  let i = start + 1;
  let out = "[";
  if (src[i] === "^") {
    out += "^";
    i++;
  }
  let first = true;
  for (;;) {
    if (i >= src.length) throw new RegexSyntaxError("missing closing ] of a character class");
    const c = src[i]!;
    if (c === "]" && !first) return [out + "]", i + 1];
    first = false;
    if (c === "[" && src[i + 1] === ":") {
      const end = src.indexOf(":]", i + 2);
      if (end > 0) {
        let name = src.slice(i + 2, end);
        const neg = name.startsWith("^");
        if (neg) name = name.slice(1);
        let cls = POSIX_CLASSES[name];
        if (!cls) throw new RegexSyntaxError(`unknown POSIX class [:${name}:]`);
        // Under (?i) the one-case classes match both cases.
        if (fold && ci && (name === "upper" || name === "lower")) cls = "A-Za-z";
        if (neg) {
          // Only a class holding nothing but the negated POSIX class can be written in JS.
          if (out === "[" && src[end + 2] === "]") return [`[^${cls}]`, end + 3];
          throw new RegexSyntaxError(`negated POSIX class [:^${name}:] mixed with other members is not supported`);
        }
        out += cls;
        i = end + 2;
        continue;
      }
    }
    // A member, maybe the start of a range.
    const [lo, afterLo] = memberCode(src, i);
    const loText = c === "\\" ? escapeToJs(readEscape(src, i, "in a character class")[0], true, false, false) : classChar(c);
    if (src[afterLo] === "-" && src[afterLo + 1] !== "]" && afterLo + 1 < src.length) {
      const [hi, afterHi] = memberCode(src, afterLo + 1);
      if (lo === undefined || hi === undefined) {
        // `[\w-.]`: RE2 refuses it, JavaScript reads a literal '-'; keep the JS reading for JS-syntax rules.
        out += loText + "\\-";
        i = afterLo + 1;
        continue;
      }
      if (hi < lo) throw new RegexSyntaxError(`bad class range ${String.fromCharCode(lo)}-${String.fromCharCode(hi)}`);
      const hiText =
        src[afterLo + 1] === "\\" ? escapeToJs(readEscape(src, afterLo + 1, "in a character class")[0], true, false, false) : classChar(src[afterLo + 1]!);
      out += `${loText}-${hiText}`;
      if (fold && ci) {
        for (let k = Math.max(lo, 0x80); k <= Math.min(hi, 0xffff); k++) {
          if (isLetter(String.fromCharCode(k))) throw new RegexSyntaxError("case-insensitive ranges of non-ASCII letters are not supported");
        }
        out += foldRange(lo, Math.min(hi, 0x7f));
      }
      i = afterHi;
      continue;
    }
    out += loText;
    if (fold && ci && lo !== undefined) {
      const ch = String.fromCharCode(lo);
      if (isLetter(ch)) {
        const other = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
        if (other.length === 1) out += classChar(other);
      }
    }
    i = afterLo;
  }
}

/**
 * Translates RE2 syntax to JavaScript: flag groups `(?i)`, `(?s)`, `(?m)`,
 * `(?U)` anywhere (scoped by group, as RE2 does), scoped `(?i:…)` and
 * `(?-i:…)`, `(?P<name>…)`, `\z`, `\A`, `\Q…\E`, `\x{…}`, octal escapes and
 * POSIX classes. Refuses what JS cannot express the same way.
 */
export function translateRegex(input: string): TranslatedRegex {
  const probe = emit(input, true);
  // When every atom stands under `i` (a leading `(?i)` and no `-i`), use the
  // JS flag: shorter and faster than folded classes.
  if (probe.ciStates.size === 1 && probe.ciStates.has(true)) return { source: emit(input, false).source, flags: "i" };
  return { source: probe.source, flags: "" };
}

/** One pass; `fold` emits case-folded atoms for `i`, else plain atoms. */
function emit(src: string, fold: boolean): { source: string; ciStates: Set<boolean> } {
  const ciStates = new Set<boolean>();
  let state: Flags = { i: false, s: false, m: false, U: false };
  const stack: Flags[] = [];
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\\") {
      if (src[i + 1] === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        ciStates.add(state.i);
        for (const ch of lit) out += fold && state.i ? foldChar(ch) : literal(ch);
        i = end < 0 ? src.length : end + 2;
        continue;
      }
      if (src[i + 1] === "E") {
        i += 2; // a stray \E is ignored by RE2
        continue;
      }
      const [p, next] = readEscape(src, i, "");
      ciStates.add(state.i);
      out += escapeToJs(p, false, state.i, fold);
      i = next;
      continue;
    }
    if (c === "[") {
      ciStates.add(state.i);
      const [cls, next] = translateClass(src, i, state.i, fold);
      out += cls;
      i = next;
      continue;
    }
    if (c === "(") {
      if (src[i + 1] !== "?") {
        stack.push(state);
        out += "(";
        i++;
        continue;
      }
      const rest = src.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        stack.push(state);
        out += `(?<${named[1]}>`;
        i += named[0].length;
        continue;
      }
      const look = /^\(\?(?:[:=!]|<[=!])/.exec(rest);
      if (look) {
        stack.push(state);
        out += look[0];
        i += look[0].length;
        continue;
      }
      const fm = /^\(\?([A-Za-z]*)(?:-([A-Za-z]*))?([:)])/.exec(rest);
      if (fm) {
        const next: Flags = { ...state };
        for (const [letters, on] of [
          [fm[1] ?? "", true],
          [fm[2] ?? "", false],
        ] as const) {
          for (const f of letters) {
            if (f !== "i" && f !== "s" && f !== "m" && f !== "U") throw new RegexSyntaxError(`unknown flag "${f}" in ${fm[0]}`);
            next[f] = on;
          }
        }
        if (fm[3] === ")") {
          // (?flags): holds until the end of the enclosing group.
          state = next;
        } else {
          stack.push(state);
          state = next;
          out += "(?:";
        }
        i += fm[0].length;
        continue;
      }
      if (/^\(\?P=/.test(rest)) throw new RegexSyntaxError("named backreferences (?P=name) are not supported");
      throw new RegexSyntaxError(`unsupported group syntax ${rest.slice(0, 4)}…`);
    }
    if (c === ")") {
      const prev = stack.pop();
      if (prev === undefined) throw new RegexSyntaxError("unmatched )");
      state = prev;
      out += ")";
      i++;
      continue;
    }
    if (c === ".") {
      out += state.s ? "[\\s\\S]" : ".";
      i++;
      continue;
    }
    if (c === "^") {
      out += state.m ? "(?<![^\\n])" : "^";
      i++;
      continue;
    }
    if (c === "$") {
      out += state.m ? "(?![^\\n])" : "$";
      i++;
      continue;
    }
    if (c === "*" || c === "+" || c === "?" || c === "{") {
      let q = c;
      let j = i + 1;
      if (c === "{") {
        const m = /^\{\d+(?:,\d*)?\}/.exec(src.slice(i));
        if (!m) {
          // Not a repetition: a literal brace (as in RE2 and JS).
          out += "\\{";
          i++;
          continue;
        }
        q = m[0];
        j = i + q.length;
      }
      const lazy = src[j] === "?";
      if (lazy) j++;
      if (src[j] === "+" && c !== "+") {
        // x*+ is a possessive quantifier elsewhere, invalid in RE2.
        throw new RegexSyntaxError(`possessive or doubled quantifier ${src.slice(i, j + 1)} is not supported`);
      }
      out += q + (lazy !== state.U ? "?" : "");
      i = j;
      continue;
    }
    if (c === "|") {
      out += "|";
      i++;
      continue;
    }
    ciStates.add(state.i);
    out += fold && state.i ? foldChar(c) : c === "/" ? "\\/" : c;
    i++;
  }
  if (stack.length > 0) throw new RegexSyntaxError("missing closing )");
  return { source: out, ciStates };
}

/**
 * Compiles a rule regex (Go or JS syntax) with the `g` and `d` flags added.
 * Throws {@link RegexSyntaxError} with a readable message.
 */
export function compileRuleRegex(input: string): RegExp {
  const { source, flags } = translateRegex(input);
  try {
    return new RegExp(source, flags + "gd");
  } catch (e) {
    throw new RegexSyntaxError(regexErrorReason(e as Error));
  }
}

/** Compiles an allowlist regex (no `g`: used with `test`). */
export function compileTestRegex(input: string): RegExp {
  const { source, flags } = translateRegex(input);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new RegexSyntaxError(regexErrorReason(e as Error));
  }
}

/**
 * Number of capture groups in a compiled regex, counted from its source
 * (compiling every rule's regex just to count groups would cost start-up time).
 */
export function captureGroupCount(re: RegExp): number {
  const src = re.source;
  let n = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") {
      if (src[i + 1] !== "?") n++;
      else if (src[i + 2] === "<" && src[i + 3] !== "=" && src[i + 3] !== "!") n++;
    }
  }
  return n;
}
