/**
 * The place part of a verdict: everything about where a text stands (its
 * path, its commit) that can change which findings the same content gives.
 * That is each rule's `path`, each allowlist's `paths`/`globs` and `commits`,
 * test-file tagging (confidence), and the lock-file filter of generic rules.
 *
 * The history scan reads a blob once but may meet it at many places: it scans
 * the content once per distinct place key, so a secret first committed under
 * an allowlisted path and later copied to a real one is judged at the copy
 * too. The blob cache stores the key with the blob id for the same reason.
 * Pure.
 *
 * @example
 *   placeKey(rs, "tests/fixture.env") === placeKey(rs, "tests/other.env"); // usually true
 *   placeKey(rs, "tests/fixture.env") === placeKey(rs, ".pypirc");        // false: test-file tag
 */
import { readyRule, type CompiledRuleSet } from "./compile.js";
import { isLockFile } from "./filters.js";
import { isTestPath } from "./scan.js";

/** True when some allowlist of `rs` lists commits: then the key depends on the commit too. */
export function dependsOnCommit(rs: CompiledRuleSet): boolean {
  return rs.globalAllowlists.some((a) => a.byCommit) || rs.rules.some((r) => readyRule(r).allowlists.some((a) => a.byCommit));
}

/**
 * A short string such that two places with equal keys give equal findings for
 * equal content (apart from the file name and commit written into them).
 */
export function placeKey(rs: CompiledRuleSet, path: string, commit?: string): string {
  let k = (isTestPath(path) ? "t" : "-") + (isLockFile(path) ? "l" : "-") + ":";
  for (const r of rs.rules) {
    // Every rule's paths and allowlists count, whether a text selects it or not.
    const rule = readyRule(r);
    if (rule.pathRegex) k += rule.pathRegex.test(path) ? "1" : "0";
    for (const al of rule.allowlists) k += al.placeKey(path, commit);
  }
  for (const al of rs.globalAllowlists) k += al.placeKey(path, commit);
  return k;
}
