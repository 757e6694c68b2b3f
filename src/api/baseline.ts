/**
 * Library: write the baseline file of today's findings in a folder's working
 * tree (what `leakguard baseline create|update` does), so that a scan with
 * `baseline` reports only new ones.
 *
 * - `create` refuses to overwrite an existing baseline (reasons would be lost)
 *   unless `force`; `from` starts from a detect-secrets `.secrets.baseline`
 *   or a gitleaks JSON report: only the findings that file accepted are
 *   written, everything else stays reported.
 * - `update` keeps the entries that still occur (with their reason and
 *   reviewer), drops those that no longer do, adds new findings.
 *
 * The old file is read before scanning and replaced atomically after: a run
 * that fails (bad config, unreadable path) leaves it as it was.
 */
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describeSalt, FINGERPRINT_KEY_ENV, type FingerprintSalt } from "../config/fingerprint-salt.js";
import { fingerprintOf } from "../engine/fingerprint.js";
import type { Finding } from "../engine/types.js";
import { ArgumentError, InputError, UsageError } from "../errors.js";
import { scanFiles } from "../sources/files.js";
import { BASELINE_MAX_BYTES, BASELINE_NAME, readBaseline, updateBaseline, writeBaseline, type Baseline, type BaselineUpdate } from "../suppress/baseline.js";
import { parseImport, type ImportedBaseline } from "../suppress/import.js";
import { readConfigFile } from "../util/read-config-file.js";
import { checkSetup, finishScan, prepareScan, withPrepared, type ScanSetup } from "./pipeline.js";

/** Options for {@link makeBaseline}. */
export interface MakeBaselineOptions extends Omit<ScanSetup, "baseline" | "importBaseline" | "reportUnusedIgnores"> {
  /** `create` a new baseline, or `update` the existing one. */
  mode: "create" | "update";
  /** The folder scanned (default `.`): relative to `cwd`. */
  repo?: string;
  /** Where relative paths start and how messages name files (default: process.cwd()). */
  cwd?: string;
  /** The baseline file (default: `REPO/.leakguard-baseline.json`), relative to `cwd`. */
  file?: string;
  /** A detect-secrets `.secrets.baseline` or gitleaks JSON report to start from, relative to `cwd`. */
  from?: string;
  /** Reason stored on the entries this run adds (default: the imported file's, if any). */
  reason?: string;
  /** Reviewer stored on the entries this run adds. */
  reviewedBy?: string;
  /** create: overwrite an existing baseline; update: accept a baseline made with another salt. */
  force?: boolean;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
}

/** What {@link makeBaseline} did. */
export interface MakeBaselineResult extends BaselineUpdate {
  /** The file written (absolute), and how messages name it. */
  file: string;
  label: string;
  /** The salt of the written fingerprints. */
  salt: FingerprintSalt;
  /** Set when old entries made under the repository's salt were re-keyed to the private key. */
  rekeyed?: { from: FingerprintSalt; kept: number };
  /** With `from`: what the imported file matched. */
  imported?: { kind: ImportedBaseline["kind"]; size: number; matched: number; unused: number; notInIt: number };
}

/**
 * Scans the working tree of `repo` (ignore files applied: an ignored finding
 * needs no entry) and writes the baseline (see the module comment).
 *
 * @example
 *   const r = await makeBaseline({ mode: "update", repo: "/path/to/repo" });
 *   console.log(`${r.added.length} added, ${r.dropped.length} dropped`);
 */
export async function makeBaseline(options: MakeBaselineOptions): Promise<MakeBaselineResult> {
  checkSetup("makeBaseline", options, ["repo", "cwd", "file", "from", "reason", "reviewedBy"]);
  if (options.mode !== "create" && options.mode !== "update") throw new ArgumentError(`makeBaseline: options.mode must be "create" or "update", got ${JSON.stringify(options.mode)}`);
  const cwd = resolve(options.cwd ?? process.cwd());
  const repo = options.repo ?? ".";
  const root = resolve(cwd, repo);
  if (!existsSync(root)) throw new InputError(`${repo}: no such folder`);
  const file = options.file !== undefined ? resolve(cwd, options.file) : join(root, BASELINE_NAME);
  const label = relative(cwd, file) || file;
  const force = options.force === true;

  // Everything that can fail is read before the scan, and nothing is written until the end.
  let old: Baseline | undefined;
  if (options.mode === "create") {
    if (existsSync(file) && !force) throw new UsageError(`${label} exists; 'leakguard baseline update' keeps its reasons (or --force to start over)`);
  } else {
    // The default baseline lives in the repository: bound to it. One the caller named is not.
    old = readBaseline(file, label, false, options.file === undefined ? root : undefined);
  }
  let imported: ImportedBaseline | undefined;
  if (options.from !== undefined) {
    const text = readConfigFile(resolve(cwd, options.from), { kind: "report", label: options.from, maxBytes: BASELINE_MAX_BYTES });
    if (text === undefined) throw new InputError(`${options.from}: cannot read (ENOENT)`);
    imported = parseImport(text, options.from);
  }

  // A written baseline records its salt: decided before the scan, even when nothing is found.
  const prepared = await prepareScan({ root, repository: root, saltFirst: true }, options);
  const salt = prepared.scanner.fingerprintSalt;
  // A baseline written under the repository salt before LEAKGUARD_FINGERPRINT_KEY was set is re-keyed, reasons kept.
  const fallback = old?.saltId !== undefined && old.saltId !== salt.saltId ? await prepared.plan?.withoutKey() : undefined;
  const rekey = old?.saltId !== undefined && fallback !== undefined && old.saltId === fallback.saltId;
  const scanned = await withPrepared(prepared, (scanner) => {
    if (old?.saltId && old.saltId !== salt.saltId && !rekey && !force) {
      const why = old.keyId
        ? salt.kind === "key"
          ? `with another ${FINGERPRINT_KEY_ENV} (key id ${old.keyId}; now ${salt.keyId})`
          : `with ${FINGERPRINT_KEY_ENV} (key id ${old.keyId}), which is not set now`
        : "with another fingerprint salt (another repository, or a changed salt in the config)";
      throw new UsageError(`${label} was made ${why}: none of its entries can match; --force to rebuild it (reasons are lost)`);
    }
    return scanFiles(scanner, [root], { root, gitignore: options.gitignore !== false });
  });
  const { report } = await finishScan(scanned, root, options, prepared);

  let rekeyed: MakeBaselineResult["rekeyed"];
  if (rekey && old) {
    // Old entries carry repository-salt fingerprints: map each to today's keyed fingerprint of the same secret.
    const byOld = new Map(old.entries.map((e) => [`${e.fingerprint}\0${e.file}`, e]));
    const moved = new Map<string, (typeof old.entries)[number]>();
    for (const f of report.findings) {
      const e = byOld.get(`${fingerprintOf(f.ruleId, f.secret, fallback!.value)}\0${f.file}`);
      if (e) moved.set(`${f.fingerprint}\0${f.file}`, { ...e, fingerprint: f.fingerprint });
    }
    old = { ...old, entries: [...moved.values()] };
    rekeyed = { from: fallback!, kept: moved.size };
  }

  let findings: Finding[] = report.findings;
  const extra: { reason?: string; reviewedBy?: string } = {};
  if (options.reviewedBy !== undefined) extra.reviewedBy = options.reviewedBy;
  const importReasons = new Map<Finding, string>();
  if (imported) {
    const inOld = new Set((old?.entries ?? []).map((e) => `${e.fingerprint}\0${e.file}`));
    findings = findings.filter((f) => {
      const why = imported.match(f);
      if (why) importReasons.set(f, options.reason ?? why);
      return why !== undefined || inOld.has(`${f.fingerprint}\0${f.file}`);
    });
  }
  if (options.reason !== undefined) extra.reason = options.reason;
  const result = updateBaseline(old, findings, salt, extra);
  if (importReasons.size > 0) {
    const byKey = new Map(result.added.map((e) => [`${e.fingerprint}\0${e.file}`, e]));
    for (const [f, why] of importReasons) {
      const e = byKey.get(`${f.fingerprint}\0${f.file}`);
      if (e && !e.reason) e.reason = why;
    }
  }
  writeBaseline(file, result.baseline);
  return {
    ...result,
    file,
    label,
    salt,
    ...(rekeyed ? { rekeyed } : {}),
    ...(imported ? { imported: { kind: imported.kind, size: imported.size, matched: importReasons.size, unused: imported.unused(), notInIt: report.findings.length - findings.length } } : {}),
  };
}

/** One line naming a re-keying (for messages): from which salt to which. */
export function describeRekey(r: MakeBaselineResult): string | undefined {
  return r.rekeyed ? `re-keyed from ${describeSalt(r.rekeyed.from)} to ${describeSalt(r.salt)} (${r.rekeyed.kept} entries kept)` : undefined;
}
