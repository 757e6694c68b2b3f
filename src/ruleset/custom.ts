/**
 * Which regexes of a configuration are not the built-in rules' own: those
 * are unproven (the built-in ones are checked linear-time in CI), so scans
 * with them run under the watchdog (core/scan-pool.ts).
 */
import type { ResolvedConfig } from "../config/load.js";
import type { AllowlistDef, RuleDef } from "../engine/types.js";
import { builtinRules } from "./builtin.js";

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
  const builtins = builtinRules();
  const same = new Set<RuleDef>(builtins);
  if (config.rules.every((r) => same.has(r))) return false;
  builtinSources ??= new Set(builtins.flatMap(regexesOf));
  return config.rules.some((r) => !same.has(r) && regexesOf(r).some((s) => !builtinSources!.has(s)));
}
