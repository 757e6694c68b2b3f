/**
 * Quantifiers as the anchor readings read them (regex-syntax.ts
 * `quantifierOf`, shared by anchors.ts and run-anchors.ts): every form, lazy
 * or not, none, and a `{` that opens none; a bound of any length reads the
 * same in both readings.
 */
import { describe, expect, it } from "vitest";
import { beforeAnchors } from "../../src/engine/anchors.js";
import { BASE64_ALPHABET } from "../../src/engine/char-runs.js";
import { quantifierOf } from "../../src/engine/regex-syntax.js";
import { runAnchorOf } from "../../src/engine/run-anchors.js";

describe("quantifiers", () => {
  it("reads every form, lazy or not, at the index given", () => {
    const at = (q: string) => quantifierOf(`a${q}b`, 1);
    expect(at("?")).toEqual({ min: 0, max: 1, end: 2 });
    expect(at("*")).toEqual({ min: 0, max: Infinity, end: 2 });
    expect(at("+?")).toEqual({ min: 1, max: Infinity, end: 3 });
    expect(at("{3}")).toEqual({ min: 3, max: 3, end: 4 });
    expect(at("{3,}")).toEqual({ min: 3, max: Infinity, end: 5 });
    expect(at("{3,17}?")).toEqual({ min: 3, max: 17, end: 8 });
    expect(at("")).toEqual({ min: 1, max: 1, end: 1 });
    expect(at("b")).toEqual({ min: 1, max: 1, end: 1 });
    // A `{` that opens no quantifier: the readings give up.
    for (const q of ["{", "{x}", "{,5}", "{}", "{3,x}"]) expect(at(q), q).toBeUndefined();
  });

  it("reads a bound of many digits the same in both anchor readings", () => {
    const big = 10_000_000_000_000;
    expect(quantifierOf(`x{${big},${big}}`, 1)).toEqual({ min: big, max: big, end: 1 + `{${big},${big}}`.length });
    expect(beforeAnchors(String.raw`<[a-z]{${big},${big}}(?:password|token)`, "gd")).toEqual({ anchors: ["password", "token"], char: 60, within: 1 + big });
    expect(runAnchorOf(String.raw`[A-Za-z0-9]{16,${big}}\.`, "gd", BASE64_ALPHABET, 16)).toMatchObject({ min: 16, max: big });
  });
});
