/**
 * What the repository's own files did to a scan: which config files were
 * applied (and the files they extend), how many candidates each one's
 * allowlists suppressed, and loud warnings for configs that silence
 * everything (`[extend] useDefault = false`, a global allowlist that allows
 * every path or every secret). A pull request that edits `.leakguard.toml`
 * can no longer turn a scan green without a word. Pure.
 *
 * @example
 *   noteConfigUse(report, config, "/repo");
 *   report.configs; // [{ path: ".leakguard.toml", kind: "config", suppressed: 3 }]
 */
import { isAbsolute, relative } from "node:path";
import { compileAllowlist, type AllowCandidate } from "../engine/allowlist.js";
import type { ScanReport } from "../core/report.js";
import { nearest } from "../util/suggest.js";
import type { ConfigSource, ResolvedConfig } from "./load.js";

/** One file that can suppress findings, as the summary lists it. */
export interface ConfigUse {
  /** The file: relative to the scanned root when inside it, or `REF:path` (--config-from). */
  path: string;
  /** `config` (the configuration), `extends` (pulled in by `[extend] path`), `ignore` (.leakguardignore, .gitleaksignore), `baseline`. */
  kind: "config" | "extends" | "ignore" | "baseline";
  /** Findings it suppressed in this scan (distinct places: one secret matched by two rules counts once). */
  suppressed: number;
  /** Config files only: built-in rules it really switches off (ids that name no rule are not counted: they get a warning). */
  disabledRules?: number;
  /** Config files only: present (false) when it turns the built-in rules off. */
  useDefault?: false;
}

/** Candidates that differ in every field an allowlist looks at: an allowlist that allows them all allows everything. */
const PROBES: AllowCandidate[] = [
  { ruleId: "generic-api-key", secret: "Q", match: "Q", line: "Q", path: ".env" },
  { ruleId: "aws-access-key-id", secret: "7x", match: "k=7x", line: "k=7x", path: "src/app.ts" },
  { ruleId: "github-pat", secret: "a b-c", match: "a b-c", line: "  a b-c  ", path: "deploy/prod/values.yaml" },
  { ruleId: "private-key", secret: "0123456789", match: "0123456789", line: "0123456789", path: "Z" },
];

/** A path as shown: relative to `root` when inside it. */
export function displayPath(file: string, root: string | undefined): string {
  if (root === undefined || !isAbsolute(file)) return file;
  const r = relative(root, file);
  return r && !r.startsWith("..") && !isAbsolute(r) ? r.split("\\").join("/") : file;
}

/** Warnings for a configuration that turns the built-in rules off, allows everything, or disables rules that do not exist. */
export function configWarnings(config: ResolvedConfig, root?: string): string[] {
  const out: string[] = [];
  for (const s of config.sources ?? []) {
    if (!s.useDefault) {
      const own = config.rules.filter((r) => r.origin === s.file).length;
      out.push(`${displayPath(s.file, root)}: [extend] useDefault = false turns every built-in rule off (${own} rule${own === 1 ? "" : "s"} of its own remain)`);
    }
    if (s.unknownRules && s.unknownRules.length > 0) {
      const ids = config.rules.map((r) => r.id);
      const named = s.unknownRules.map((id) => {
        const near = nearest(id, ids);
        return near === undefined ? `"${id}"` : `"${id}" (did you mean ${near}?)`;
      });
      const n = s.unknownRules.length;
      out.push(`${displayPath(s.file, root)}: [extend] disabledRules names ${n === 1 ? "a rule" : `${n} rules`} that do${n === 1 ? "es" : ""} not exist, turning nothing off: ${named.join(", ")} (see leakguard rules list)`);
    }
  }
  config.allowlists.forEach((a, i) => {
    if (a.targetRules && a.targetRules.length > 0) return;
    let al;
    try {
      al = compileAllowlist(a, `allowlist[${i}]`);
    } catch {
      return; // the scanner reports a bad allowlist itself
    }
    if (!PROBES.every((p) => al.allows(p))) return;
    const what = (a.paths?.length ?? 0) + (a.globs?.length ?? 0) > 0 ? "every path" : "every secret";
    const where = a.origin !== undefined ? displayPath(a.origin, root) : "config";
    out.push(`${where}: a global allowlist${a.description ? ` ("${a.description}")` : ""} matches ${what}: it suppresses every finding`);
  });
  return out;
}

/** The summary entry of one config source. */
function useOf(s: ConfigSource, suppressed: number, root: string | undefined): ConfigUse {
  const u: ConfigUse = { path: displayPath(s.file, root), kind: s.kind, suppressed };
  if (s.disabledRules.length > 0) u.disabledRules = s.disabledRules.length;
  if (!s.useDefault) u.useDefault = false;
  return u;
}

/**
 * Adds the config files of `config` to `report.configs` (before the ignore
 * and baseline entries) with how many suppressed candidates their allowlists
 * account for, and the warnings of {@link configWarnings}. Idempotent.
 */
export function noteConfigUse(report: ScanReport, config: ResolvedConfig, root?: string): ScanReport {
  const sources = config.sources ?? [];
  const done = new Set((report.configs ?? []).map((c) => `${c.kind}\0${c.path}`));
  const places = new Map<string, Set<string>>();
  for (const s of report.suppressed) {
    if (s.origin === undefined) continue;
    const f = s.finding;
    const set = places.get(s.origin) ?? new Set<string>();
    set.add(`${f.commit ?? ""}\0${f.source}\0${f.file}\0${f.line}\0${f.column}`);
    places.set(s.origin, set);
  }
  const counts = new Map([...places].map(([k, v]) => [k, v.size]));
  const uses = sources.map((s) => useOf(s, counts.get(s.file) ?? 0, root)).filter((u) => !done.has(`${u.kind}\0${u.path}`));
  if (uses.length === 0 && report.configs !== undefined) return report;
  report.configs = [...uses, ...(report.configs ?? [])];
  for (const w of configWarnings(config, root)) if (!report.warnings.includes(w)) report.warnings.push(w);
  return report;
}
