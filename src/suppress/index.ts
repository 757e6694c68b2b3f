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
import { describeSalt, FINGERPRINT_KEY_ENV, saltIdOf as saltIdOfValue, type FingerprintSalt } from "../config/fingerprint-salt.js";
import type { ConfigUse } from "../config/provenance.js";
import { fingerprintOf } from "../engine/fingerprint.js";
import type { Finding } from "../engine/types.js";
import type { ScanReport } from "../core/report.js";
import { baselineKey, readBaseline, type Baseline } from "./baseline.js";
import { ignoreMatcher, isFingerprintPrefix, parseIgnoreFile, readIgnoreFile, type IgnoreEntry } from "./ignore-file.js";
import { append } from "../util/append.js";

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
  /** Ignore files named by the caller, read as well (gitleaks' `--gitleaks-ignore-path`); missing files are skipped, one already read is not read again. */
  extraIgnoreFiles?: string[];
  /** Ignore files already read (e.g. from a git revision for --config-from): used instead of `ignoreFiles`. */
  ignoreTexts?: Array<{ label: string; text: string }>;
  /**
   * The fingerprint salt of the scan (a string is an explicit salt): a
   * baseline made with another salt or key is reported in the warnings.
   */
  salt?: string | FingerprintSalt;
  /**
   * The salt the repository uses without the private key (its config salt or
   * root commit), asked only when the scan's salt is a key and a finding has
   * to be matched: ignore entries and a baseline written under it before the
   * key was set still match, with a warning saying so (see SaltPlan.withoutKey).
   */
  fallbackSalt?: () => Promise<FingerprintSalt | undefined>;
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

/** The salt record of `opts.salt` (undefined when the caller did not say). */
function saltOf(opts: SuppressOptions): FingerprintSalt | undefined {
  const s = opts.salt;
  if (s === undefined) return undefined;
  return typeof s === "string" ? ({ kind: "salt", value: s, saltId: saltIdOfValue(s) } as FingerprintSalt) : s;
}

/** Why a baseline made under `b` cannot match a scan under `now`: one line, never a key. */
function baselineMismatch(name: string, b: Baseline, now: FingerprintSalt): string {
  const made = b.saltKind === "key" || b.keyId ? describeSalt({ kind: "key", keyId: b.keyId }) : b.saltKind ? describeSalt({ kind: b.saltKind }) : "another fingerprint salt";
  if (b.keyId && now.kind !== "key") {
    return `${name}: made with ${made}, which is not set now: none of its entries can match — set ${FINGERPRINT_KEY_ENV} to the same key, or recreate it with 'leakguard baseline create --force'`;
  }
  if (b.keyId && now.keyId !== b.keyId) {
    return `${name}: made with another ${FINGERPRINT_KEY_ENV} (key id ${b.keyId}; now ${now.keyId}): none of its entries can match — use the same key, or recreate it`;
  }
  if (!b.keyId && now.kind === "key") {
    return `${name}: made without ${FINGERPRINT_KEY_ENV} (${made}), but the key is set now (key id ${now.keyId}): none of its entries can match — recreate it with the key set ('leakguard baseline create --force')`;
  }
  return `${name}: made with another fingerprint salt (another repository, or a different salt in the config); its entries cannot match — recreate it with 'leakguard baseline create'`;
}

/** Every entry of the ignore files (default: `.leakguardignore` and `.gitleaksignore` at `root`); missing files are skipped. */
export function readIgnoreEntries(root: string, files: readonly string[] = IGNORE_NAMES.map((n) => join(root, n)), within?: string): IgnoreEntry[] {
  const entries: IgnoreEntry[] = [];
  for (const f of files) append(entries, readIgnoreFile(f, label(root, f), within) ?? []);
  return entries;
}

/**
 * Moves findings hidden by ignore files or the baseline into
 * `report.suppressed`; returns the report (changed in place).
 */
export async function applySuppressions(report: ScanReport, opts: SuppressOptions): Promise<ScanReport> {
  let entries: IgnoreEntry[] = [];
  const uses: ConfigUse[] = [];
  const useOf = new Map<string, ConfigUse>();
  const addUse = (path: string, kind: ConfigUse["kind"]): void => {
    const u: ConfigUse = { path, kind, suppressed: 0 };
    uses.push(u);
    useOf.set(path, u);
  };
  if (opts.ignoreTexts) {
    for (const t of opts.ignoreTexts) {
      append(entries, parseIgnoreFile(t.text, t.label));
      addUse(t.label, "ignore");
    }
  } else {
    // Ignore files found in the tree are bound to it; files named by the caller are not.
    const within = opts.ignoreFiles ? undefined : opts.root;
    for (const f of opts.ignoreFiles ?? IGNORE_NAMES.map((n) => join(opts.root, n))) {
      const got = readIgnoreFile(f, label(opts.root, f), within);
      if (!got) continue;
      append(entries, got);
      addUse(label(opts.root, f), "ignore");
    }
  }
  for (const f of opts.extraIgnoreFiles ?? []) {
    const name = label(opts.root, f);
    if (useOf.has(name)) continue;
    const got = readIgnoreFile(f, name);
    if (!got) continue;
    append(entries, got);
    addUse(name, "ignore");
  }
  const now = saltOf(opts);
  // Entries written before a private key was set carry fingerprints under the repository's own salt;
  // asked only when there is something to match (a clean run never walks to the root commit).
  const matching = report.findings.length > 0 && (entries.length > 0 || opts.baselineFile !== undefined);
  let fallback = now?.kind === "key" && matching && opts.fallbackSalt ? await opts.fallbackSalt() : undefined;
  const altFp = new Map<Finding, string>();
  const alt = (f: Finding): Finding => {
    let fp = altFp.get(f);
    if (fp === undefined) altFp.set(f, (fp = fingerprintOf(f.ruleId, f.secret, fallback!.value)));
    return { ...f, fingerprint: fp };
  };
  // Rotation records hide nothing: they tag the findings of a rotated secret.
  const rotations = entries.filter((e) => e.rotated !== undefined);
  if (rotations.length > 0) {
    const r = ignoreMatcher(rotations);
    for (const f of report.findings) if ((r.match(f) || (fallback && r.match(alt(f)))) && !f.tags.includes("rotated")) f.tags = [...f.tags, "rotated"];
  }
  entries = entries.filter((e) => e.rotated === undefined);
  const kept: Finding[] = [];
  if (entries.length > 0) {
    const m = ignoreMatcher(entries);
    const used = new Set<IgnoreEntry>();
    const byFallback = new Map<string, number>();
    // Matched by today's fingerprint, else (with the key set) by the repository salt's.
    const hits = report.findings.map((f) => {
      const e = m.match(f);
      if (e || !fallback) return { f, e, fp: f.fingerprint, viaFallback: false };
      const a = alt(f);
      const ea = m.match(a);
      return { f, e: ea, fp: a.fingerprint, viaFallback: ea !== undefined };
    });
    // A short fingerprint must name one secret: a prefix matching two different fingerprints hides neither.
    const fpsOf = new Map<IgnoreEntry, Set<string>>();
    for (const { e, fp } of hits) if (e && isFingerprintPrefix(e)) fpsOf.set(e, (fpsOf.get(e) ?? new Set()).add(fp));
    const ambiguous = new Set([...fpsOf].filter(([, fps]) => fps.size > 1).map(([e]) => e));
    for (const e of ambiguous) {
      report.warnings.push(`${where(e)}: fingerprint prefix ${e.value} matches ${fpsOf.get(e)!.size} different fingerprints; it hides none of them (write more digits)`);
    }
    for (const { f, e, viaFallback } of hits) {
      if (!e || ambiguous.has(e)) {
        kept.push(f);
        continue;
      }
      if (viaFallback) byFallback.set(e.file, (byFallback.get(e.file) ?? 0) + 1);
      used.add(e);
      const u = useOf.get(e.file);
      if (u) u.suppressed++;
      report.suppressed.push({ finding: f, reason: "ignore-file", detail: `${where(e)}${e.reason ? ": " + e.reason : ""}`, origin: e.file });
    }
    report.findings = kept.splice(0);
    for (const [file, n] of byFallback) {
      report.warnings.push(
        `${file}: ${n} entr${n === 1 ? "y matches" : "ies match"} only by ${describeSalt(fallback!)}, not by ${describeSalt(now!)}; still applied — rewrite ${n === 1 ? "it" : "them"} with today's fingerprints (--show-suppressed)`,
      );
    }
    if (opts.reportUnused) {
      for (const e of entries) {
        if (!used.has(e)) report.warnings.push(`${where(e)}: ignore entry matches no finding: ${e.value.length > 100 ? e.value.slice(0, 100) + "…" : e.value}`);
      }
    }
  }
  if (opts.baselineFile) {
    const name = label(opts.root, opts.baselineFile);
    const b = readBaseline(opts.baselineFile, name)!;
    addUse(name, "baseline");
    // A baseline made under the repository salt before the key was set still matches through that salt.
    let viaFallback = false;
    if (now !== undefined && b.saltId && b.saltId !== now.saltId) {
      // A mismatch may only mean the baseline predates the key: name that rather than a foreign salt.
      if (now.kind === "key" && fallback === undefined && opts.fallbackSalt) fallback = await opts.fallbackSalt();
      if (fallback && b.saltId === fallback.saltId) {
        viaFallback = true;
        report.warnings.push(
          `${name}: made with ${describeSalt(fallback)}, not ${describeSalt(now)}; its entries still match through that salt — 'leakguard baseline update' re-keys it`,
        );
      } else report.warnings.push(baselineMismatch(name, b, now));
    }
    const byKey = new Map(b.entries.map((e) => [baselineKey(e), e]));
    const usedKeys = new Set<string>();
    for (const f of report.findings) {
      const e = byKey.get(baselineKey(viaFallback ? alt(f) : f));
      if (!e) {
        kept.push(f);
        continue;
      }
      usedKeys.add(baselineKey(e));
      useOf.get(name)!.suppressed++;
      const who = [e.reason, e.reviewedBy ? `reviewed by ${e.reviewedBy}` : undefined].filter(Boolean).join("; ");
      report.suppressed.push({ finding: f, reason: "baseline", detail: `${name}${who ? ": " + who : ""}`, origin: name });
    }
    report.findings = kept;
    if (opts.reportUnused) {
      const stale = b.entries.filter((e) => !usedKeys.has(baselineKey(e)));
      for (const e of stale.slice(0, 50)) report.warnings.push(`${name}: baseline entry matches no finding: ${e.file} ${e.ruleId} ${e.fingerprint.slice(0, 12)} ('leakguard baseline update' drops it)`);
      if (stale.length > 50) report.warnings.push(`${name}: … and ${stale.length - 50} more baseline entries match no finding`);
    }
  }
  if (uses.length > 0) {
    const have = new Set((report.configs ?? []).map((c) => `${c.kind}\0${c.path}`));
    report.configs = [...(report.configs ?? []), ...uses.filter((u) => !have.has(`${u.kind}\0${u.path}`))];
  }
  return report;
}
