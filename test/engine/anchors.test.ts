/**
 * Start anchors: the literals every match of a rule regex starts with (or
 * has one character in, or that the line it begins holds), and the engine's
 * use of them (trying the regex only where one stands, or at the start of
 * its line) finding exactly what the regex run over the whole text finds.
 */
import { describe, expect, it } from "vitest";
import { KeywordMatcher } from "../../src/engine/ahocorasick.js";
import { leadAnchors, lineAnchors, startAnchors } from "../../src/engine/anchors.js";
import { compileRuleSet, type CompiledRule, type CompiledRuleSet } from "../../src/engine/compile.js";
import { collectMatches, type RawMatch } from "../../src/engine/scan.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { rng } from "../helpers/secrets.js";

describe("startAnchors", () => {
  it("reads the literal prefix of every branch, lower-cased", () => {
    expect(startAnchors(String.raw`(?:password|Token|api[_.\-]?key|credentials?)\s*=`, "i")).toEqual(["password", "token", "api", "credential"]);
    expect(startAnchors(String.raw`\b(pat[A-Za-z0-9]{14})\b`, "")).toEqual(["pat"]);
    expect(startAnchors(String.raw`\$apr1\$|\{sha\}|\$2y\$`, "")).toEqual(["$apr1$", "{sha}", "$2y$"]);
    expect(startAnchors(String.raw`(?<![a-z])(?<key>sk_live_)[0-9a-z]{24}`, "")).toEqual(["sk_live_"]);
    expect(startAnchors(String.raw`(?:\baccount[_.\-]?key|new\s{1,5}Cred)`, "i")).toEqual(["account", "new"]);
  });
  it("keeps a repeated character once and stops after it", () => {
    expect(startAnchors(String.raw`abcd{2,5}x`, "")).toEqual(["abcd"]);
    expect(startAnchors(String.raw`abcd+x`, "")).toEqual(["abcd"]);
    expect(startAnchors(String.raw`abcd{0,5}x`, "")).toEqual(["abc"]);
    expect(startAnchors(String.raw`abcd*x`, "")).toEqual(["abc"]);
  });
  it("gives none when a match can start with anything else", () => {
    expect(startAnchors(String.raw`[MNO][DT]abc`, "")).toBeUndefined();
    expect(startAnchors(String.raw`(?:abc)?def`, "")).toBeUndefined();
    expect(startAnchors(String.raw`abc|\w+`, "")).toBeUndefined();
    expect(startAnchors(String.raw`.abc`, "")).toBeUndefined();
    expect(startAnchors(String.raw`\x41bcd`, "")).toBeUndefined();
    expect(startAnchors(String.raw`(?:abcd|xy)`, "")).toBeUndefined(); // too short to be worth it
    expect(startAnchors(String.raw`abc`, "u")).toBeUndefined();
    expect(startAnchors(String.raw`(abc`, "")).toBeUndefined();
  });
});

describe("leadAnchors", () => {
  it("reads a literal behind one optional character or a line start or one character", () => {
    expect(leadAnchors(String.raw`["']?name["']?\s*:`, "i")).toEqual({ anchors: ["name"], lead: 1 });
    expect(leadAnchors(String.raw`(?:^|[\s:/])_auth\s{0,5}=`, "")).toEqual({ anchors: ["_auth"], lead: 1 });
    expect(leadAnchors(String.raw`(?:^|[^A-Z])((?:MII[A-Z]{2}|MIACAQ)[A-Z]+)`, "")).toEqual({ anchors: ["mii", "miacaq"], lead: 1 });
  });
  it("gives none for anything wider in front, or without a literal after it", () => {
    expect(leadAnchors(String.raw`["']*name`, "")).toBeUndefined();
    expect(leadAnchors(String.raw`[a-z]{0,2}name`, "")).toBeUndefined();
    expect(leadAnchors(String.raw`(?:^|ab)name`, "")).toBeUndefined();
    expect(leadAnchors(String.raw`(?:^|[\s])?name`, "")).toBeUndefined();
    expect(leadAnchors(String.raw`x?[a-z]+`, "")).toBeUndefined();
    expect(leadAnchors(String.raw`x?ab`, "")).toBeUndefined(); // too short to be worth it
    expect(leadAnchors(String.raw`x?name|other`, "")).toBeUndefined();
    expect(leadAnchors(String.raw`x?name`, "m")).toBeUndefined();
  });
});

describe("lineAnchors", () => {
  const line = String.raw`(?<![^\n])`;
  it("reads the literals of a part every match has, in a regex whose matches are one line's start and part of it", () => {
    expect(lineAnchors(String.raw`${line}[ \t]{0,20}(?:ENV|ARG)[ \t]{1,5}[a-z_]{1,40}=([^\s"]{8,200})`, "i")).toEqual({ anchors: ["env", "arg"], line: true });
    expect(lineAnchors(String.raw`${line}[ \t]{0,8}password[ \t]{0,5}[=:][ \t]{0,5}([^\s]{6,256})[ \t]*(?![^\n])`, "i")).toEqual({ anchors: ["password"], line: true });
    // Optional parts and lookarounds are passed over; a class may exclude the line feed by name.
    expect(lineAnchors(String.raw`${line}(?:set[ \t]+)?["']?(?!x)[a-z]{0,9}(?:Token|secret_?key)[^\r\n]{0,9}=(\w+)`, "")).toEqual({ anchors: ["token", "secret"], line: true });
  });
  it("gives none when a match may start elsewhere, reach past its line, or has no such part", () => {
    expect(lineAnchors(String.raw`[ \t]{0,8}password=(\w+)`, "")).toBeUndefined(); // not at a line start
    expect(lineAnchors(String.raw`${line}password\s*=(\w+)`, "")).toBeUndefined(); // \s crosses lines
    expect(lineAnchors(String.raw`${line}password[^"]{0,9}=(\w+)`, "")).toBeUndefined(); // [^"] holds a line feed
    expect(lineAnchors(String.raw`${line}password[\t-~]{0,9}=(\w+)`, "")).toBeUndefined(); // so does the range \t-~
    expect(lineAnchors(String.raw`${line}password\x0a=(\w+)`, "")).toBeUndefined();
    expect(lineAnchors(String.raw`${line}password.{0,9}\1`, "")).toBeUndefined(); // a back reference
    expect(lineAnchors(String.raw`${line}(?:password)?[a-z]+=(\w+)`, "")).toBeUndefined(); // the only literal part is optional
    expect(lineAnchors(String.raw`${line}[a-z]{0,9}(?:pw|pass)=(\w+)`, "")).toBeUndefined(); // too short to be worth it
    expect(lineAnchors(String.raw`${line}password=(\w+)|token=(\w+)`, "")).toBeUndefined(); // two branches at the top
    expect(lineAnchors(String.raw`${line}password=(.+)`, "s")).toBeUndefined();
    // `{}` and `{,n}` are characters, not quantifiers, as the pattern itself takes them: the reading gives up on them.
    expect(lineAnchors(String.raw`${line}[ \t]{0,8}(?:password)=(\w+)`, "")).toEqual({ anchors: ["password"], line: true });
    expect(lineAnchors(String.raw`${line}[ \t]{,8}(?:password)=(\w+)`, "")).toBeUndefined();
    expect(lineAnchors(String.raw`${line}[ \t]{}(?:password)=(\w+)`, "")).toBeUndefined();
  });
  it("the built-in line rules have them (generic-secret-config, generic-secret-dockerfile)", () => {
    const rs = compileRuleSet(readRuleFiles());
    const line = rs.rules.filter((r) => r.anchorLine).map((r) => r.id);
    expect(line).toEqual(expect.arrayContaining(["generic-secret-config", "generic-secret-dockerfile", "pypirc-password"]));
  });
});

describe("keyword positions", () => {
  it("lists where each wanted keyword starts, overlaps and case included", () => {
    const m = new KeywordMatcher(["he", "she", "hers", "token"]);
    const seen = new Uint8Array(4);
    const positions = { want: Uint8Array.from([1, 0, 1, 1]), at: [] as Array<number[] | undefined> };
    m.findAll("uSHErs, TOKEN token€tokens", seen, positions);
    expect([...seen]).toEqual([1, 1, 1, 1]);
    expect(positions.at[0]).toEqual([2]);
    expect(positions.at[1]).toBeUndefined();
    expect(positions.at[2]).toEqual([2]);
    expect(positions.at[3]).toEqual([8, 14, 20]);
  });
});

/** The same rule set with every rule run over the whole text (no anchors). */
function unanchored(rs: CompiledRuleSet<CompiledRule>): CompiledRuleSet {
  return { ...rs, rules: rs.rules.map(({ anchorIds: _a, anchorLead: _l, anchorLine: _n, ...r }) => r) };
}

const hits = (rs: CompiledRuleSet, text: string, path: string): string[] => {
  const out: string[] = [];
  collectMatches(rs, text, path, (m: RawMatch) => out.push(`${m.rule.id} ${m.matchStart}-${m.matchEnd} ${m.secretStart}-${m.secretEnd}`));
  return out;
};

describe("anchored scanning", () => {
  const defs = readRuleFiles();
  const rs = compileRuleSet(defs);
  const plain = unanchored(rs);

  it("rules whose match may begin one character before the anchor are tried there too", () => {
    const lead = rs.rules.filter((r) => r.anchorLead === 1).map((r) => r.id);
    expect(lead).toEqual(expect.arrayContaining(["npmrc-auth", "generic-secret-name-value"]));
    // An anchor at the very start of the text, and one a character in.
    const rule = rs.byId.get("npmrc-auth")!;
    const value = Buffer.from("deploy:Tq8v!rW3zLk2").toString("base64");
    for (const text of [`_auth=${value}\n`, `\n_auth=${value}\n`, `x _auth=${value}`]) {
      const only = { ...rs, rules: [rule] };
      expect(hits(only, text, ".npmrc")).toEqual(hits(unanchored(only), text, ".npmrc"));
      expect(hits(only, text, ".npmrc")).toHaveLength(1);
    }
  });

  it("a rule with line anchors is tried at the starts of the lines holding one, long lines and the first line included", () => {
    const rule = rs.byId.get("pypirc-password")!;
    const only = { ...rs, rules: [rule] };
    const value = "Tq8vrW3zLk2x";
    const long = "x".repeat(5000);
    for (const text of [`password = ${value}\n`, `[pypi]\n  password: ${value}\n${long} password ${long}\npassword=${value}`, `${long}\n password = ${value}  \n`]) {
      expect(hits(only, text, ".pypirc")).toEqual(hits(unanchored(only), text, ".pypirc"));
      expect(hits(only, text, ".pypirc").length).toBeGreaterThan(0);
    }
  });

  it("most built-in rules have anchors", () => {
    expect(rs.rules.filter((r) => r.anchorIds).length).toBeGreaterThan(rs.rules.filter((r) => r.pattern).length / 2);
  });

  it("finds exactly what the whole-text regexes find, on every rule's examples among anchors and noise", () => {
    const r = rng(13);
    const noise = "const path = pattern + '/x'; // filler text without much in it\n".repeat(40);
    let compared = 0;
    for (const def of defs) {
      const rule = rs.byId.get(def.id)!;
      if (!rule.anchorIds) continue;
      const anchors = rule.anchorIds.map((id) => rs.keywords.keywords[id]!);
      for (const ex of def.examples ?? []) {
        const a = anchors[Math.floor(r() * anchors.length)]!;
        // Examples back to back, glued to anchors in both cases, and far apart: sparse anchors (sticky attempts) ...
        const sparse = `${noise}${a}${ex.text}${a.toUpperCase()}${ex.text} ${ex.text}${a}\n${noise}${ex.text}`;
        // ... and dense ones (the whole-text regex).
        const dense = `${a} ${ex.text}${a}${a}${ex.text}`;
        for (const text of [sparse, dense]) {
          const path = ex.path ?? "config/app.env";
          expect(hits(rs, text, path), def.id).toEqual(hits(plain, text, path));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
