/**
 * The engine reuses its per-rule-set keyword table and anchor positions from
 * one text to the next (allocating them per text was most of what a short
 * text cost). What a scan finds must not depend on what was scanned before,
 * on a pass that scans again inside the scan, or on a scan that threw.
 */
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "../../src/engine/compile.js";
import { DEFAULT_DECODERS } from "../../src/engine/passes.js";
import { scanFragment, type Decoder, type EngineResult } from "../../src/engine/scan.js";
import type { Fragment } from "../../src/engine/types.js";
import { builtinRules } from "../../src/ruleset/builtin.js";
import { fakePassword } from "../helpers/engine.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

const texts: Fragment[] = [
  { text: `GITHUB_TOKEN=${githubToken(611)}\naws_access_key_id = ${awsKeyId(612)}\n`, path: "app.env" },
  { text: "Fix typo in README", path: "" },
  { text: `password = "${fakePassword("scratch")}"\n`, path: "config.ini" },
  { text: `token: ${Buffer.from(`ghtoken=${githubToken(613)}`).toString("base64")}\n`, path: "values.yaml" },
  { text: "Merge pull request #12 from someone/branch", path: "" },
];

const opts = { decoders: DEFAULT_DECODERS, salt: "s" };
const alone = (f: Fragment): EngineResult => scanFragment(compileRuleSet(builtinRules()), f, opts);

describe("scanning many texts with one rule set", () => {
  it("finds in each text what a fresh rule set finds in it alone, in any order", () => {
    const want = texts.map(alone);
    expect(want.reduce((n, r) => n + r.findings.length, 0)).toBeGreaterThanOrEqual(3);
    const rs = compileRuleSet(builtinRules());
    for (const order of [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 0, 1, 3, 1, 2]]) {
      for (const i of order) expect(scanFragment(rs, texts[i]!, opts)).toEqual(want[i]);
    }
  });

  it("is unaffected by a pass that scans another text inside the scan, and by a scan that threw", () => {
    const rs = compileRuleSet(builtinRules());
    const inner: EngineResult[] = [];
    const nested: Decoder = () => void inner.push(scanFragment(rs, texts[0]!, opts));
    const outer = scanFragment(rs, texts[3]!, { ...opts, decoders: [...DEFAULT_DECODERS, nested] });
    expect(outer).toEqual(alone(texts[3]!));
    expect(inner).toEqual([alone(texts[0]!)]);
    const failing: Decoder = () => {
      throw new Error("pass failed");
    };
    expect(() => scanFragment(rs, texts[0]!, { ...opts, decoders: [failing] })).toThrow("pass failed");
    for (const f of texts) expect(scanFragment(rs, f, opts)).toEqual(alone(f));
  });

  it("runs the rules of keywords a caller marks as present even when the text holds no keyword", () => {
    const rs = compileRuleSet([{ id: "tok", description: "tok", regex: "tok=([a-z]{8})", keywords: ["marker"] }]);
    const frag = { text: "tok=qzwmxkvr", path: "x" };
    expect(scanFragment(rs, frag).findings).toEqual([]);
    const seen = new Uint8Array(rs.keywords.keywords.length);
    seen[rs.keywords.keywords.indexOf("marker")] = 1;
    expect(scanFragment(rs, frag, { seen }).findings.map((f) => f.secret)).toEqual(["qzwmxkvr"]);
    // The caller's table is read, not written, and the next scan does not inherit it.
    expect([...seen].reduce((a, b) => a + b, 0)).toBe(1);
    expect(scanFragment(rs, frag).findings).toEqual([]);
  });
});
