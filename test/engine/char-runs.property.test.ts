/**
 * The keyword pass lists the decoding pass's base64 runs while it reads a
 * text (char-runs.ts): the same keywords, positions and count as the plain
 * pass, the same runs as the obvious definition, and the same encoded
 * segments, and so the same findings, as the decoding pass's own run finder.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeywordMatcher, type KeywordPositions } from "../../src/engine/ahocorasick.js";
import { BASE64_ALPHABET, endsOf, MIN_BASE64, type CharRuns } from "../../src/engine/char-runs.js";
import { compileRuleSet, scanFragment, type Decoder } from "../../src/engine/index.js";
import { decodePass, findEncodedSegments } from "../../src/engine/decode.js";
import { DEFAULT_DECODERS } from "../../src/engine/passes.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { b64, fakeAwsKeyId, hex } from "../helpers/engine.js";

/** Where each maximal run of `member` characters at least `min` long starts, by the definition. */
function naiveRuns(text: string, member: Uint8Array, min: number): number[] {
  const out: number[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    const inSet = c >= 0 && c < 128 && member[c] === 1;
    if (inSet && start < 0) start = i;
    if (!inSet && start >= 0) {
      if (i - start >= min) out.push(start);
      start = -1;
    }
  }
  return out;
}

const positionsFor = (keywords: readonly string[]): KeywordPositions => ({ want: new Uint8Array(keywords.length).fill(1), at: new Array<number[] | undefined>(keywords.length) });

/** Text made of base64 characters, padding, separators and non-ASCII, in runs long and short. */
const encodedish = fc
  .array(
    fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "B", "9", "+", "/", "-", "_", "x"), minLength: 10, maxLength: 24 }),
      fc.string({ unit: fc.constantFrom("=", " ", "\n", ".", "é", "€", '"', "a", "Z"), maxLength: 4 }),
      fc.constantFrom(b64("hello there, general"), hex("a longer line of text"), "0x" + hex("hex text here!!!"), b64("secret=abc"), "QUtJQUlPU0ZPRE5ON0VYQU1QTEU="),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

describe("where the listed runs end", () => {
  it("is just past each run's last member, also for runs that reach the end of the text", () => {
    fc.assert(
      fc.property(encodedish, fc.integer({ min: 1, max: 20 }), fc.boolean(), (body, min, endInRun) => {
        // Half the texts end inside a run, the case whose last read used to fall past the text.
        const text = endInRun ? body + "QUJDREVGR0hJSktMTU5PUA" : body;
        const starts = naiveRuns(text, BASE64_ALPHABET, min);
        const ends = endsOf(text, BASE64_ALPHABET, min, starts);
        expect(ends.length).toBe(starts.length);
        starts.forEach((start, r) => {
          let j = start;
          while (j < text.length && text.charCodeAt(j) < 128 && BASE64_ALPHABET[text.charCodeAt(j)] === 1) j++;
          expect(ends[r]).toBe(j);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("is an empty list when no run is listed", () => {
    expect(endsOf("no runs here", BASE64_ALPHABET, MIN_BASE64, []).length).toBe(0);
  });
});

describe("base64 runs listed by the keyword pass", () => {
  it("lists exactly the maximal runs, and finds the same keywords, positions and count as the plain pass", () => {
    const keywords = ["ab", "b9", "xx", "9+", "a=", "-_"];
    const m = new KeywordMatcher(keywords);
    fc.assert(
      fc.property(encodedish, fc.integer({ min: 1, max: 20 }), (text, min) => {
        const seenA = new Uint8Array(keywords.length);
        const posA = positionsFor(keywords);
        const foundA = m.findAll(text, seenA, posA);
        const seenB = new Uint8Array(keywords.length);
        const posB = positionsFor(keywords);
        const runs: CharRuns = { member: BASE64_ALPHABET, min, starts: [] };
        const foundB = m.findAll(text, seenB, posB, runs);
        expect(foundB).toBe(foundA);
        expect([...seenB]).toEqual([...seenA]);
        expect(posB.at).toEqual(posA.at);
        expect(runs.starts).toEqual(naiveRuns(text, BASE64_ALPHABET, min));
      }),
      { seed: 1207, numRuns: 500 },
    );
  });

  it("lists runs with no keywords at all, and at both ends of the text", () => {
    const m = new KeywordMatcher([]);
    const runs: CharRuns = { member: BASE64_ALPHABET, min: MIN_BASE64, starts: [] };
    const sixteen = "A".repeat(16);
    m.findAll(`${sixteen} ${"b".repeat(15)} é${sixteen}`, new Uint8Array(0), undefined, runs);
    expect(runs.starts).toEqual([0, 34]);
  });

  it("is the decoding pass's alphabet", () => {
    for (let c = 0; c < 128; c++) expect(BASE64_ALPHABET[c] === 1).toBe(/[A-Za-z0-9+/_-]/.test(String.fromCharCode(c)));
  });

  it("gives the decoding pass the same segments as its own run finder", () => {
    fc.assert(
      fc.property(encodedish, (text) => {
        const starts = naiveRuns(text, BASE64_ALPHABET, MIN_BASE64);
        expect(findEncodedSegments(text, { bytes: 1 << 20 }, { member: BASE64_ALPHABET, min: MIN_BASE64, starts })).toEqual(findEncodedSegments(text, { bytes: 1 << 20 }));
      }),
      { seed: 1208, numRuns: 500 },
    );
  });

  it("hands the runs to the decoding pass, which finds the same secrets with them", () => {
    const rs = compileRuleSet(readRuleFiles());
    const key = fakeAwsKeyId("r1");
    const text = `const a = "${b64(`aws_access_key_id = ${key}\n`)}";\nb = ${b64("nothing to see here")}\n`;
    let given: readonly number[] | undefined;
    const spy: Decoder = (set, t, path, emit, context) => {
      given = context?.base64Runs?.starts;
      decodePass(set, t, path, emit, context);
    };
    const withRuns = scanFragment(rs, { text, path: "a.js" }, { decoders: [spy, ...DEFAULT_DECODERS.slice(1)] });
    expect(given).toEqual(naiveRuns(text, BASE64_ALPHABET, MIN_BASE64));
    const own = scanFragment(rs, { text, path: "a.js" }, { decoders: [(set, t, path, emit) => decodePass(set, t, path, emit), ...DEFAULT_DECODERS.slice(1)] });
    expect(withRuns).toEqual(own);
    expect(withRuns.findings.find((f) => f.secret === key)?.encoding).toBe("base64");
  });
});
