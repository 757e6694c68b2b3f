/**
 * The built-in rules (I/O edge): `rules/*.toml` shipped with the package, or the
 * precompiled `dist/rules.json` bundle that the build writes so that the
 * pre-commit hook does not parse TOML on every commit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RuleDef } from "../engine/types.js";
import { parseRuleFile } from "./parse.js";

/** Folder of the shipped rule files. */
export const RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));
const BUNDLE = new URL("../rules.json", import.meta.url);

let cached: RuleDef[] | undefined;

/** Reads and parses every `rules/*.toml`, sorted by file name. */
export function readRuleFiles(dir: string = RULES_DIR): RuleDef[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".toml"))
    .sort();
  const defs: RuleDef[] = [];
  for (const f of files) {
    const text = readFileSync(dir + f, "utf8");
    defs.push(...parseRuleFile(text, `rules/${f}`).rules);
  }
  return defs;
}

/**
 * The built-in rule definitions. Uses the bundle when it exists (built
 * package), the TOML files otherwise (source checkout, tests).
 */
export function builtinRules(): RuleDef[] {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(BUNDLE, "utf8")) as RuleDef[];
  } catch {
    cached = readRuleFiles();
  }
  return cached;
}
