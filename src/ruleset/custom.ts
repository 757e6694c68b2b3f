/**
 * Which regexes of a configuration are not the built-in rules' own: those
 * are unproven (the built-in ones are checked linear-time in CI), so scans
 * with them run under the watchdog (core/scan-pool.ts).
 */
import type { ResolvedConfig } from "../config/load.js";
import type { AllowlistDef, RuleDef } from "../engine/types.js";
import { builtinRules, isShippedRule } from "./builtin.js";

let builtinSources: Set<string> | undefined;

/** Every regex a rule carries: its regex and path, and its allowlists' regexes and paths. */
function regexesOf(rule: Pick<RuleDef, "regex" | "path" | "allowlists">): string[] {
  const out: string[] = [];
  if (rule.regex !== undefined) out.push(rule.regex);
  if (rule.path !== undefined) out.push(rule.path);
  for (const a of rule.allowlists ?? []) out.push(...allowlistRegexes(a));
  return out;
}

const allowlistRegexes = (a: AllowlistDef): string[] => [...(a.regexes ?? []), ...(a.paths ?? [])];

/** True when `config` holds a regex (rule or allowlist) that no built-in rule holds. */
export function hasCustomRegexes(config: ResolvedConfig): boolean {
  if (config.allowlists.some((a) => allowlistRegexes(a).length > 0)) return true;
  // Asked without loading the built-in rules (a lazily loaded one as shipped is one of them).
  if (config.rules.every(isShippedRule)) return false;
  builtinSources ??= new Set(builtinRules().flatMap(regexesOf));
  return config.rules.some((r) => !isShippedRule(r) && regexesOf(r).some((s) => !builtinSources!.has(s)));
}
