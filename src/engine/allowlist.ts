/**
 * Allowlists, compiled: gitleaks semantics (condition OR/AND, regexTarget
 * secret|match|line, paths, stopwords, commits, targetRules) plus path globs.
 * Pure.
 */
import { globMatcher } from "./glob.js";
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
  /** The file that defined it. */
  origin?: string;
  targetRules?: ReadonlySet<string>;
  /** True when the candidate is allowed (suppressed). Returns the criterion that hit. */
  allows(c: AllowCandidate): string | undefined;
  /**
   * What this allowlist decides from the place alone (its `paths`/`globs`
   * and `commits` checks), as a short key: two places with the same key are
   * judged alike whatever the content. Empty when it looks at content only.
   */
  placeKey(path: string, commit: string | undefined): string;
  /** True when it lists commits (its verdict depends on the commit). */
  readonly byCommit: boolean;
}

/**
 * Compiles one allowlist; `where` prefixes error messages (e.g.
 * `rules/aws.toml: aws-key:`), or makes that prefix when one is needed.
 */
export function compileAllowlist(def: AllowlistDef, where: string | (() => string)): CompiledAllowlist {
  const at = (): string => (typeof where === "string" ? where : where());
  const and = (def.condition ?? "OR").toUpperCase() === "AND";
  const target = def.regexTarget ?? "secret";
  const translated = def.translated;
  const compile = (r: string): RegExp => {
    const t = translated && Object.hasOwn(translated, r) ? translated[r] : undefined;
    return t ? new RegExp(t.source, t.flags) : compileTestRegex(r);
  };
  const regexes = (def.regexes ?? []).map((r, i) => {
    try {
      return compile(r);
    } catch (e) {
      throw new RegexSyntaxError(`${at()} allowlist regexes[${i}]: ${(e as Error).message}`);
    }
  });
  const paths = (def.paths ?? []).map((r, i) => {
    try {
      return compile(r);
    } catch (e) {
      throw new RegexSyntaxError(`${at()} allowlist paths[${i}]: ${(e as Error).message}`);
    }
  });
  const globs = def.globs && def.globs.length > 0 ? globMatcher(def.globs) : undefined;
  const stopwords = (def.stopwords ?? []).map((s) => s.toLowerCase());
  const commits = new Set(def.commits ?? []);

  type Check = (c: AllowCandidate) => string | undefined;
  const checks: Check[] = [];
  const commitHit = (commit: string | undefined): boolean => commit !== undefined && commits.has(commit);
  const pathHit = (path: string): boolean => paths.some((p) => p.test(path)) || (globs !== undefined && path !== "" && globs(path));
  if (commits.size > 0) checks.push((c) => (commitHit(c.commit) ? "commit" : undefined));
  if (paths.length > 0 || globs) checks.push((c) => (pathHit(c.path) ? "path" : undefined));
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
    byCommit: commits.size > 0,
    placeKey(path, commit) {
      return (commits.size > 0 ? (commitHit(commit) ? "1" : "0") : "") + (paths.length > 0 || globs ? (pathHit(path) ? "1" : "0") : "");
    },
  };
  if (def.description !== undefined) out.description = def.description;
  if (def.origin !== undefined) out.origin = def.origin;
  if (def.targetRules && def.targetRules.length > 0) out.targetRules = new Set(def.targetRules);
  return out;
}
