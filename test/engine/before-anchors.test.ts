/**
 * Anchors a bounded distance after a rule's first character (anchors.ts
 * `beforeAnchors`): which regexes have them, and that a rule tried only at
 * that character near its anchors (generic-secret-xml: each `<` at most 67
 * characters before `password`, `token`, …) finds exactly what its regex
 * finds over the whole text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { beforeAnchors, regexAnchors } from "../../src/engine/anchors.js";
import { compileRuleSet, type CompiledRule, type CompiledRuleSet } from "../../src/engine/index.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import type { RuleDef } from "../../src/engine/types.js";
import { randomToken } from "../helpers/secrets.js";
import { agreesWithWholeText, anchoredRuleSet, builtOf, lazyAndWholeBuiltins, rawMatches } from "../helpers/anchored-rules.js";

/** Fake secret values, built at run time. */
const V1 = randomToken(15, 31);
const V2 = randomToken(16, 32);
const V3 = randomToken(12, 33);

const builtin = readRuleFiles();
const def = (id: string): RuleDef => builtin.find((r) => r.id === id)!;

describe("anchors after a rule's first character", () => {
  it("reads generic-secret-xml: a `<` at most 67 characters before its secret's name", () => {
    const rs = compileRuleSet([def("generic-secret-xml")]);
    const p = rs.rules[0]!.pattern!;
    expect(regexAnchors(p.source, p.flags)).toEqual({
      before: {
        anchors: ["password", "passwd", "passphrase", "pwd", "secret", "token", "api", "apikey", "access", "private", "auth", "credential"],
        char: "<".charCodeAt(0),
        within: 67,
      },
    });
    expect(rs.rules[0]!.anchorBefore).toEqual({ char: 60, within: 67 });
  });

  it("takes the last literal group before the first capture, and counts every bounded item before it", () => {
    expect(beforeAnchors(String.raw`<(?:add|env)\s{1,5}(?:key|name)="(?:pass|token)`, "gd")).toEqual({ anchors: ["pass", "token"], char: 60, within: 1 + 3 + 5 + 4 + 2 });
    expect(beforeAnchors(String.raw`<(password|passphrase)>([^<]{1,9})</(?:password|passphrase)>`, "gd")).toEqual({ anchors: ["password", "passphrase"], char: 60, within: 1 });
    expect(beforeAnchors(String.raw`(?:(?<!\w)<[a-z]{0,3}(?:abc)|<x?(?:def|ghi))`, "gdi")).toEqual({ anchors: ["abc", "def", "ghi"], char: 60, within: 4 });
  });

  it("gives none where a match's start is not a bounded distance before an anchor", () => {
    for (const source of [
      String.raw`<[a-z]*(?:password)`, // unbounded before the group
      String.raw`<[a-z]{2,}(?:password)`,
      String.raw`<?(?:password)`, // the character is optional
      String.raw`<+(?:password)`,
      String.raw`a[a-z]{0,3}(?:password)`, // a letter: its case folds
      String.raw`<[a-z]{0,3}(?:pw|password)`, // an anchor too short
      String.raw`<[a-z]{0,3}(?:password)?x`, // an optional group
      String.raw`<[a-z]{0,3}(?:password)|>(?:token)`, // a top-level alternation
      String.raw`(?:<|>)(?:password)`, // two first characters
      String.raw`<\1(?:password)`, // a back-reference before the group
    ]) {
      expect(beforeAnchors(source, "gd"), source).toBeUndefined();
    }
    expect(beforeAnchors(String.raw`<(?:password)`, "gdu")).toBeUndefined();
    expect(beforeAnchors(String.raw`<(?:password)`, "gds")).toBeUndefined();
  });
});

/** The built-in rules read this way (their matches begin at the character before an anchor). */
const beforeRules = builtin.filter((r) => r.regex && compileRuleSet([r]).rules[0]!.anchorBefore);

const ruleSet = anchoredRuleSet;
const matchesOf = (rs: CompiledRuleSet, text: string): string[] => rawMatches(rs, text, "conf/app.xml");

/** What the rule's global regex finds over the whole text (non-empty matches), when one of its keywords is there. */
function globalMatches(rs: CompiledRuleSet<CompiledRule>, text: string): string[] {
  const rule = rs.rules[0]!;
  const lower = text.toLowerCase();
  if (!(rule.def.keywords ?? []).some((k) => lower.includes(k.toLowerCase()))) return [];
  const re = new RegExp(rule.pattern!.source, rule.pattern!.flags);
  const out: string[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex = m.index + 1;
      continue;
    }
    const g = m[1] !== undefined ? 1 : 0;
    out.push(`${rule.id}@${m.index}-${m.index + m[0].length}:${m.indices![g]![0]}:${m[g]}`);
  }
  return out;
}

describe("rules tried after their first character", () => {
  it("are generic-secret-xml and the few rules of that shape", () => {
    expect(beforeRules.map((r) => r.id)).toContain("generic-secret-xml");
  });

  const xml = def("generic-secret-xml");
  const anchored = ruleSet([xml], true);
  const whole = ruleSet([xml], false);
  // Joined at run time, like every fake value below (test/helpers/secrets.ts): `leakguard scan .` stays clean.
  const secretChars = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789!#%"].join("");
  const value = fc.tuple(fc.integer({ min: 6, max: 24 }), fc.nat()).map(([n, s]) => Array.from({ length: n }, (_, i) => secretChars[(s * 7 + i * 13) % secretChars.length]).join(""));
  const names = ["password", "Passwd", "PWD", "passphrase", "secret", "token", "api.key", "API_KEY", "apikey", "access-key", "Access.Key", "privatekey", "auth.key", "Auth-Key", "credential", "credentials", "db", "value", "key", "name"];
  const xmlish = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."<<<>>/=\"'  \t\r\n_.:-apwdsktrAPW"), minLength: 1, maxLength: 30 }),
    fc.constantFrom(...names),
    fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names), value).map(([a, b, v]) => `<${a}${b}>${v}</${a}>`),
    // The second form at its widest: up to 5 spaces, 3 around "=", 40 characters of name before the keyword.
    fc
      .tuple(
        fc.constantFrom("add", "property", "param", "parameter", "entry", "env", "arg", "setting", "variable"),
        fc.constantFrom(" ", "  \t ", "\t\t\t\t\t", "\r\n"),
        fc.constantFrom("key", "name", "NAME"),
        fc.constantFrom("=", " = ", "   =   ", "\t=\t\t"),
        fc.string({ unit: fc.constantFrom(..."abz09_.:-"), maxLength: 42 }),
        fc.constantFrom(...names),
        value,
      )
      .map(([tag, sp, attr, eq, pre, n, v]) => `<${tag}${sp}${attr}${eq}"${pre}${n}" value="${v}"/>`),
    fc
      .tuple(fc.string({ unit: fc.constantFrom(..."abz09_.:-"), maxLength: 32 }), fc.constantFrom(...names), value)
      .map(([pre, n, v]) => `<${pre}${n}>${v}</${pre}${n}>`),
    fc.tuple(fc.constantFrom(...names), value).map(([n, v]) => `<entry key="${n}">\r\n  <value>${v}</value></entry>`),
    fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names), value).map(([n, a, v]) => `<x${n} ${a}="${v}" b='1'>${v}</x${n}>`),
    fc.constantFrom("<", "</", ">", "<<", '="', "\r\n", "<value>", "=<password>", "x<token>", '"<secret>'),
    fc.constantFrom(...(xml.examples ?? []).map((e) => e.text)),
  );
  // Plain text between, so that the anchors are often sparse enough to be tried one by one.
  const filler = fc.constant(" lorem ipsum dolor sit amet, consectetur adipiscing elit ".repeat(6));
  const part = fc.oneof({ arbitrary: xmlish, weight: 3 }, { arbitrary: filler, weight: 1 });

  it("finds exactly the matches the whole-text regex finds", () => {
    const { sticky, withMatches } = agreesWithWholeText(anchored, whole, part, {
      path: "conf/app.xml",
      maxLength: 30,
      seed: 707,
      numRuns: 1500,
      also: (text, found) => expect(found).toEqual(globalMatches(anchored, text)),
    });
    expect(sticky).toBeGreaterThan(300);
    expect(withMatches).toBeGreaterThan(300);
  });

  it("finds the rule's examples, and matches at the very start and end of a text, next to others and overlapping", () => {
    const pad = " lorem ipsum dolor sit amet ".repeat(20);
    const texts: string[] = (xml.examples ?? []).flatMap((e) => [e.text, `${pad}${e.text}`, `${e.text}${pad}`, `${e.text}\r\n${e.text}`]);
    texts.push(
      `<password>${V1}</password>${pad}<auth.key>${V2}</auth.key>`,
      `${pad}<<password><password>${V1}</password>`,
      `${pad}<add key="token" value="<add key=&quot;password&quot; value=&quot;${V3}" />`,
      `${pad}<${"a".repeat(30)}password${"b".repeat(20)}>${V3}</x>`,
      `${pad}<${"a".repeat(31)}password>${V3}</x>`,
      `${pad}<parameter \t\t name \t = \t "${"z".repeat(40)}password${"y".repeat(20)}" value="${V3}"`,
      // The widest second form: its keyword 67 characters after the "<" (and one more: no match).
      `${pad}<parameter\t\t\t\t\tname   =   "${"z".repeat(40)}password" value="${V3}"/>${pad}`,
      `${pad}<parameter\t\t\t\t\tname   =   "${"z".repeat(41)}password" value="${V3}"/>${pad}`,
      `${pad}<variable\r\n\t\t\tname   =   "${"z".repeat(40)}token" value="${V3}"/>`,
    );
    let total = 0;
    for (const text of texts) {
      const found = matchesOf(anchored, text);
      expect(found, text).toEqual(matchesOf(whole, text));
      expect(found, text).toEqual(globalMatches(anchored, text));
      total += found.length;
    }
    expect(total).toBeGreaterThan(texts.length);
  });

  it("finds the other rules of that shape as their regexes do", () => {
    for (const r of beforeRules) {
      const a = ruleSet([r], true);
      const w = ruleSet([r], false);
      const examples = (r.examples ?? []).map((e) => e.text);
      fc.assert(
        fc.property(fc.array(fc.oneof(fc.constantFrom(...examples), fc.constantFrom("<", '"', "/", ":", " ", "\n", "=", ...(r.keywords ?? [])), fc.constant(" plain words here ".repeat(8))), { maxLength: 16 }), (parts) => {
          const text = parts.join("");
          expect(matchesOf(a, text)).toEqual(matchesOf(w, text));
        }),
        { seed: 99, numRuns: 200 },
      );
    }
  });

  it("runs generic-secret-xml's sticky regex near its anchors, not its regex over the text", () => {
    const fresh = ruleSet([xml], true);
    fresh.rules[0]!.built = undefined;
    const text = `${"<p>plain markup, nothing to hide here</p>\n".repeat(20)}<settings><password>${V1}</password></settings>\n`;
    expect(matchesOf(fresh, text)).toHaveLength(1);
    expect(builtOf(fresh.rules[0]!)?.regex).toBeUndefined();
    expect(builtOf(fresh.rules[0]!)?.sticky).toBeDefined();
  });
});

describe("the hook's lazily compiled rules", () => {
  it("try generic-secret-xml after its `<` once a text selects it, as the rule compiled whole does", async () => {
    const { lazy, whole, found } = await lazyAndWholeBuiltins();
    const rule = lazy.rules.find((r) => r.id === "generic-secret-xml")!;
    expect(rule.pending).toBe(true);
    const text = `${"<p>plain markup, nothing to hide here</p>\n".repeat(20)}<settings><password>${V1}</password></settings>\n`;
    const got = found(lazy, text, "app.xml");
    expect(got).toEqual(found(whole, text, "app.xml"));
    expect(got).toContain(`generic-secret-xml@${text.indexOf("<password>")}:${V1}`);
    // The scan compiled it whole, in place.
    expect(rule.pending).toBeUndefined();
    const ready = rule as CompiledRule;
    expect(ready.anchorBefore).toEqual({ char: 60, within: 67 });
    expect(ready.built?.sticky).toBeDefined();
    expect(ready.built?.regex).toBeUndefined();
  });
});
