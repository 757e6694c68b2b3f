/**
 * Rule regexes: JavaScript source, with the Go (RE2) syntax that gitleaks
 * configurations use translated, or refused with a message naming what is
 * not supported. Never silently mis-read. Pure.
 */

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
export class RegexSyntaxError extends Error {
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

/**
 * Translates RE2 syntax to JavaScript: leading flag groups `(?i)`, `(?s)`, `(?m)`,
 * `(?P<name>`, `\z`, `\A`, `\Q…\E`, POSIX classes, and scoped flag groups
 * `(?i:…)` (expanded to case-insensitive character classes).
 */
export function translateRegex(input: string): TranslatedRegex {
  let src = input;
  const flags = new Set<string>();
  // Leading global flag groups such as (?i) or (?is).
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) {
      if (f === "U") throw new RegexSyntaxError("the (?U) ungreedy flag has no JavaScript equivalent");
      flags.add(f);
    }
    src = src.slice(m[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) throw new RegexSyntaxError("trailing backslash");
      if (n === "z") {
        out += "(?![\\s\\S])";
        i++;
        continue;
      }
      if (n === "A") {
        out += "(?<![\\s\\S])";
        i++;
        continue;
      }
      if (n === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (n === "C") throw new RegexSyntaxError("\\C (any byte) is not supported");
      if (n === "p" || n === "P") throw new RegexSyntaxError("Unicode classes \\p{…} are not supported in rule regexes");
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") {
        const end = src.indexOf(":]", i + 2);
        if (end > 0) {
          let name = src.slice(i + 2, end);
          const neg = name.startsWith("^");
          if (neg) name = name.slice(1);
          const cls = POSIX_CLASSES[name];
          if (!cls) throw new RegexSyntaxError(`unknown POSIX class [:${name}:]`);
          if (neg) throw new RegexSyntaxError(`negated POSIX class [:^${name}:] is not supported`);
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") {
        out += "^";
        i++;
      }
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      if (src[i + 2] === "P" && src[i + 3] === "<") {
        out += "(?<";
        i += 3;
        continue;
      }
      const fm = /^\(\?([imsU-]+)(:|\))/.exec(src.slice(i));
      if (fm) {
        if (fm[2] === ")") {
          throw new RegexSyntaxError(`flag group ${fm[0]} in the middle of a pattern is not supported; move it to the start or use (?${fm[1]}:…)`);
        }
        if (fm[1] === "i") {
          // Scoped case-insensitivity: expand letters in the group to [aA] classes.
          const close = findGroupEnd(src, i);
          const inner = translateRegex(src.slice(i + fm[0].length, close)).source;
          out += "(?:" + caseFold(inner) + ")";
          i = close;
          continue;
        }
        throw new RegexSyntaxError(`scoped flag group (?${fm[1]}:…) is not supported`);
      }
    }
    out += c;
  }
  if (flags.has("m")) flags.delete("m"), flags.add("m");
  return { source: out, flags: [...flags].join("") };
}

/** Index of the `)` closing the group opened at `open`. */
function findGroupEnd(src: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < src.length; i++) {
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
    else if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new RegexSyntaxError("unbalanced parenthesis");
}

/** Makes ASCII letters outside escapes match both cases. */
function caseFold(src: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      out += c + (src[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "(" && src[i + 1] === "?" && src[i + 2] === "<" && src[i + 3] !== "=" && src[i + 3] !== "!") {
      const end = src.indexOf(">", i);
      out += src.slice(i, end + 1);
      i = end;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      else if (/[a-zA-Z]/.test(c) && src[i + 1] !== "-" && src[i - 1] !== "-") {
        out += c.toLowerCase() + c.toUpperCase();
        continue;
      } else if (/[a-z]/.test(c) && src[i + 1] === "-" && /[a-z]/.test(src[i + 2] ?? "")) {
        out += `${c}-${src[i + 2]}${c.toUpperCase()}-${src[i + 2]!.toUpperCase()}`;
        i += 2;
        continue;
      } else if (/[A-Z]/.test(c) && src[i + 1] === "-" && /[A-Z]/.test(src[i + 2] ?? "")) {
        out += `${c}-${src[i + 2]}${c.toLowerCase()}-${src[i + 2]!.toLowerCase()}`;
        i += 2;
        continue;
      }
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      continue;
    }
    if (/[a-zA-Z]/.test(c) && !/\{\d*,?\d*$/.test(out)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      continue;
    }
    out += c;
  }
  return out;
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
