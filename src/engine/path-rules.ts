/**
 * Path-only rules: a rule with a `path` and neither a `regex` nor a parser
 * (gitleaks' `pkcs12-file`) flags the file itself, whatever it holds. gitleaks
 * reports such a file as "file detected: PATH"; so does leakguard, once per
 * file (binary files too: the sources call this for every file they meet,
 * before deciding whether to read it). Pure.
 */
import { readyRule, type CompiledRule, type CompiledRuleSet, type SetRule } from "./compile.js";
import { fingerprintOf } from "./fingerprint.js";
import { stampCommit, type EngineOptions, type EngineResult } from "./scan.js";
import { isTestPath } from "./test-paths.js";
import type { Confidence, FindingSource, Finding, CommitInfo, SuppressedFinding } from "./types.js";

/** Where a file stands: what a path-only rule looks at. */
export interface FilePlace {
  /** Path relative to the scanned root, `/`-separated. */
  path: string;
  commit?: CommitInfo;
  source?: FindingSource;
  tags?: string[];
}

/**
 * The finding's secret: the words gitleaks writes as the match. It names no
 * secret of the file, and it is what the fingerprint is made of (rule and
 * path), so every tool that fingerprints a finding by (rule, secret) keeps
 * one stable fingerprint per rule and file.
 */
export function pathRuleSecret(path: string): string {
  return `file detected: ${path}`;
}

const LOWER: Record<Confidence, Confidence> = { high: "medium", medium: "low", low: "low" };
const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** The path-only rules of a set, worked out once per set. */
const pathOnly = new WeakMap<CompiledRuleSet, CompiledRule[]>();

function pathOnlyRules(rs: CompiledRuleSet): CompiledRule[] {
  let list = pathOnly.get(rs);
  if (list === undefined) {
    list = [];
    // From what every rule knows before it is compiled whole (its pattern marker, its parser): reading a
    // built-in rule's def fields would load all 537 rule bodies, which the pre-commit hook never does.
    for (const r of rs.rules as SetRule[]) {
      if (r.pattern === undefined && r.parser === undefined) list.push(r.pending ? readyRule(r) : (r as CompiledRule));
    }
    pathOnly.set(rs, list);
  }
  return list;
}

/** True when the set has a path-only rule (the sources then name every file they meet to {@link scanPlace}). */
export function hasPathOnlyRules(rs: CompiledRuleSet): boolean {
  return pathOnlyRules(rs).length > 0;
}

/**
 * The findings of the path-only rules for the file at `place`: one per rule
 * whose `path` matches, at line 1, unless a path or commit allowlist (the
 * rule's or a global one) allows it, as gitleaks checks them.
 */
export function scanPlace(rs: CompiledRuleSet, place: FilePlace, opts: Pick<EngineOptions, "salt" | "minConfidence"> = {}): EngineResult {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const rules = pathOnlyRules(rs);
  if (rules.length === 0 || place.path === "") return { findings, suppressed };
  const c = place.commit;
  for (const rule of rules) {
    if (!rule.pathRegex!.test(place.path)) continue;
    const secret = pathRuleSecret(place.path);
    const tags = [...rule.tags, ...(place.tags ?? [])];
    let confidence = rule.confidence;
    if (isTestPath(place.path)) {
      tags.push("test-file");
      confidence = LOWER[confidence];
    }
    const f: Finding = {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      confidence,
      file: place.path,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      secret,
      match: secret,
      fingerprint: fingerprintOf(rule.id, secret, opts.salt),
      location: `${c ? c.commit + ":" : ""}${place.path}:${rule.id}:1`,
      entropy: 0,
      tags: [...new Set(tags)],
      source: place.source ?? "file",
    };
    if (c) stampCommit(f, c);
    // gitleaks checks only a path-only rule's place (paths, commits): no text, so no regex or stopword hits.
    const cand = { ruleId: rule.id, secret: "", match: "", line: "", path: place.path, ...(c ? { commit: c.commit } : {}) };
    const allowed = allowedBy(rs, rule, cand);
    if (allowed) suppressed.push({ finding: f, ...allowed });
    else if (opts.minConfidence !== undefined && opts.minConfidence !== "low" && RANK[confidence] < RANK[opts.minConfidence]) {
      suppressed.push({ finding: f, reason: "confidence", detail: `confidence ${confidence} is below --min-confidence ${opts.minConfidence}` });
    } else findings.push(f);
  }
  return { findings, suppressed };
}

/** The allowlist that allows the candidate, as a suppression, if any. */
function allowedBy(
  rs: CompiledRuleSet,
  rule: CompiledRule,
  cand: { ruleId: string; secret: string; match: string; line: string; path: string; commit?: string },
): Omit<SuppressedFinding, "finding"> | undefined {
  for (const al of rule.allowlists) {
    const hit = al.allows(cand);
    if (hit) return { reason: "allowlist", detail: `${rule.id}: ${hit}`, ...(al.origin !== undefined ? { origin: al.origin } : {}) };
  }
  for (const al of rs.globalAllowlists) {
    if (al.targetRules && !al.targetRules.has(rule.id)) continue;
    const hit = al.allows(cand);
    if (hit) return { reason: "allowlist", detail: `${al.description ?? "global allowlist"}: ${hit}`, ...(al.origin !== undefined ? { origin: al.origin } : {}) };
  }
  return undefined;
}
