/**
 * The built package's rule bundle: dist/rules.json carries what a scan needs,
 * the examples ship apart (dist/rules-examples.json) and `rules test` puts
 * them back, only for rules that are still the built-in ones; the details
 * only reports show (remediation, references, origin) ship apart too
 * (dist/rules-details.json), read when first asked for.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RuleDef } from "../../src/engine/types.js";
import { DETAIL_FIELDS, parseRuleBundle, readRuleFiles, withBuiltinExamples, withOwnDetails } from "../../src/ruleset/builtin.js";
import { BASE64_ALPHABET, MIN_BASE64 } from "../../src/engine/char-runs.js";
import { compileRuleSet } from "../../src/engine/compile.js";
import { fromStoredRunAnchor, runAnchorOf, storedRunAnchor, type StoredRunAnchor } from "../../src/engine/run-anchors.js";

const dist = (f: string) => new URL(`../../dist/${f}`, import.meta.url);
const toml = readRuleFiles();
const exampleCount = (defs: readonly RuleDef[]) => defs.reduce((n, r) => n + (r.examples?.length ?? 0) + (r.negativeExamples?.length ?? 0), 0);

describe("rule bundle", () => {
  it("leaves the examples out of the scanning bundle and keeps every one of them apart", () => {
    const scanning = JSON.parse(readFileSync(dist("rules.json"), "utf8")) as RuleDef[];
    expect(scanning.map((r) => r.id)).toEqual(toml.map((r) => r.id));
    expect(scanning.some((r) => r.examples || r.negativeExamples || r.knownMisses)).toBe(false);
    const apart = JSON.parse(readFileSync(dist("rules-examples.json"), "utf8")) as Record<string, Partial<RuleDef>>;
    for (const r of toml) {
      expect(apart[r.id]?.examples, r.id).toEqual(r.examples);
      expect(apart[r.id]?.negativeExamples, r.id).toEqual(r.negativeExamples);
    }
  });

  it("leaves each translation's `from` (its rule's own regex or path) out of the file, and the loader puts it back", () => {
    const text = readFileSync(dist("rules.json"), "utf8");
    const raw = JSON.parse(text) as RuleDef[];
    expect(raw.filter((r) => r.precompiled).length).toBeGreaterThan(400);
    expect(raw.some((r) => (r.precompiled && "from" in r.precompiled) || (r.precompiledPath && "from" in r.precompiledPath))).toBe(false);
    const loaded = parseRuleBundle(text);
    expect(loaded.every((r) => !r.precompiled || r.precompiled.from === r.regex)).toBe(true);
    expect(loaded.filter((r) => r.precompiledPath).every((r) => r.precompiledPath!.from === r.path)).toBe(true);
  });

  it("carries the run anchor of each rule without keywords, worked out by the build as the engine works it out, and a rule compiled from the bundle takes it as is", () => {
    const loaded = parseRuleBundle(readFileSync(dist("rules.json"), "utf8"));
    const keywordless = loaded.filter((r) => r.precompiled && !(r.keywords && r.keywords.length > 0));
    expect(keywordless.map((r) => r.id)).toEqual(["discord-bot-token", "twilio-credential-pair"]);
    for (const r of keywordless) {
      const computed = runAnchorOf(r.precompiled!.source, r.precompiled!.flags + "gd", BASE64_ALPHABET, MIN_BASE64);
      expect(r.precompiled!.run, r.id).toEqual(storedRunAnchor(computed));
      expect(fromStoredRunAnchor(r.precompiled!.run!), r.id).toEqual(computed);
    }
    // Taken from the bundle: a stored anchor that differs from what the regex gives shows through.
    const discord = loaded.find((r) => r.id === "discord-bot-token")!;
    const marked = { ...discord, precompiled: { ...discord.precompiled!, run: { ...(discord.precompiled!.run as Exclude<StoredRunAnchor, false>), max: 99 } } };
    expect(compileRuleSet([marked]).rules[0]!.runAnchor?.max).toBe(99);
  });

  it("leaves the details out of the scanning bundle; each loaded rule has them as the TOML gives them, in JSON and in copies made to keep them", () => {
    const text = readFileSync(dist("rules.json"), "utf8");
    const raw = JSON.parse(text) as Array<Record<string, unknown>>;
    expect(raw.some((r) => DETAIL_FIELDS.some((f) => f in r))).toBe(false);
    const apart = JSON.parse(readFileSync(dist("rules-details.json"), "utf8")) as Record<string, Partial<RuleDef>>;
    for (const r of toml) for (const f of DETAIL_FIELDS) expect(apart[r.id]?.[f], `${r.id} ${f}`).toEqual(r[f]);
    const loaded = parseRuleBundle(text);
    const json = JSON.parse(JSON.stringify(loaded)) as RuleDef[];
    const copies = loaded.map((r) => ({ ...withOwnDetails(r) }));
    for (const [i, r] of toml.entries()) {
      for (const f of DETAIL_FIELDS) {
        expect(loaded[i]![f], `${r.id} ${f}`).toEqual(r[f]);
        expect(json[i]![f], `${r.id} ${f}`).toEqual(r[f]);
        expect(copies[i]![f], `${r.id} ${f}`).toEqual(r[f]);
      }
    }
    // An assignment is the rule's own; another rule keeps the shipped text.
    loaded[0]!.remediation = "rotate it";
    expect([loaded[0]!.remediation, withOwnDetails(loaded[0]!).remediation, loaded[1]!.remediation]).toEqual(["rotate it", "rotate it", toml[1]!.remediation]);
  });

  it("in the built package, a config that refines a built-in rule keeps its remediation and references; `rules list` shows a rule's origin", async () => {
    const { loadConfig } = (await import(dist("index.js").href)) as typeof import("../../src/index.js");
    const dir = mkdtempSync(join(tmpdir(), "lg-details-"));
    try {
      writeFileSync(join(dir, ".leakguard.toml"), '[[rules]]\nid = "github-pat"\nentropy = 2.5\n');
      const rule = loadConfig({ root: dir }).rules.find((r) => r.id === "github-pat")!;
      const shipped = toml.find((r) => r.id === "github-pat")!;
      expect(rule.entropy).toBe(2.5);
      expect([rule.remediation, rule.references, rule.origin]).toEqual([shipped.remediation, shipped.references, join(dir, ".leakguard.toml")]);
      const bin = fileURLToPath(new URL("../../bin/leakguard.js", import.meta.url));
      const list = JSON.parse(execFileSync(process.execPath, [bin, "rules", "list", "--no-config", "--format", "json"], { encoding: "utf8" })) as Array<{ id: string; origin?: string }>;
      expect(list.find((r) => r.id === "github-pat")!.origin).toBe(shipped.origin);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives examples back to a built-in rule, not to a config's rule that reuses its id", () => {
    const rule = toml.find((r) => r.examples && r.regex)!;
    const { examples: _e, negativeExamples: _n, knownMisses: _k, ...bare } = rule;
    expect(withBuiltinExamples([bare])[0]!.examples).toEqual(rule.examples);
    const override = { ...bare, regex: String.raw`\b(zz_[a-z]{20})\b` };
    expect(withBuiltinExamples([override])[0]!.examples).toBeUndefined();
  });

  it("runs every built-in example in `leakguard rules test` from the built package", () => {
    const bin = fileURLToPath(new URL("../../bin/leakguard.js", import.meta.url));
    const out = JSON.parse(execFileSync(process.execPath, [bin, "rules", "test", "--no-config", "--format", "json"], { encoding: "utf8" })) as { rules: number; examples: number; problems: unknown[] };
    expect(out).toEqual({ rules: toml.length, examples: exampleCount(toml), problems: [] });
  });
});
