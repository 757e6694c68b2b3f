/**
 * Go (RE2) regex syntax as gitleaks configs write it: translated to
 * JavaScript with the same meaning, or refused with a message that names the
 * problem. Asserts behaviour (what matches), not only the emitted source.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRuleRegex, compileTestRegex, translateRegex } from "../../src/engine/regex.js";

/** All matches of a Go-syntax pattern in `text` (whole match, or group 1). */
function all(pattern: string, text: string, group = 0): string[] {
  const re = compileRuleRegex(pattern);
  return [...text.matchAll(re)].map((m) => m[group] ?? "");
}
const test = (pattern: string, text: string): boolean => compileTestRegex(pattern).test(text);

// gitleaks' generic-api-key pattern (config/gitleaks.toml), verbatim apart from the TOML quoting.
const GENERIC =
  String.raw`(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})(?:[\x60'"\s;]|\\[nr]|$)`;

describe("RE2 flags", () => {
  it("a leading (?i) becomes the JS i flag", () => {
    expect(translateRegex("(?i)abc")).toEqual({ source: "abc", flags: "i" });
    expect(test("(?i)abc", "xABCx")).toBe(true);
  });

  it("(?-i:…) inside (?i) keeps its part case-sensitive (gitleaks generic-api-key)", () => {
    const tail = ` = "Zx81kq0Lm2Pq7Rt5"`;
    expect(all(GENERIC, `my_API_KEY${tail}`, 1)).toEqual(["Zx81kq0Lm2Pq7Rt5"]);
    expect(all(GENERIC, `SECRET${tail}`, 1)).toEqual(["Zx81kq0Lm2Pq7Rt5"]);
    // "Api" and "API" are allowed spellings, "aPI" is not (and no other keyword is in the name).
    expect(test(GENERIC.replace(/\(\?:access.*?token\)/, "(?:(?-i:[Aa]pi|API))"), `aPI${tail}`)).toBe(false);
    expect(all(`(?i)x(?-i:[Aa]pi|API)y`, "XApiY xapiy XAPIY XaPIY")).toEqual(["XApiY", "xapiy", "XAPIY"]);
  });

  it("scoped (?i:…) folds letters, classes and ranges only inside", () => {
    expect(all(`key(?i:[a-c]x)`, "keyBX keybx KEYbx keyDX")).toEqual(["keyBX", "keybx"]);
    expect(all(`(?i:[^a-z])`, "aZ1")).toEqual(["1"]);
  });

  it("a mid-pattern (?i) holds to the end of its group, across |", () => {
    expect(all(`(a(?i)b|c)d`, "aBd Cd cd aBD")).toEqual(["aBd", "Cd", "cd"]);
    expect(all(`abc(?i)def|ghi`, "abcDEF GHI ABCdef")).toEqual(["abcDEF", "GHI"]);
  });

  it("gitleaks default-config shapes: a flag switched on mid-group, (?-i:…) nested in (?i:…)", () => {
    // adobe-client-secret: the prefix is case-sensitive, the rest is not.
    const adobe = String.raw`\b(p8e-(?i)[a-z0-9]{32})(?:[\x60'"\s;]|\\[nr]|$)`;
    expect(test(adobe, "p8e-" + "AbCd".repeat(8) + " ")).toBe(true);
    expect(test(adobe, "P8E-" + "abcd".repeat(8) + " ")).toBe(false);
    // cisco-meraki-api-key: a case-insensitive context around a case-sensitive name.
    const meraki = String.raw`[\w.-]{0,50}?(?i:[\w.-]{0,50}?(?:(?-i:[Mm]eraki|MERAKI))(?:[ \t\w.-]{0,20})[\s'"]{0,3})(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([0-9a-f]{40})(?:[\x60'"\s;]|\\[nr]|$)`;
    const hex = "0123456789abcdef".repeat(3).slice(0, 40);
    expect(test(meraki, `MY_meraki_KEY = ${hex}`)).toBe(true);
    expect(test(meraki, `MERAKI_token: ${hex}`)).toBe(true);
    expect(test(meraki, `mERAKI = ${hex}`)).toBe(false);
  });

  it("(?s) makes . match newlines; without it . stops at \\n", () => {
    expect(test(`(?s)a.b`, "a\nb")).toBe(true);
    expect(test(`a.b`, "a\nb")).toBe(false);
    expect(test(`a(?s:.)b(.)`, "a\nbc")).toBe(true);
  });

  it("(?m) anchors at line boundaries, only where it holds", () => {
    expect(all(`(?m)^k=\\w+$`, "x\nk=1\nk=2")).toEqual(["k=1", "k=2"]);
    expect(all(`^k=\\w+$`, "x\nk=1\nk=2")).toEqual([]);
  });

  it("(?U) swaps greedy and lazy", () => {
    expect(all(`(?U)a+`, "aaa")).toEqual(["a", "a", "a"]);
    expect(all(`(?U)a+?`, "aaa")).toEqual(["aaa"]);
  });

  it("(?i-s) and unknown flags", () => {
    expect(test(`(?s)(?i-s:A.)`, "a\n")).toBe(false);
    expect(() => translateRegex("(?x)a b")).toThrow(/unknown flag "x"/);
  });
});

describe("RE2 escapes and classes", () => {
  it("\\z and \\A anchor the whole text", () => {
    expect(all(`tok_\\w+\\z`, "tok_a\ntok_b")).toEqual(["tok_b"]);
    expect(all(`\\Atok_\\w+`, "tok_a\ntok_b")).toEqual(["tok_a"]);
  });

  it("(?P<name>…) becomes a named group", () => {
    const re = compileRuleRegex(`key=(?P<secret>[0-9a-f]{8})`);
    expect(re.exec("key=deadbeef")?.groups?.secret).toBe("deadbeef");
  });

  it("POSIX classes, also negated when alone", () => {
    expect(all(`[[:alpha:]]+[[:digit:]]+`, "abc123 !!")).toEqual(["abc123"]);
    expect(all(`[[:^digit:]]+`, "12ab34")).toEqual(["ab"]);
    expect(() => translateRegex(`[x[:^digit:]]`)).toThrow(/negated POSIX class/);
    expect(() => translateRegex(`[[:nope:]]`)).toThrow(/unknown POSIX class \[:nope:\]/);
  });

  it("\\Q…\\E, \\x{…}, octal and \\a are literal characters", () => {
    expect(test(`\\Qa.b*\\E`, "a.b*")).toBe(true);
    expect(test(`\\Qa.b*\\E`, "axbb")).toBe(false);
    expect(all(`\\x{41}\\101`, "AA")).toEqual(["AA"]);
    expect(test(`(?i)\\x{41}`, "a")).toBe(true);
  });

  it("a ] first in a class is literal, as in RE2", () => {
    expect(all(`[]a]+`, "]a]b")).toEqual(["]a]"]);
    expect(all(`[^]a]+`, "]xy]")).toEqual(["xy"]);
  });

  it("a '-' next to a class escape is literal, as JavaScript reads it", () => {
    expect(all(`[\\w-.]+`, "a-b.c d")).toEqual(["a-b.c", "d"]);
    expect(all(`[a-\\d]+`, "a-1 b")).toEqual(["a-1"]);
  });

  it("refuses what JS would read differently, naming the problem", () => {
    expect(() => translateRegex(`\\pL+`)).toThrow(/Unicode classes \\p/);
    expect(() => translateRegex(`abc\\Z`)).toThrow(/\\Z is not RE2 syntax; use \\z/);
    expect(() => translateRegex(`\\q`)).toThrow(/unknown escape \\q/);
    expect(() => translateRegex(`(?P=name)`)).toThrow(/named backreferences/);
    expect(() => translateRegex(`a*+`)).toThrow(/possessive/);
    expect(() => translateRegex(`(ab`)).toThrow(/missing closing \)/);
    expect(() => translateRegex(`ab)`)).toThrow(/unmatched \)/);
    expect(() => translateRegex(`[ab`)).toThrow(/missing closing \]/);
    expect(() => translateRegex(`\\x{110000}`)).toThrow(/above/);
    expect(() => translateRegex(`(?i:[à-ÿ])x(?-i:y)`)).toThrow(/non-ASCII/);
  });

  it("leaves JS-only syntax alone (built-in rules are written in JS)", () => {
    expect(all(`(?<=key=)\\w+`, "key=abc")).toEqual(["abc"]);
    expect(all(`(['"])x\\1`, `'x' "x'`)).toEqual([`'x'`]);
    expect(translateRegex(`\\b(ghp_[A-Za-z0-9]{36})\\b`)).toEqual({ source: `\\b(ghp_[A-Za-z0-9]{36})\\b`, flags: "" });
  });
});

describe("explicit case folding agrees with the JS i flag", () => {
  // Folding is used when (?i) holds only in parts: compare it to the i flag on whole patterns.
  const atoms = ["a", "Z", "[a-f]", "[^x-z]", "[0-z]", "[A-Fa]", "\\x41", "\\w", "\\d", ".", "[_\\-]", "q", "[[:upper:]]", "\\.", "[\\x61-\\x63]"];
  const pattern = fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 5 }).map((xs) => xs.join(""));
  const input = fc.string({ unit: fc.constantFrom(..."aAbBzZxXqQ09_-.[]é"), maxLength: 12 });

  it("(?i:P) in a pattern that also has case-sensitive parts matches what /P/i matches", () => {
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        const folded = translateRegex(`(?i:${p})|\\uFFFF`);
        expect(folded.flags).toBe("");
        const js = new RegExp(translateRegex(p).source, "i");
        expect(new RegExp(folded.source).test(s)).toBe(js.test(s));
      }),
      { numRuns: 400 },
    );
  });
});
