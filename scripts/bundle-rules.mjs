// Build step: parses rules/*.toml once and writes dist/rules.json, so the
// pre-commit hook starts without parsing TOML. The TOML files stay the source.
import { writeFileSync, mkdirSync } from "node:fs";
const { readRuleFiles } = await import("../dist/ruleset/builtin.js");
const rules = readRuleFiles();
mkdirSync(new URL("../dist/", import.meta.url), { recursive: true });
writeFileSync(new URL("../dist/rules.json", import.meta.url), JSON.stringify(rules));
console.log(`bundled ${rules.length} rules into dist/rules.json`);
