/**
 * Suppression layers that live in files next to the code, applied to a
 * finished scan in one place for every command and the library:
 *
 * 1. ignore files (`.leakguardignore`, `.gitleaksignore`) — fingerprints and locations;
 * 2. the baseline (`--baseline FILE`) — accepted findings, by fingerprint and file.
 *
 * (Allowlists and inline `leakguard:allow` markers act earlier, in the engine.)
 * A hidden finding moves to `report.suppressed` with reason `ignore-file` or
 * `baseline` and a detail saying which entry and why, for `--show-suppressed`.
 *
 * @example
 *   await applySuppressions(report, { root: "/repo", baselineFile: "/repo/.leakguard-baseline.json" });
 */
import { isAbsolute, join, relative } from "node:path";
import { DEFAULT_SALT } from "../engine/fingerprint.js";
import type { Finding } from "../engine/types.js";
import { rootCommitSalt } from "../git/repo.js";
import type { ScanReport } from "../report/types.js";
import { baselineKey, readBaseline, saltIdOf } from "./baseline.js";
import { ignoreMatcher, isFingerprintPrefix, readIgnoreFile, type IgnoreEntry } from "./ignore-file.js";

/** Ignore files looked for at the root, in order. */
export const IGNORE_NAMES = [".leakguardignore", ".gitleaksignore"] as const;

/** Options for {@link applySuppressions}. */
export interface SuppressOptions {
  /** Folder holding the ignore files (the scanned root, or the repository root). */
  root: string;
  /** Baseline file to apply (absolute); an error if it does not exist. */
  baselineFile?: string;
  /** Ignore files to read (absolute); default `.leakguardignore` and `.gitleaksignore` at `root`. Missing files are skipped. */
  ignoreFiles?: string[];
  /** The fingerprint salt of the scan: a baseline made with another salt is reported in the warnings. */
  salt?: string;
  /** Add a warning for each ignore entry (and baseline entry) that matched no finding. */
  reportUnused?: boolean;
}

/** A path as shown in details and warnings: relative to the root when inside it. */
function label(root: string, file: string): string {
  const r = relative(root, file);
  return r && !r.startsWith("..") && !isAbsolute(r) ? r.split("\\").join("/") : file;
}

/** `file:line` of an entry. */
const where = (e: IgnoreEntry): string => `${e.file}:${e.line}`;

/**
 * Moves findings hidden by ignore files or the baseline into
 * `report.suppressed`; returns the report (changed in place).
 */
export async function applySuppressions(report: ScanReport, opts: SuppressOptions): Promise<ScanReport> {
  // Ignore files found in the tree are bound to it; files named by the caller are not.
  const within = opts.ignoreFiles ? undefined : opts.root;
  const files = opts.ignoreFiles ?? IGNORE_NAMES.map((n) => join(opts.root, n));
  const entries: IgnoreEntry[] = [];
  for (const f of files) {
    entries.push(...(readIgnoreFile(f, label(opts.root, f), within) ?? []));
  }
  const kept: Finding[] = [];
  if (entries.length > 0) {
    const m = ignoreMatcher(entries);
    const used = new Set<IgnoreEntry>();
    const hits = report.findings.map((f) => ({ f, e: m.match(f) }));
    // A short fingerprint must name one secret: a prefix matching two different fingerprints hides neither.
    const fpsOf = new Map<IgnoreEntry, Set<string>>();
    for (const { f, e } of hits) if (e && isFingerprintPrefix(e)) fpsOf.set(e, (fpsOf.get(e) ?? new Set()).add(f.fingerprint));
    const ambiguous = new Set([...fpsOf].filter(([, fps]) => fps.size > 1).map(([e]) => e));
    for (const e of ambiguous) {
      report.warnings.push(`${where(e)}: fingerprint prefix ${e.value} matches ${fpsOf.get(e)!.size} different fingerprints; it hides none of them (write more digits)`);
    }
    for (const { f, e } of hits) {
      if (!e || ambiguous.has(e)) {
        kept.push(f);
        continue;
      }
      used.add(e);
      report.suppressed.push({ finding: f, reason: "ignore-file", detail: `${where(e)}${e.reason ? ": " + e.reason : ""}` });
    }
    report.findings = kept.splice(0);
    if (opts.reportUnused) {
      for (const e of entries) {
        if (!used.has(e)) report.warnings.push(`${where(e)}: ignore entry matches no finding: ${e.value.length > 100 ? e.value.slice(0, 100) + "…" : e.value}`);
      }
    }
  }
  if (opts.baselineFile) {
    const name = label(opts.root, opts.baselineFile);
    const b = readBaseline(opts.baselineFile, name)!;
    if (opts.salt !== undefined && b.saltId && b.saltId !== saltIdOf(opts.salt)) {
      report.warnings.push(
        `${name}: made with another fingerprint salt (another repository, or a different salt in the config); its entries cannot match — recreate it with 'leakguard baseline create'`,
      );
    }
    const byKey = new Map(b.entries.map((e) => [baselineKey(e), e]));
    const usedKeys = new Set<string>();
    for (const f of report.findings) {
      const e = byKey.get(baselineKey(f));
      if (!e) {
        kept.push(f);
        continue;
      }
      usedKeys.add(baselineKey(e));
      const who = [e.reason, e.reviewedBy ? `reviewed by ${e.reviewedBy}` : undefined].filter(Boolean).join("; ");
      report.suppressed.push({ finding: f, reason: "baseline", detail: `${name}${who ? ": " + who : ""}` });
    }
    report.findings = kept;
    if (opts.reportUnused) {
      const stale = b.entries.filter((e) => !usedKeys.has(baselineKey(e)));
      for (const e of stale.slice(0, 50)) report.warnings.push(`${name}: baseline entry matches no finding: ${e.file} ${e.ruleId} ${e.fingerprint.slice(0, 12)} ('leakguard baseline update' drops it)`);
      if (stale.length > 50) report.warnings.push(`${name}: … and ${stale.length - 50} more baseline entries match no finding`);
    }
  }
  return report;
}

/**
 * The fingerprint salt for a scan rooted at `root`: the config's `salt` when
 * set, else the repository's root commit when `root` is inside a git
 * repository (the same in every clone, different between repositories),
 * else the default salt.
 */
export async function resolveSalt(root: string, configSalt?: string): Promise<string> {
  if (configSalt !== undefined) return configSalt;
  return (await rootCommitSalt(root)) ?? DEFAULT_SALT;
}
