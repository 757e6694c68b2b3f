/**
 * The stored keyword automaton (dist/keywords.bin): adopted only for exactly
 * the keyword list it was built for, refused when damaged, and equivalent to
 * building the automaton at run time.
 */
import { describe, expect, it } from "vitest";
import { KeywordMatcher, verifyKeywordTables, type KeywordTables } from "../../src/engine/ahocorasick.js";
import { compileRuleSet } from "../../src/engine/compile.js";
import { scanFragment } from "../../src/engine/scan.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { builtinKeywordTables, decodeKeywordTables, encodeKeywordTables, prefetchKeywordTables } from "../../src/ruleset/keyword-tables.js";
import { decodeRuleIndex, encodeRuleBundle } from "../../src/ruleset/rule-index.js";
import { awsKeyId } from "../helpers/secrets.js";
import { readFileSync } from "node:fs";

const keywords = ["akia", "password", "pass", "ass", "token", "xoxb-"];
const built = new KeywordMatcher(keywords);
const bytes = encodeKeywordTables(keywords, built.tables());

/** A matcher set up from `tables`, checked to have adopted them rather than built its own. */
function adopting(kws: readonly string[], tables: KeywordTables | undefined): KeywordMatcher {
  expect(tables).toBeDefined();
  const m = new KeywordMatcher(kws, () => tables);
  expect(m.tables().delta).toBe(tables!.delta);
  return m;
}

const hits = (m: KeywordMatcher, text: string): number[] => {
  const seen = new Uint8Array(m.keywords.length);
  m.findAll(text, seen);
  return [...seen];
};

describe("stored keyword tables", () => {
  it("round-trip to an automaton that finds what the built one finds", () => {
    const adopted = adopting(keywords, decodeKeywordTables(bytes, keywords));
    for (const text of ["my PASSWORD and AKIA", "xoxb-1 toke token", "nothing here", "passass"]) {
      expect(hits(adopted, text)).toEqual(hits(built, text));
    }
  });

  it("are not used for another keyword list, another order, or a foreign file", () => {
    expect(decodeKeywordTables(bytes, [...keywords].reverse())).toBeUndefined();
    expect(decodeKeywordTables(bytes, [...keywords, "extra"])).toBeUndefined();
    expect(decodeKeywordTables(Buffer.from("not an automaton"), keywords)).toBeUndefined();
    expect(decodeKeywordTables(bytes.subarray(0, bytes.length - 1), keywords)).toBeUndefined();
  });

  it("store their keywords as one text (V8 interns no list of short strings when the hook reads them): keywords holding a NUL are refused, and never match a stored list", () => {
    expect(() => encodeKeywordTables(["a\0b"], new KeywordMatcher(["a\0b"]).tables())).toThrow(/NUL/);
    const merged = ["akia\0password", ...keywords.slice(2)];
    expect(decodeKeywordTables(bytes, merged)).toBeUndefined();
    expect(decodeKeywordTables(bytes, [...merged, "x"])).toBeUndefined();
    // The rules' index stores its literals the same way.
    const rs = compileRuleSet([{ id: "nul-keyword", description: "a keyword holding a NUL", regex: "a\\x00b", keywords: ["a\0b"] }]);
    expect(() => encodeRuleBundle(rs, ['{"id":"x"}'])).toThrow(/NUL/);
    const fine = compileRuleSet([{ id: "plain", description: "plain", regex: "secret_[a-z]{8}", keywords: ["secret_", "token"] }]);
    expect(decodeRuleIndex(encodeRuleBundle(fine, ['{"id":"x"}']).index)?.literals).toEqual(["secret_", "token"]);
  });

  it("refused by the rules' index when they are not ASCII or one is named twice (compiling takes a literal's number for its id): the hook then parses the rules whole", () => {
    const rs = compileRuleSet([{ id: "two", description: "two literals", regex: "(?:aaa_x|bbb_x)[a-z]{8}", keywords: ["aaa_x", "bbb_x"] }]);
    const good = encodeRuleBundle(rs, ['{"id":"x"}']).index;
    expect(decodeRuleIndex(good)?.literals).toEqual(["aaa_x", "bbb_x"]);
    const at = good.indexOf("bbb_x");
    expect(at).toBeGreaterThan(0);
    const repeated = Buffer.from(good);
    repeated.write("aaa_x", at, "latin1");
    expect(decodeRuleIndex(repeated)).toBeUndefined();
    const foreign = Buffer.from(good);
    foreign[at] = 0xe9;
    expect(decodeRuleIndex(foreign)).toBeUndefined();
  });

  it("a deferred automaton that cannot be built fails on every use, never as an empty one that finds nothing", () => {
    const m = new KeywordMatcher(["token", "caf\u00e9"], () => undefined);
    expect(() => hits(m, "a token")).toThrow(/not ASCII/);
    expect(() => hits(m, "a token")).toThrow(/not ASCII/);
  });

  it("are read correctly from an unaligned buffer", () => {
    const shifted = Buffer.alloc(bytes.length + 1);
    bytes.copy(shifted, 1);
    const tables = decodeKeywordTables(shifted.subarray(1), keywords);
    expect(hits(adopting(keywords, tables), "a password")).toEqual(hits(built, "a password"));
  });

  it("are verified by the build: damage is found, and a table of the wrong shape is refused at run time", () => {
    const damaged = decodeKeywordTables(Buffer.from(bytes), keywords)!;
    expect(() => verifyKeywordTables(keywords, damaged)).not.toThrow();
    // Point every transition back at the root: "akia" can no longer be reached.
    damaged.delta.fill(0);
    expect(() => verifyKeywordTables(keywords, damaged)).toThrow(/miss/);
    const wrongShape = { ...decodeKeywordTables(Buffer.from(bytes), keywords)!, hasOutput: new Uint8Array(1) };
    const refused = new KeywordMatcher(keywords, () => wrongShape);
    expect(refused.tables().hasOutput).not.toBe(wrongShape.hasOutput);
    expect(hits(refused, "a password")).toEqual(hits(built, "a password"));
    // The rule set then builds its automaton and still finds the key.
    const defs = [{ id: "aws-id", description: "AWS key id", regex: String.raw`\b(AKIA[A-Z2-7]{16})\b`, keywords: ["akia"] }];
    const rs = compileRuleSet(defs, [], { keywordTables: () => wrongShape });
    const id = awsKeyId();
    expect(scanFragment(rs, { text: `key = ${id}`, path: "a.txt" }).findings.map((f) => f.secret)).toEqual([id]);
  });

  it("are taken by a rule set when a scan first needs them, not when it is compiled (the hook reads them while git runs)", () => {
    const defs = [{ id: "aws-id", description: "AWS key id", regex: String.raw`\b(AKIA[A-Z2-7]{16})\b`, keywords: ["akia"] }];
    const asked: string[][] = [];
    const rs = compileRuleSet(defs, [], {
      keywordTables: (kws) => {
        asked.push([...kws]);
        return decodeKeywordTables(encodeKeywordTables(kws, new KeywordMatcher(kws).tables()), kws);
      },
    });
    expect(asked).toEqual([]);
    const id = awsKeyId();
    expect(scanFragment(rs, { text: `key = ${id}`, path: "a.txt" }).findings.map((f) => f.secret)).toEqual([id]);
    expect(scanFragment(rs, { text: `again ${id}`, path: "b.txt" }).findings.map((f) => f.secret)).toEqual([id]);
    expect(asked).toEqual([["akia"]]);
    // Tables that fail when asked for: the automaton is built, and finds the same.
    const failing = compileRuleSet(defs, [], {
      keywordTables: () => {
        throw new Error("unreadable");
      },
    });
    expect(scanFragment(failing, { text: `key = ${id}`, path: "a.txt" }).findings.map((f) => f.secret)).toEqual([id]);
  });

  it("can be read ahead on the thread pool: the built package then finds the same tables, and a missing file is left to the synchronous read", async () => {
    type Tables = typeof import("../../src/ruleset/keyword-tables.js");
    const dist = new URL("../../dist/", import.meta.url);
    const stored = readFileSync(new URL("keywords.bin", dist));
    const kws = (JSON.parse(stored.toString("utf8", 12, 12 + stored.readUInt32LE(8))) as { keywords: string }).keywords.split("\0");
    const m = (await import(new URL(`ruleset/keyword-tables.js?ahead=${Date.now()}`, dist).href)) as Tables;
    const reading = m.prefetchKeywordTables();
    await Promise.all([reading, m.prefetchKeywordTables()]);
    const t = m.builtinKeywordTables(kws);
    const want = decodeKeywordTables(stored, kws)!;
    const bytesOf = (a: Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(t).toBeDefined();
    expect(bytesOf(t!.delta).equals(bytesOf(want.delta))).toBe(true);
    // A source checkout has no stored tables: nothing is read ahead, and the answer is "none".
    await prefetchKeywordTables();
    expect(builtinKeywordTables(kws)).toBeUndefined();
  });

  it("are read into the buffer bin/leakguard.js lends when it is large enough (its pages are touched already), else into fresh memory", async () => {
    type Tables = typeof import("../../src/ruleset/keyword-tables.js");
    const dist = new URL("../../dist/", import.meta.url);
    const stored = readFileSync(new URL("keywords.bin", dist));
    const kws = (JSON.parse(stored.toString("utf8", 12, 12 + stored.readUInt32LE(8))) as { keywords: string }).keywords.split("\0");
    const bytesOf = (a: Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const want = decodeKeywordTables(stored, kws)!;
    const load = async (tag: string): Promise<Tables> => (await import(new URL(`ruleset/keyword-tables.js?lent=${tag}${Date.now()}`, dist).href)) as Tables;
    // Read ahead on the thread pool, and read when first needed: both take the lent buffer.
    for (const ahead of [true, false]) {
      const m = await load(`${ahead}`);
      const lent = Buffer.alloc(stored.length + 100, 0xee);
      m.lendReadBuffer(lent);
      if (ahead) await m.prefetchKeywordTables();
      const t = m.builtinKeywordTables(kws)!;
      expect(t.delta.buffer).toBe(lent.buffer);
      expect(bytesOf(t.delta).equals(bytesOf(want.delta))).toBe(true);
    }
    // Too small: left alone, the tables read into their own memory.
    const m = await load("small");
    const small = Buffer.alloc(1024, 0xee);
    m.lendReadBuffer(small);
    const t = m.builtinKeywordTables(kws)!;
    expect(t.delta.buffer).not.toBe(small.buffer);
    expect(small.every((b) => b === 0xee)).toBe(true);
    expect(bytesOf(t.delta).equals(bytesOf(want.delta))).toBe(true);
  });

  it("ship with the build for exactly the built-in rules' keywords", () => {
    const rs = compileRuleSet(builtinRules());
    // The built package (dist/) reads its own copy; a source checkout has none and builds.
    expect(builtinKeywordTables(rs.keywords.keywords)).toBeUndefined();
    const stored = decodeKeywordTables(readFileSync(new URL("../../dist/keywords.bin", import.meta.url)), rs.keywords.keywords);
    expect(stored, "dist/keywords.bin missing or stale: run npm run build").toBeDefined();
    expect(() => verifyKeywordTables(rs.keywords.keywords, stored!)).not.toThrow();
    const adopted = adopting(rs.keywords.keywords, stored);
    const text = "export GITHUB_TOKEN=x api_key: y -----BEGIN OPENSSH PRIVATE KEY----- sk_live_ AKIA";
    expect(hits(adopted, text)).toEqual(hits(rs.keywords, text));
  });
});
