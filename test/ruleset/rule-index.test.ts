/**
 * The rules file and its index come from one encoder: each row's place, read
 * back through the decoded index, is exactly its rule's JSON in the file, and
 * the file is one JSON array of the rules. Pure.
 */
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "../../src/engine/compile.js";
import { decodeRuleIndex, encodeRuleBundle, rowStart } from "../../src/ruleset/rule-index.js";

const defs = [
  { id: "first", description: "first", regex: "first_[a-z]{8}", keywords: ["first_"] },
  { id: "second", description: "second", regex: "second_[0-9]{12}", keywords: ["second_"] },
  { id: "third", description: "third", regex: "third_[A-Z]{4}", keywords: ["third_"] },
];

describe("rules file and index", () => {
  it("place each rule's JSON where the index says, in one JSON array", () => {
    const bodies = defs.map((d) => JSON.stringify(d));
    const { json, index } = encodeRuleBundle(compileRuleSet(defs), bodies);
    expect(JSON.parse(json)).toEqual(defs);
    const decoded = decodeRuleIndex(index)!;
    expect(decoded.size).toBe(Buffer.byteLength(json));
    expect(decoded.ids).toEqual(["first", "second", "third"]);
    expect(bodies.map((_, r) => json.slice(rowStart(decoded, r), decoded.ends[r]))).toEqual(bodies);
  });

  it("refuse a rule's JSON that is not ASCII (a character would not be a byte) and a count that is not one per rule", () => {
    const rs = compileRuleSet(defs.slice(0, 1));
    expect(() => encodeRuleBundle(rs, ['{"id":"caf\u00e9"}'])).toThrow(/ASCII/);
    expect(() => encodeRuleBundle(rs, ["{}", "{}"])).toThrow(/one JSON text per rule/);
  });
});
