/**
 * The keyword automaton against the obvious definition: a keyword is found
 * when the lower-cased text contains it. Small alphabets make keywords that
 * are suffixes and prefixes of each other (the output and dictionary links).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeywordMatcher } from "../../src/engine/ahocorasick.js";
import { builtinRules } from "../../src/ruleset/builtin.js";

const naive = (keywords: readonly string[], text: string): number[] => {
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return keywords.map((k) => (lower.includes(k.toLowerCase()) ? 1 : 0));
};

describe("KeywordMatcher", () => {
  it("finds exactly the keywords a plain substring search finds", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "A", "c", "_"), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12, selector: (w) => w.toLowerCase() }), fc.string({ unit: fc.constantFrom("a", "b", "B", "c", "_", "x", "é"), maxLength: 60 }), (keywords, text) => {
        const m = new KeywordMatcher(keywords);
        const seen = new Uint8Array(keywords.length);
        const found = m.findAll(text, seen);
        const want = naive(keywords, text);
        expect([...seen]).toEqual(want);
        expect(found).toBe(want.reduce((a, b) => a + b, 0));
      }),
      { seed: 1206, numRuns: 400 },
    );
  });

  it("agrees with substring search on the built-in keyword set", () => {
    const keywords = [...new Set(builtinRules().flatMap((r) => r.keywords ?? []).map((k) => k.toLowerCase()))];
    const m = new KeywordMatcher(keywords);
    const text = "export GITHUB_TOKEN=1; password: x; api_key=2; Bearer z; -----BEGIN RSA PRIVATE KEY-----; xoxb-; sk_live_; AKIA";
    const seen = new Uint8Array(keywords.length);
    m.findAll(text, seen);
    expect([...seen]).toEqual(naive(keywords, text));
    expect(seen.reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
  });
});
