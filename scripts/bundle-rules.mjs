// Build step: parses rules/*.toml once and writes dist/rules.json, so the
// pre-commit hook starts without parsing TOML or translating regexes. The TOML
// files stay the source; each rule carries its regex translated to JavaScript
// (`precompiled`, used only while it still matches `regex`) and the literals
// its matches start with, or start with one character in, or whose line they
// begin holds, or that stand a bounded distance after their first character or
// a fixed number of characters into them (engine/anchors.ts).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
const { readRuleFiles } = await import("../dist/ruleset/builtin.js");
const { asciiEscape } = await import("../dist/ruleset/ascii.js");
const { translateRegex, captureGroupCount } = await import("../dist/engine/regex.js");
// Allowlist regexes and paths carry their translation too (`translated`, keyed by source).
const withTranslations = (a) => {
  const sources = [...(a.regexes ?? []), ...(a.paths ?? [])];
  if (sources.length === 0) return a;
  return { ...a, translated: Object.fromEntries(sources.map((s) => [s, translateRegex(s)])) };
};
const { regexAnchors } = await import("../dist/engine/anchors.js");
const { runAnchorOf, storedRunAnchor } = await import("../dist/engine/run-anchors.js");
const { BASE64_ALPHABET, MIN_BASE64 } = await import("../dist/engine/char-runs.js");
const rules = readRuleFiles().map((r) => {
  const out = r.allowlists ? { ...r, allowlists: r.allowlists.map(withTranslations) } : { ...r };
  if (r.path) {
    const { source, flags } = translateRegex(r.path);
    out.precompiledPath = { from: r.path, source, flags };
  }
  if (!r.regex) return out;
  const { source, flags } = translateRegex(r.regex);
  // Lead anchors are stored only for a regex without start anchors, line anchors without either (the engine uses one kind).
  const { anchors, lead, line, before, offset } = regexAnchors(source, flags);
  const precompiled = { from: r.regex, source, flags, groups: captureGroupCount(new RegExp(source, flags)), anchors: anchors ?? [], lead: lead?.anchors ?? [] };
  // A rule without keywords may be tried only at runs of the base64 alphabet (engine/run-anchors.ts): worked out here, not on every commit.
  if (!r.keywords || r.keywords.length === 0) precompiled.run = storedRunAnchor(runAnchorOf(source, flags + "gd", BASE64_ALPHABET, MIN_BASE64));
  if (before) return { ...out, precompiled: { ...precompiled, before } };
  if (offset) return { ...out, precompiled: { ...precompiled, offset } };
  return { ...out, precompiled: line ? { ...precompiled, line: line.anchors } : precompiled };
});
mkdirSync(new URL("../dist/", import.meta.url), { recursive: true });
// Examples only serve `leakguard rules test`: they ship apart, so a scan's start-up
// reads and parses about 40% less.
const EXAMPLE_FIELDS = ["examples", "negativeExamples", "knownMisses"];
// What only reports and `leakguard rules` show (how to rotate a secret, links, the
// rule's file) ships apart too, read when first asked for (ruleset/builtin.ts):
// a clean pre-commit run never reads it, and the file it parses is a third smaller.
const { DETAIL_FIELDS, pickDetails } = await import("../dist/ruleset/builtin.js");
const apart = [...EXAMPLE_FIELDS, ...DETAIL_FIELDS];
const scanning = rules.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !apart.includes(k))));
const examples = Object.fromEntries(rules.map((r) => [r.id, Object.fromEntries(EXAMPLE_FIELDS.filter((k) => r[k]).map((k) => [k, r[k]]))]));
const details = Object.fromEntries(rules.map((r) => [r.id, pickDetails(r)]));
// Pure ASCII (other characters as \u escapes, the same JSON): node reads an ASCII
// file faster, and the parsed text is a one-byte string, half the memory.
const asciiJson = (value) => asciiEscape(JSON.stringify(value));
// A translation's `from` is its rule's own regex (path) here: left out of the file (a
// tenth of it) and put back by the loader (ruleset/builtin.ts parseRuleBundle).
const withoutFrom = (r) => {
  const out = { ...r };
  if (r.precompiled) out.precompiled = Object.fromEntries(Object.entries(r.precompiled).filter(([k]) => k !== "from"));
  if (r.precompiledPath) out.precompiledPath = Object.fromEntries(Object.entries(r.precompiledPath).filter(([k]) => k !== "from"));
  return out;
};
writeFileSync(new URL("../dist/rules-examples.json", import.meta.url), JSON.stringify(examples));
writeFileSync(new URL("../dist/rules-details.json", import.meta.url), asciiJson(details));
// The built-in rules' keyword automaton, stored so that a scan adopts it instead of building it.
const { compileRuleSet } = await import("../dist/engine/compile.js");
const { writeKeywordTables } = await import("../dist/ruleset/keyword-tables.js");
const compiled = compileRuleSet(rules);
const kw = compiled.keywords;
writeKeywordTables(new URL("../dist/keywords.bin", import.meta.url), kw.keywords, kw.tables());
// dist/rules.json (one rule a line, laid out by ruleset/rule-index.ts) and its index, which a
// scan of a few files reads instead of parsing every rule (ruleset/builtin.ts lazyBuiltinRules):
// per rule its id, where its text stands in the file, what selects it (keyword and anchor ids
// into the automaton's keyword list, in the order compiling gives them) and its parser; the
// file's size ties the two files together.
{
  const { encodeRuleBundle } = await import("../dist/ruleset/rule-index.js");
  const { json, index } = encodeRuleBundle(compiled, scanning.map((r) => asciiJson(withoutFrom(r))));
  writeFileSync(new URL("../dist/rules.json", import.meta.url), json);
  writeFileSync(new URL("../dist/rules-index.bin", import.meta.url), index);
}
// A scan checks the stored tables' shape only; every entry is verified here, once, as read back.
const { verifyKeywordTables } = await import("../dist/engine/ahocorasick.js");
const { decodeKeywordTables } = await import("../dist/ruleset/keyword-tables.js");
const stored = decodeKeywordTables(readFileSync(new URL("../dist/keywords.bin", import.meta.url)), kw.keywords);
if (!stored) throw new Error("dist/keywords.bin does not read back");
verifyKeywordTables(kw.keywords, stored);
// stderr: build output must not mix into `npm pack`'s standard output (the tarball name).
console.error(`bundled ${rules.length} rules into dist/rules.json`);
