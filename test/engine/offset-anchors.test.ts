/**
 * Anchors a fixed number of characters into every match (anchors.ts
 * `offsetAnchors`): which regexes have them, and that a rule tried only that
 * far before its anchors (azure-devops-pat: 76 characters before each
 * `azdo`) finds exactly what its regex finds over the whole text, where it
 * ran its regex over a whole file that held its keyword in a longer word
 * (git's Polish translation: "gniazdo").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { offsetAnchors, regexAnchors } from "../../src/engine/anchors.js";
import { compileRuleSet, type CompiledRule, type CompiledRuleSet } from "../../src/engine/index.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import type { RuleDef } from "../../src/engine/types.js";
import { randomToken } from "../helpers/secrets.js";
import { agreesWithWholeText, anchoredRuleSet, builtOf, lazyAndWholeBuiltins, rawMatches } from "../helpers/anchored-rules.js";

const builtin = readRuleFiles();
const def = (id: string): RuleDef => builtin.find((r) => r.id === id)!;

/** A token of the new Azure DevOps layout, built at run time: 76 characters, the signature, 4 more. */
const pat = (seed: number): string => `${randomToken(76, seed)}${["A", "Z", "D", "O"].join("")}${randomToken(4, seed + 1000)}`;

describe("anchors a fixed number of characters into a match", () => {
  it("reads azure-devops-pat: its signature 76 characters in", () => {
    const rs = compileRuleSet([def("azure-devops-pat")]);
    const p = rs.rules[0]!.pattern!;
    expect(regexAnchors(p.source, p.flags)).toEqual({ offset: { anchors: ["azdo"], offset: 76 } });
    expect(rs.rules[0]!.anchorOffset).toBe(76);
  });

  it("counts every fixed item before the literal, through groups of one branch and past assertions", () => {
    expect(offsetAnchors(String.raw`\b([a-z0-9]{3}\.x{2}[A-Z]{4}ABCD[a-z]+)`, "gd")).toEqual({ anchors: ["abcd"], offset: 10 });
    expect(offsetAnchors(String.raw`(?<![\w-])(?:[0-9a-f]{8}\b-(?:key)_[a-z]{4})`, "gd")).toEqual({ anchors: ["key"], offset: 9 });
    expect(offsetAnchors(String.raw`k6[_.\-]cloud`, "gdi")).toEqual({ anchors: ["cloud"], offset: 3 });
  });

  it("gives none where a match's start is not a fixed distance before a literal", () => {
    for (const source of [
      String.raw`[a-z]{1,3}abcd`, // a varying width
      String.raw`[a-z]+abcd`,
      String.raw`x?[a-z]{3}abcd`, // an optional character
      String.raw`.{3}abcd`, // `.` is not read
      String.raw`\w{3}\1abcd`, // a back-reference
      String.raw`(?:a|b)[a-z]{3}abcd`, // a group of two branches
      String.raw`(?:ab){2}abcd`, // a quantified group
      String.raw`[a-z]{3}ab`, // an anchor too short
      String.raw`[a-z]{3}abcd|[0-9]{3}abcd`, // a top-level alternation
      String.raw`[a-z]{3}`, // no literal
    ]) {
      expect(offsetAnchors(source, "gd"), source).toBeUndefined();
    }
    expect(offsetAnchors(String.raw`[a-z]{3}abcd`, "gdu")).toBeUndefined();
    expect(offsetAnchors(String.raw`[a-z]{3}abcd`, "gds")).toBeUndefined();
    // A literal at the very start is a start anchor, read as such.
    expect(regexAnchors(String.raw`abcd[a-z]{3}`, "gd")).toEqual({ anchors: ["abcd"] });
  });
});

/** The built-in rules read this way. */
const offsetRules = builtin.filter((r) => r.regex && compileRuleSet([r]).rules[0]!.anchorOffset);

const ruleSet = anchoredRuleSet;
const matchesOf = (rs: CompiledRuleSet, text: string): string[] => rawMatches(rs, text, "app/settings.env");

describe("rules tried a fixed distance before their anchors", () => {
  it("are azure-devops-pat and the few rules of that shape", () => {
    expect(offsetRules.map((r) => r.id)).toContain("azure-devops-pat");
  });

  const ado = def("azure-devops-pat");
  const anchored = ruleSet([ado], true);
  const whole = ruleSet([ado], false);
  const token = fc.integer({ min: 1, max: 1_000_000 }).map(pat);
  const alnum = fc.string({ unit: fc.constantFrom(..."aZ09xQ"), minLength: 70, maxLength: 90 });
  const noise = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."azdoAZDO09 =:-_\n\"'@/"), minLength: 1, maxLength: 20 }),
    fc.constantFrom("gniazdo", "AZDO", "azdo", "xAZDOx", "gniazdo sieci", "=", " ", "\n", "AZURE_DEVOPS_EXT_PAT="),
    fc.tuple(alnum, fc.constantFrom("AZDO", "azdo", "AzDo"), fc.string({ unit: fc.constantFrom(..."aZ09"), maxLength: 6 })).map(([a, s, b]) => a + s + b),
    fc.constantFrom(...(ado.examples ?? []).map((e) => e.text), ...(ado.negativeExamples ?? []).map((e) => e.text)),
  );
  // Plain text between, so that the anchors are often sparse enough to be tried one by one.
  const filler = fc.constant(" lorem ipsum dolor sit amet, consectetur adipiscing elit ".repeat(8));
  const part = fc.oneof({ arbitrary: token, weight: 2 }, { arbitrary: noise, weight: 3 }, { arbitrary: filler, weight: 1 });

  it("finds exactly the matches the whole-text regex finds", () => {
    const { sticky, withMatches } = agreesWithWholeText(anchored, whole, part, { path: "app/settings.env", maxLength: 24, seed: 76, numRuns: 1000 });
    expect(sticky).toBeGreaterThan(200);
    expect(withMatches).toBeGreaterThan(200);
  });

  it("finds tokens at the very start and end of a text, side by side, and not inside a longer run", () => {
    const a = pat(1);
    const b = pat(2);
    const pad = " lorem ipsum dolor sit amet ".repeat(20);
    const texts = [a, `${a} ${b}`, `${pad}${a}`, `${a}${pad}`, `${a}\n${b}`, `x${a}`, `${a}x`, `${a}${b}`, `${pad}${a.slice(1)}`, `${pad}gniazdo ${a}`];
    for (const text of texts) expect(matchesOf(anchored, text), text).toEqual(matchesOf(whole, text));
    expect(matchesOf(anchored, `${pad}${a}`)).toEqual([`azure-devops-pat@${pad.length}-${pad.length + 84}:${pad.length}:${a}`]);
    expect(matchesOf(anchored, `x${a}`)).toEqual([]);
  });

  it("finds the other rules of that shape as their regexes do", () => {
    for (const r of offsetRules) {
      const a = ruleSet([r], true);
      const w = ruleSet([r], false);
      const examples = [...(r.examples ?? []), ...(r.negativeExamples ?? [])].map((e) => e.text);
      const pieces = fc.oneof(
        fc.constantFrom(...examples),
        fc.constantFrom("=", '"', "?", "&", " ", "\n", ":", ...(r.keywords ?? []), ...(compileRuleSet([r]).rules[0]!.anchorIds ?? []).map((id) => compileRuleSet([r]).keywords.keywords[id]!)),
        fc.string({ unit: fc.constantFrom(..."aZ09f-_."), maxLength: 80 }),
        fc.constant(" plain words here ".repeat(8)),
      );
      const { sticky } = agreesWithWholeText(a, w, pieces, { path: "app/settings.env", maxLength: 16, seed: 99, numRuns: 200 });
      // The texts do reach the anchored path (it would pass as well if the rule ran over the whole text).
      expect(sticky, r.id).toBeGreaterThan(0);
    }
  });

  it("try azure-devops-pat's sticky regex where its keyword stands inside a word, not its regex over the text", () => {
    const fresh = ruleSet([ado], true);
    fresh.rules[0]!.built = undefined;
    // Git's Polish translation holds one "gniazdo" in 823 KB.
    const text = `${'msgid "the branch to check out"\nmsgstr "gałąź do wybrania"\n'.repeat(40)}msgid "socket"\nmsgstr "gniazdo"\n`;
    expect(matchesOf(fresh, text)).toEqual([]);
    expect(builtOf(fresh.rules[0]!)?.regex).toBeUndefined();
    expect(builtOf(fresh.rules[0]!)?.sticky).toBeDefined();
  });
});

describe("the hook's lazily compiled rules", () => {
  it("try azure-devops-pat 76 characters before its anchor once a text selects it, as the rule compiled whole does", async () => {
    const { lazy, whole, found } = await lazyAndWholeBuiltins();
    const rule = lazy.rules.find((r) => r.id === "azure-devops-pat")!;
    expect(rule.pending).toBe(true);
    const token = pat(3);
    const text = `${'msgid "the branch to check out"\nmsgstr "gałąź do wybrania"\n'.repeat(40)}msgstr "gniazdo"\nAZURE_DEVOPS_EXT_PAT=${token}\n`;
    const got = found(lazy, text, "app.env");
    expect(got).toEqual(found(whole, text, "app.env"));
    expect(got).toContain(`azure-devops-pat@${text.indexOf(token)}:${token}`);
    expect(rule.pending).toBeUndefined();
    const ready = rule as CompiledRule;
    expect(ready.anchorOffset).toBe(76);
    expect(ready.built?.sticky).toBeDefined();
    expect(ready.built?.regex).toBeUndefined();
  });
});
