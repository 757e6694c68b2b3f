/**
 * Run anchors (run-anchors.ts): which regexes have one, and that a rule tried
 * only near the ends of the keyword pass's base64 runs finds exactly what its
 * regex finds over the whole text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE64_ALPHABET, MIN_BASE64, type CharRuns } from "../../src/engine/char-runs.js";
import { collectMatches, compileRuleSet, type RawMatch } from "../../src/engine/index.js";
import { runAnchorOf } from "../../src/engine/run-anchors.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import type { RuleDef } from "../../src/engine/types.js";

const anchorOf = (source: string, flags = "gd") => {
  const a = runAnchorOf(source, flags, BASE64_ALPHABET, MIN_BASE64);
  if (!a) return undefined;
  const end = [...a.end.keys()].filter((c) => a.end[c] === 1).map((c) => String.fromCharCode(c)).join("");
  return { min: a.min, max: a.max, end, endOutside: a.endOutside };
};

const builtin = readRuleFiles();
const def = (id: string): RuleDef => builtin.find((r) => r.id === id)!;

describe("run anchors of a regex", () => {
  it("reads the built-in keyword-less rules: discord-bot-token and twilio-credential-pair", () => {
    const rs = compileRuleSet([def("discord-bot-token"), def("twilio-credential-pair")]);
    const [discord, twilio] = rs.rules;
    expect(anchorOf(discord!.pattern!.source, discord!.pattern!.flags)).toEqual({ min: 23, max: 27, end: ".", endOutside: false });
    expect(anchorOf(twilio!.pattern!.source, twilio!.pattern!.flags)).toEqual({ min: 34, max: 34, end: "\"'`", endOutside: false });
    // Read when the rule is compiled, as its other anchors are; a rule with keywords or anchors has none.
    for (const r of [discord!, twilio!]) expect(r.runAnchor, r.id).toEqual(runAnchorOf(r.pattern!.source, r.pattern!.flags, BASE64_ALPHABET, MIN_BASE64));
    expect(discord!.runAnchor).toBeDefined();
    const all = compileRuleSet(builtin).rules;
    expect(all.filter((r) => r.runAnchor).map((r) => r.id)).toEqual(["discord-bot-token", "twilio-credential-pair"]);
    expect(compileRuleSet([{ ...def("discord-bot-token"), keywords: ["mt"] }]).rules[0]!.runAnchor).toBeUndefined();
  });

  it("follows plain groups, alternatives of alphabet characters, escapes, shorthands and open-ended counts", () => {
    expect(anchorOf(String.raw`(?<name>(?:ab|c)\d{11}[+/]\w{3,}?)\s`)).toEqual({ min: 16, max: Infinity, end: expect.any(String), endOutside: true });
    expect(anchorOf(String.raw`\bk[A-Z]{15}\x3a`)).toEqual({ min: 16, max: 16, end: ":", endOutside: false });
    expect(anchorOf(String.raw`(?=x)x[a-z]{15,20}["']`)).toEqual({ min: 16, max: 21, end: "\"'", endOutside: false });
  });

  it("gives none where it cannot tell where a match starts from a run's end", () => {
    for (const source of [
      String.raw`[a-z]{20}`, // nothing outside the alphabet follows
      String.raw`[a-z]{20}\.?x`, // the end is optional
      String.raw`[a-z.]{20}\.`, // a class on both sides
      String.raw`[^.]{20}\.`, // negated
      String.raw`.{20}\.`,
      String.raw`a{20}|b{20}\.`, // top-level alternation
      String.raw`(?:[a-z]{20})+\.`, // a counted group
      String.raw`(?:ab\.|cd)[a-z]{20}\.`, // an alternative that ends the run
      String.raw`[a-z]{10}\.`, // shorter than the runs listed
      String.raw`(\w{20})\1\.`, // a back-reference
      String.raw`^[a-z]{20}\.`,
      String.raw`\p{L}{20}\.`,
    ]) {
      expect(anchorOf(source), source).toBeUndefined();
    }
    // Case-insensitive: Unicode folding maps non-ASCII characters onto letters.
    expect(anchorOf(String.raw`[a-z]{20}\.`, "gdi")).toBeUndefined();
    expect(anchorOf(String.raw`[a-z]{20}\.`, "gdv")).toBeUndefined();
  });
});

describe("rules tried at run anchors", () => {
  const rs = compileRuleSet([
    def("discord-bot-token"),
    def("twilio-credential-pair"),
    { id: "test-open-run", description: "open-ended run", regex: String.raw`(?<![\w])(?:zz|Q)[a-z0-9]{15,}[+/]?\.(x{2})`, secretGroup: 1, keywords: [] } as RuleDef,
  ]);
  const matches = (text: string, runs: CharRuns | undefined): string[] => {
    const out: string[] = [];
    const visit = (m: RawMatch) => void out.push(`${m.rule.id}@${m.matchStart}-${m.matchEnd}:${m.secret}`);
    collectMatches(rs, text, "a.txt", visit, Infinity, Date.now, new Uint8Array(rs.keywords.keywords.length), runs);
    return out;
  };
  const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const tokenish = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."MNOzzQDTjAC0f9a-_+/x"), minLength: 1, maxLength: 40 }),
    fc.constantFrom(".", "..", '"', "'", "`", ", ", " ", "\n", "é", "=", "xx"),
    // Plain text, so that the anchors are sparse enough to be tried one by one.
    fc.constant(" lorem ipsum dolor sit amet, ".repeat(8)),
    // A Discord-shaped and a Twilio-shaped token, built here from random characters.
    fc.tuple(fc.constantFrom("M", "N", "O"), fc.constantFrom("D", "T", "j", "z"), fc.integer({ min: 20, max: 26 }), fc.integer({ min: 26, max: 39 }), fc.nat()).map(([a, b, n, m, seed]) => {
      const pick = (k: number, s: number) => Array.from({ length: k }, (_, i) => alnum[(s * 31 + i * 17) % alnum.length]).join("");
      return `${a}${b}${pick(n, seed)}.${pick(6, seed + 1)}.${pick(m, seed + 2)}`;
    }),
    fc.tuple(fc.constantFrom("AC", "SK"), fc.nat()).map(([p, seed]) => {
      const hex = Array.from({ length: 32 }, (_, i) => "0123456789abcdef"[(seed + i * 7) % 16]).join("");
      const other = Array.from({ length: 32 }, (_, i) => alnum[(seed + i * 11) % alnum.length]).join("");
      return `${p}${hex}", "${other}"`;
    }),
  );

  it("finds exactly the matches the whole-text regex finds", () => {
    fc.assert(
      fc.property(fc.array(tokenish, { maxLength: 24 }), (parts) => {
        const text = parts.join("");
        const runs: CharRuns = { member: BASE64_ALPHABET, min: MIN_BASE64, starts: [] };
        expect(matches(text, runs)).toEqual(matches(text, undefined));
      }),
      { seed: 1209, numRuns: 600 },
    );
  });

  it("finds the tokens at the very start and end of a text, and next to others", () => {
    const seed = (n: number) => Array.from({ length: n }, (_, i) => alnum[(i * 13 + 5) % alnum.length]).join("");
    const discord = `MT${seed(22)}.${seed(6)}.${seed(30)}`;
    const twilio = `AC${"0123456789abcdef".repeat(2)}', '${seed(32)}'`;
    for (const text of [discord, `${discord} ${twilio}`, `x/${discord}+${twilio}`, `${twilio}${discord}`]) {
      const runs: CharRuns = { member: BASE64_ALPHABET, min: MIN_BASE64, starts: [] };
      const found = matches(text, runs);
      expect(found).toEqual(matches(text, undefined));
      expect(found.length).toBeGreaterThan(0);
    }
  });

  it("runs the rules' sticky regexes at the anchors, not their regexes over the text", () => {
    const fresh = compileRuleSet([def("discord-bot-token"), def("twilio-credential-pair")]);
    // Ordinary text around it: where the candidates are dense, the regex runs over the whole text instead.
    const text = `${"let x = y + z; // plain code\n".repeat(20)}const token = "MTk${"a1B2".repeat(6)}.Gx${"Yz".repeat(2)}.${"q9W".repeat(10)}";\n`;
    const found: string[] = [];
    collectMatches(fresh, text, "a.js", (m) => void found.push(m.rule.id), Infinity, Date.now, new Uint8Array(fresh.keywords.keywords.length), {
      member: BASE64_ALPHABET,
      min: MIN_BASE64,
      starts: [],
    });
    expect(found).toEqual(["discord-bot-token"]);
    for (const rule of fresh.rules) {
      expect(rule.built?.regex, rule.id).toBeUndefined();
      expect(rule.built?.sticky, rule.id).toBeDefined();
    }
  });
});
