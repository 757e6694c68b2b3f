/**
 * Allowlists, compiled: gitleaks semantics (condition OR/AND, regexTarget
 * secret|match|line, paths, stopwords, commits, targetRules) plus path globs.
 * Pure.
 */
import micromatch from "micromatch";
import { compileTestRegex, RegexSyntaxError } from "./regex.js";
import type { AllowlistDef } from "./types.js";

/** The facts about a candidate that allowlists look at. */
export interface AllowCandidate {
  ruleId: string;
  secret: string;
  match: string;
  line: string;
  path: string;
  commit?: string;
}

/** A compiled allowlist. */
export interface CompiledAllowlist {
  description?: string;
  targetRules?: ReadonlySet<string>;
  /** True when the candidate is allowed (suppressed). Returns the criterion that hit. */
  allows(c: AllowCandidate): string | undefined;
}

/** Compiles one allowlist; `where` prefixes error messages (e.g. `rules/aws.toml: aws-key:`). */
export function compileAllowlist(def: AllowlistDef, where: string): CompiledAllowlist {
  const and = (def.condition ?? "OR").toUpperCase() === "AND";
  const target = def.regexTarget ?? "secret";
  const regexes = (def.regexes ?? []).map((r, i) => {
    try {
      return compileTestRegex(r);
    } catch (e) {
      throw new RegexSyntaxError(`${where} allowlist regexes[${i}]: ${(e as Error).message}`);
    }
  });
  const paths = (def.paths ?? []).map((r, i) => {
    try {
      return compileTestRegex(r);
    } catch (e) {
      throw new RegexSyntaxError(`${where} allowlist paths[${i}]: ${(e as Error).message}`);
    }
  });
  const globMatchers = (def.globs ?? []).map((g) => micromatch.matcher(g, { dot: true }));
  const globs = globMatchers.length > 0 ? (p: string): boolean => globMatchers.some((m) => m(p)) : undefined;
  const stopwords = (def.stopwords ?? []).map((s) => s.toLowerCase());
  const commits = new Set(def.commits ?? []);

  type Check = (c: AllowCandidate) => string | undefined;
  const checks: Check[] = [];
  if (commits.size > 0) checks.push((c) => (c.commit && commits.has(c.commit) ? "commit" : undefined));
  if (paths.length > 0 || globs) {
    checks.push((c) => (paths.some((p) => p.test(c.path)) || (globs && c.path !== "" && globs(c.path)) ? "path" : undefined));
  }
  if (regexes.length > 0) {
    checks.push((c) => {
      const t = target === "line" ? c.line : target === "match" ? c.match : c.secret;
      return regexes.some((r) => r.test(t)) ? `regex (${target})` : undefined;
    });
  }
  if (stopwords.length > 0) {
    checks.push((c) => {
      const s = c.secret.toLowerCase();
      const w = stopwords.find((sw) => s.includes(sw));
      return w ? `stopword "${w}"` : undefined;
    });
  }
  const out: CompiledAllowlist = {
    allows(c) {
      if (checks.length === 0) return undefined;
      if (and) {
        const hits: string[] = [];
        for (const check of checks) {
          const h = check(c);
          if (!h) return undefined;
          hits.push(h);
        }
        return hits.join(" and ");
      }
      for (const check of checks) {
        const h = check(c);
        if (h) return h;
      }
      return undefined;
    },
  };
  if (def.description !== undefined) out.description = def.description;
  if (def.targetRules && def.targetRules.length > 0) out.targetRules = new Set(def.targetRules);
  return out;
}
