/**
 * The keyword automaton against the obvious definition: a keyword is found
 * when the lower-cased text contains it. Small alphabets make keywords that
 * are suffixes and prefixes of each other (the output and dictionary links).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildSparseTables, KeywordMatcher, type KeywordPositions } from "../../src/engine/ahocorasick.js";
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

/** What a matcher finds in `text`: the count, the keywords seen, and every keyword's starts. */
const everything = (m: KeywordMatcher, text: string): unknown => {
  const seen = new Uint8Array(m.keywords.length);
  const positions: KeywordPositions = { want: new Uint8Array(m.keywords.length).fill(1), at: [] };
  const found = m.findAll(text, seen, positions);
  return [found, [...seen], positions.at];
};

describe("KeywordMatcher on the sparse form (the pre-commit hook's)", () => {
  it("finds what the dense automaton finds: the same keywords, count and starts", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "A", "c", "_"), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12, selector: (w) => w.toLowerCase() }), fc.string({ unit: fc.constantFrom("a", "b", "B", "c", "_", "x", "é"), maxLength: 60 }), (keywords, text) => {
        const sparse = KeywordMatcher.sparse(keywords, buildSparseTables(keywords), () => undefined);
        expect(everything(sparse, text)).toEqual(everything(new KeywordMatcher(keywords), text));
      }),
      { seed: 1207, numRuns: 400 },
    );
  });

  it("on the built-in keyword set, and after a long text, when it has taken the dense tables", () => {
    const keywords = [...new Set(builtinRules().flatMap((r) => r.keywords ?? []).map((k) => k.toLowerCase()))];
    const dense = new KeywordMatcher(keywords);
    let asked = 0;
    const sparse = KeywordMatcher.sparse(keywords, buildSparseTables(keywords), () => (asked++, dense.tables()));
    const text = "export GITHUB_TOKEN=1; password: x; api_key=2; Bearer z; -----BEGIN RSA PRIVATE KEY-----; xoxb-; sk_live_; AKIA";
    expect(everything(sparse, text)).toEqual(everything(dense, text));
    expect(asked).toBe(0);
    const long = `${text}\n`.repeat(3000);
    expect(everything(sparse, long)).toEqual(everything(dense, long));
    expect(asked).toBe(1);
    expect(everything(sparse, text)).toEqual(everything(dense, text));
  });

  it("refuses tables of another shape", () => {
    const keywords = ["akia", "pass"];
    const t = buildSparseTables(keywords);
    expect(() => KeywordMatcher.sparse(["akia"], t, () => undefined)).toThrow(/do not fit/);
    expect(() => KeywordMatcher.sparse(keywords, { ...t, fail: new Int32Array(1) }, () => undefined)).toThrow(/do not fit/);
  });
});
