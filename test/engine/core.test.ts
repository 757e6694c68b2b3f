/**
 * The engine on its own: no files, no git, no process. Text and rules in,
 * findings out, with exact positions.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { KeywordMatcher } from "../../src/engine/ahocorasick.js";
import { compileAllowlist } from "../../src/engine/allowlist.js";
import { translateRegex } from "../../src/engine/regex.js";
import { compileRuleSet, RuleError } from "../../src/engine/compile.js";
import { shannonEntropy } from "../../src/engine/entropy.js";
import { fingerprintOf } from "../../src/engine/fingerprint.js";
import { LineIndex } from "../../src/engine/lines.js";
import { redactFinding, redactSecret } from "../../src/engine/redact.js";
import { scanFragment } from "../../src/engine/scan.js";
import type { RuleDef } from "../../src/engine/types.js";
import { parseRuleBundle } from "../../src/ruleset/builtin.js";
import { githubToken, randomToken } from "../helpers/secrets.js";

const acme: RuleDef = {
  id: "acme-key",
  description: "ACME key",
  regex: String.raw`\b(acme_[A-Za-z0-9]{24})\b`,
  keywords: ["acme_"],
  severity: "high",
  confidence: "high",
};

describe("keyword prefilter (Aho-Corasick)", () => {
  it("finds every keyword, case-insensitively, including overlaps", () => {
    const m = new KeywordMatcher(["he", "she", "his", "hers", "akia"]);
    const seen = new Uint8Array(5);
    expect(m.findAll("uSHErs and AKIA…", seen)).toBe(4);
    expect([...seen]).toEqual([1, 1, 0, 1, 1]);
  });
  it("resets on non-ASCII characters without losing later matches", () => {
    const m = new KeywordMatcher(["token"]);
    const seen = new Uint8Array(1);
    m.findAll("tok€en … token", seen);
    expect(seen[0]).toBe(1);
  });
  it("a rule whose keyword is absent never runs its regex", () => {
    const rs = compileRuleSet([{ ...acme, keywords: ["zzz"] }]);
    const s = "acme_" + randomToken(24, 7);
    expect(scanFragment(rs, { text: s, path: "a" }).findings).toEqual([]);
  });
});

describe("positions", () => {
  it("reports the 1-based span of the secret group, not the whole match", () => {
    const rs = compileRuleSet([{ ...acme, regex: String.raw`key\s{0,5}=\s{0,5}(acme_[A-Za-z0-9]{24})` , keywords: ["key"] }]);
    const secret = "acme_" + randomToken(24, 8);
    const text = `first line\n  key = ${secret}\n`;
    const [f] = scanFragment(rs, { text, path: "x.env" }).findings;
    expect(f).toMatchObject({ line: 2, column: 9, endLine: 2, endColumn: 9 + secret.length, secret });
    expect(text.split("\n")[1]!.slice(f!.column - 1, f!.endColumn - 1)).toBe(secret);
  });
  it("counts CRLF and lone CR as line ends", () => {
    const li = new LineIndex("a\r\nb\rc\nd");
    expect(li.position(3)).toEqual({ line: 2, column: 1 });
    expect(li.position(5)).toEqual({ line: 3, column: 1 });
    expect(li.position(7)).toEqual({ line: 4, column: 1 });
    expect(li.lineText(2)).toBe("b");
  });
  it("applies lineOffset and keeps only findings touching lineRanges", () => {
    const rs = compileRuleSet([acme]);
    const a = "acme_" + randomToken(24, 9);
    const b = "acme_" + randomToken(24, 10);
    const res = scanFragment(rs, { text: `${a}\n${b}\n`, path: "f", lineOffset: 10, lineRanges: [[12, 12]] });
    expect(res.findings.map((f) => [f.secret, f.line])).toEqual([[b, 12]]);
  });
});

describe("filters", () => {
  it("drops secrets under the entropy floor, with the reason", () => {
    const rs = compileRuleSet([{ ...acme, entropy: 4.5 }]);
    const res = scanFragment(rs, { text: "acme_" + "ab".repeat(12), path: "f" });
    expect(res.findings).toEqual([]);
    expect(res.suppressed[0]?.reason).toMatch(/entropy|placeholder/);
  });
  it("honours inline allow markers of leakguard, gitleaks and detect-secrets", () => {
    const rs = compileRuleSet([acme]);
    for (const marker of ["leakguard:allow test fixture", "gitleaks:allow", "pragma: allowlist secret"]) {
      const res = scanFragment(rs, { text: `k = "acme_${randomToken(24, 11)}" # ${marker}`, path: "f" });
      expect(res.findings).toEqual([]);
      expect(res.suppressed[0]?.reason).toBe("inline-allow");
    }
  });
  it("applies rule allowlists (regex on line, stopwords) and global allowlists with targetRules and AND", () => {
    const s = "acme_" + randomToken(24, 12);
    const withRuleAl = compileRuleSet([{ ...acme, allowlists: [{ regexTarget: "line", regexes: ["^#"] }] }]);
    expect(scanFragment(withRuleAl, { text: `# ${s}`, path: "f" }).findings).toEqual([]);
    expect(scanFragment(withRuleAl, { text: `x ${s}`, path: "f" }).findings).toHaveLength(1);
    const and = compileRuleSet([acme], [{ condition: "AND", paths: ["^docs/"], stopwords: [s.slice(5, 12).toLowerCase()], targetRules: ["acme-key"] }]);
    expect(scanFragment(and, { text: s, path: "docs/a.md" }).findings).toEqual([]);
    expect(scanFragment(and, { text: s, path: "src/a.js" }).findings).toHaveLength(1);
    const other = compileRuleSet([acme], [{ paths: ["^docs/"], targetRules: ["other-rule"] }]);
    expect(scanFragment(other, { text: s, path: "docs/a.md" }).findings).toHaveLength(1);
  });
  it("tags test paths and lowers confidence instead of hiding the finding", () => {
    const rs = compileRuleSet([acme]);
    const [f] = scanFragment(rs, { text: "acme_" + randomToken(24, 13), path: "test/fixtures/a.json" }).findings;
    expect(f?.tags).toContain("test-file");
    expect(f?.confidence).toBe("medium");
  });
});

describe("fingerprints", () => {
  it("are stable per (rule, secret, salt) and differ across salts and rules", () => {
    expect(fingerprintOf("r", "s", "salt1")).toBe(fingerprintOf("r", "s", "salt1"));
    expect(fingerprintOf("r", "s", "salt1")).not.toBe(fingerprintOf("r", "s", "salt2"));
    expect(fingerprintOf("r", "s", "salt1")).not.toBe(fingerprintOf("q", "s", "salt1"));
    expect(fingerprintOf("r", "s")).toMatch(/^[0-9a-f]{32}$/);
  });
  it("the same secret in two places gets the same fingerprint and different locations", () => {
    const rs = compileRuleSet([acme]);
    const s = "acme_" + randomToken(24, 14);
    const a = scanFragment(rs, { text: s, path: "a" }, { salt: "x" }).findings[0]!;
    const b = scanFragment(rs, { text: `\n\n${s}`, path: "b" }, { salt: "x" }).findings[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect([a.location, b.location]).toEqual(["a:acme-key:1", "b:acme-key:3"]);
  });
});

describe("redaction", () => {
  it("never shows more than 4 characters or a quarter of the secret", () => {
    expect(redactSecret("abcdefghijklmnop")).toBe("abcd…");
    expect(redactSecret("abcdefg")).toBe("a…");
    expect(redactSecret("abc")).toBe("…");
  });
  it("redacts secret, match, line text and commit message", () => {
    const rs = compileRuleSet([acme]);
    const s = "acme_" + randomToken(24, 15);
    const f = scanFragment(rs, { text: `x=${s}`, path: "a", commit: { commit: "c1", message: `oops ${s}` } }).findings[0]!;
    const r = JSON.stringify(redactFinding(f));
    expect(r).not.toContain(s);
    expect(JSON.stringify(redactFinding(f, true))).toContain(s);
  });
});

describe("rule compilation errors name the rule and the problem", () => {
  it("secretGroup beyond the groups", () => {
    expect(() => compileRuleSet([{ ...acme, secretGroup: 2, origin: "custom.toml" }])).toThrow(
      "custom.toml: acme-key: secretGroup 2 but the regex has 1 capture group",
    );
  });
  it("bad regex", () => {
    expect(() => compileRuleSet([{ ...acme, regex: "(unclosed" }])).toThrow(RuleError);
    expect(() => compileRuleSet([{ ...acme, regex: "(unclosed" }])).toThrow(/acme-key: regex:/);
  });
  it("duplicate ids", () => {
    expect(() => compileRuleSet([acme, acme])).toThrow(/duplicate rule id/);
  });
});

describe("entropy", () => {
  it("is 0 for one repeated char and log2(n) for n distinct chars", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBeCloseTo(2);
  });
});

describe("capture group counting (from the source, without compiling)", () => {
  it("agrees with the regex engine on groups, named groups, lookarounds, classes and escapes", async () => {
    const { captureGroupCount } = await import("../../src/engine/regex.js");
    for (const src of [String.raw`(a)(?:b)(?<n>c)(?=d)(?<=e)(?<!f)[(]\(x`, String.raw`[\]()](y)`, "no groups", String.raw`((a)|(b))`]) {
      const re = new RegExp(src);
      expect(captureGroupCount(re), src).toBe((new RegExp(re.source + "|").exec("")?.length ?? 1) - 1);
    }
  });
});

describe("precompiled rule bundle", () => {
  it("uses the build-time translation only while it still belongs to the rule's regex", () => {
    const stale = { from: String.raw`\b(zzz_[a-z]{8})\b`, source: String.raw`\b(zzz_[a-z]{8})\b`, flags: "", groups: 1 };
    // A config that overrides a built-in rule's regex keeps the old `precompiled`: it must be ignored.
    const rs = compileRuleSet([{ ...acme, precompiled: stale }]);
    const s = "acme_" + randomToken(24, 41);
    expect(scanFragment(rs, { text: s, path: "a" }).findings.map((f) => f.secret)).toEqual([s]);
    const fresh = compileRuleSet([{ ...acme, precompiled: { from: acme.regex!, source: acme.regex!, flags: "", groups: 1 } }]);
    expect(scanFragment(fresh, { text: s, path: "a" }).findings.map((f) => f.secret)).toEqual([s]);
  });

  it("builds a bundled rule's regex only when a scan runs the rule, and finds the same as with every regex built", () => {
    const bundled = parseRuleBundle(readFileSync(new URL("../../dist/rules.json", import.meta.url), "utf8"));
    expect(bundled.filter((d) => d.precompiled).length).toBeGreaterThan(400);
    const lazy = compileRuleSet(bundled);
    const withPattern = lazy.rules.filter((r) => r.pattern);
    expect(withPattern.filter((r) => r.built?.regex ?? r.built?.sticky)).toEqual([]);
    const text = `const token = "${githubToken(3)}";\npassword = "${randomToken(20, 5)}"\n`;
    const found = scanFragment(lazy, { text, path: "a.js" }).findings.map((f) => `${f.ruleId} ${f.secret}`);
    expect(found.some((f) => f.startsWith("github-pat "))).toBe(true);
    const built = withPattern.filter((r) => r.built?.regex ?? r.built?.sticky).length;
    expect(built).toBeGreaterThan(0);
    expect(built).toBeLessThan(withPattern.length / 2);
    // Every regex built up front (as a config's own rule is): the same findings.
    const eager = compileRuleSet(bundled.map(({ precompiled: _p, ...d }) => d));
    expect(eager.rules.filter((r) => r.pattern).every((r) => r.built?.regex)).toBe(true);
    expect(scanFragment(eager, { text, path: "a.js" }).findings.map((f) => `${f.ruleId} ${f.secret}`)).toEqual(found);
  });

  it("uses an allowlist's build-time translation only for the exact source it was made from", () => {
    const source = String.raw`(?i)^example`;
    // A translation listed under another source (a config changed the regex) is not used.
    const stale = compileAllowlist({ regexes: [source], translated: { [String.raw`^other`]: { source: "^other", flags: "" } } }, "t");
    expect(stale.allows({ ruleId: "r", secret: "EXAMPLE-1", match: "", line: "", path: "a" })).toBeDefined();
    // A listed translation is what runs (here deliberately different, to prove it is read).
    const used = compileAllowlist({ regexes: [source], translated: { [source]: { source: "^never$", flags: "" } } }, "t");
    expect(used.allows({ ruleId: "r", secret: "EXAMPLE-1", match: "", line: "", path: "a" })).toBeUndefined();
  });

  it("ships translations in dist/rules.json equal to translating at run time", () => {
    const bundle = parseRuleBundle(readFileSync(new URL("../../dist/rules.json", import.meta.url), "utf8"));
    let checked = 0;
    for (const rule of bundle) {
      if (rule.path) {
        const now = translateRegex(rule.path);
        expect(rule.precompiledPath, rule.id).toEqual({ from: rule.path, source: now.source, flags: now.flags });
      }
      for (const a of rule.allowlists ?? []) {
        for (const [from, t] of Object.entries(a.translated ?? {})) {
          const now = translateRegex(from);
          expect({ source: t.source, flags: t.flags }, `${rule.id}: ${from}`).toEqual({ source: now.source, flags: now.flags });
          checked++;
        }
        expect(Object.keys(a.translated ?? {}).sort()).toEqual([...new Set([...(a.regexes ?? []), ...(a.paths ?? [])])].sort());
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
