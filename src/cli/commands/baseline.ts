/**
 * `leakguard baseline create|update [REPO]`: writes `.leakguard-baseline.json`
 * with today's findings in the working tree of REPO (default `.`), so that
 * `--baseline` reports only new ones.
 *
 * - `create` refuses to overwrite an existing baseline (reasons would be lost)
 *   unless `--force`; `--from FILE` starts from a detect-secrets
 *   `.secrets.baseline` or a gitleaks JSON report: only the findings that file
 *   accepted are written, everything else stays reported.
 * - `update` keeps the entries that still occur (with their reason and
 *   reviewer), drops those that no longer do, adds new findings, and says how
 *   many of each on stderr.
 *
 * The old file is read before scanning and replaced atomically after: a run
 * that fails (bad config, unreadable path) leaves it as it was.
 */
import { existsSync } from "node:fs";
import { readConfigFile } from "../../util/read-config-file.js";
import { join, relative, resolve } from "node:path";
import { UsageError, InputError } from "../../errors.js";
import { finishReport } from "../../core/postprocess.js";
import { scanFiles } from "../../sources/files.js";
import { BASELINE_MAX_BYTES, BASELINE_NAME, readBaseline, updateBaseline, writeBaseline, type Baseline } from "../../suppress/baseline.js";
import { describeSalt, FINGERPRINT_KEY_ENV, resolveFingerprintSalt } from "../../config/fingerprint-salt.js";
import { fingerprintOf } from "../../engine/fingerprint.js";
import { parseImport } from "../../suppress/import.js";
import { applySuppressions } from "../../suppress/index.js";
import type { Finding } from "../../engine/types.js";
import { bool, ignoreOptions, scannerFor, str } from "../common.js";
import { MIN_CONFIDENCE_FLAG } from "../flags.js";
import type { CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";
import { TIMEOUT_FLAG } from "../flags.js";

export const summary = "Write the baseline file of today's findings, so that only new ones are reported.";
export const usage = "leakguard baseline create|update [options] [REPO]   (default REPO: .)";
export const scanning = false;
export const flags: FlagSpec[] = [
  { name: "config", type: "string", arg: "FILE", help: "configuration file (default: .leakguard.toml, else .gitleaks.toml)" },
  { name: "no-config", type: "bool", help: "ignore config files at the root" },
  { name: "config-from", type: "string", arg: "REF", help: "read .leakguard.toml and the ignore files from git revision REF" },
  { name: "no-repo-config", type: "bool", help: "ignore the repository's .leakguard.toml and ignore files" },
  MIN_CONFIDENCE_FLAG,
  { name: "baseline", type: "string", arg: "FILE", help: `baseline file to write (default: REPO/${BASELINE_NAME})` },
  { name: "from", type: "string", arg: "FILE", help: "start from a detect-secrets .secrets.baseline or a gitleaks JSON report" },
  { name: "reason", type: "string", arg: "TEXT", help: "reason stored on the entries this run adds" },
  { name: "reviewed-by", type: "string", arg: "NAME", help: "reviewer stored on the entries this run adds" },
  { name: "force", type: "bool", help: "create: overwrite an existing baseline; update: accept a baseline made with another salt" },
  { name: "no-gitignore", type: "bool", help: "scan files that .gitignore excludes too" },
  { name: "quiet", short: "q", type: "bool", help: "no summary on stderr" },
  TIMEOUT_FLAG,
];

export async function run(ctx: CommandContext): Promise<number> {
  const [sub, repo = ".", ...extra] = ctx.positionals;
  if (sub !== "create" && sub !== "update") throw new UsageError(`baseline needs 'create' or 'update' (usage: ${usage})`);
  if (extra.length > 0) throw new UsageError(`baseline ${sub} takes one REPO, got also: ${extra.join(" ")}`);
  const root = resolve(ctx.io.cwd, repo);
  if (!existsSync(root)) throw new InputError(`${repo}: no such folder`);
  const fileFlag = str(ctx, "baseline");
  const file = fileFlag !== undefined ? resolve(ctx.io.cwd, fileFlag) : join(root, BASELINE_NAME);
  const label = relative(ctx.io.cwd, file) || file;
  const force = bool(ctx, "force");

  // Everything that can fail is read before the scan, and nothing is written until the end.
  let old: Baseline | undefined;
  if (sub === "create") {
    if (existsSync(file) && !force) {
      throw new UsageError(`${label} exists; 'leakguard baseline update' keeps its reasons (or --force to start over)`);
    }
  } else {
    // The default baseline lives in the repository: bound to it. One the user named is not.
    old = readBaseline(file, label, false, fileFlag === undefined ? root : undefined);
  }
  const fromFlag = str(ctx, "from");
  let imported: ReturnType<typeof parseImport> | undefined;
  if (fromFlag !== undefined) {
    const fromPath = resolve(ctx.io.cwd, fromFlag);
    const text = readConfigFile(fromPath, { kind: "report", label: fromFlag, maxBytes: BASELINE_MAX_BYTES });
    if (text === undefined) throw new InputError(`${fromFlag}: cannot read (ENOENT)`);
    imported = parseImport(text, fromFlag);
  }

  const scanner = await scannerFor(ctx, root);
  const salt = scanner.fingerprintSalt;
  // A baseline written under the repository salt before LEAKGUARD_FINGERPRINT_KEY was set is re-keyed, reasons kept.
  const fallback = salt.kind === "key" ? await resolveFingerprintSalt({ root, configSalt: scanner.config.salt, env: {} }) : undefined;
  const rekey = old?.saltId !== undefined && old.saltId !== salt.saltId && fallback !== undefined && old.saltId === fallback.saltId;
  if (old?.saltId && old.saltId !== salt.saltId && !rekey && !force) {
    const why = old.keyId
      ? salt.kind === "key"
        ? `with another ${FINGERPRINT_KEY_ENV} (key id ${old.keyId}; now ${salt.keyId})`
        : `with ${FINGERPRINT_KEY_ENV} (key id ${old.keyId}), which is not set now`
      : "with another fingerprint salt (another repository, or a changed salt in the config)";
    throw new UsageError(`${label} was made ${why}: none of its entries can match; --force to rebuild it (reasons are lost)`);
  }
  const report = await scanFiles(scanner, [root], { root, gitignore: !bool(ctx, "no-gitignore") }).finally(() => scanner.close());
  // Ignore files still apply: an ignored finding needs no baseline entry.
  await applySuppressions(report, { root, ...ignoreOptions(ctx, root), salt, fallbackSalt: fallback ?? null });
  finishReport(report);
  if (rekey && old) {
    // Old entries carry repository-salt fingerprints: map each to today's keyed fingerprint of the same secret.
    const byOld = new Map(old.entries.map((e) => [`${e.fingerprint}\0${e.file}`, e]));
    const moved = new Map<string, (typeof old.entries)[number]>();
    for (const f of report.findings) {
      const e = byOld.get(`${fingerprintOf(f.ruleId, f.secret, fallback!.value)}\0${f.file}`);
      if (e) moved.set(`${f.fingerprint}\0${f.file}`, { ...e, fingerprint: f.fingerprint });
    }
    old = { ...old, entries: [...moved.values()] };
    if (!bool(ctx, "quiet")) ctx.io.stderr.write(`leakguard: ${label}: re-keyed from ${describeSalt(fallback!)} to ${describeSalt(salt)} (${moved.size} entries kept)\n`);
  }

  let findings: Finding[] = report.findings;
  const extraInfo: { reason?: string; reviewedBy?: string } = {};
  const reasonFlag = str(ctx, "reason");
  const who = str(ctx, "reviewed-by");
  if (who !== undefined) extraInfo.reviewedBy = who;
  const importReasons = new Map<Finding, string>();
  if (imported) {
    const inOld = new Set((old?.entries ?? []).map((e) => `${e.fingerprint}\0${e.file}`));
    findings = findings.filter((f) => {
      const why = imported.match(f);
      if (why) importReasons.set(f, reasonFlag ?? why);
      return why !== undefined || inOld.has(`${f.fingerprint}\0${f.file}`);
    });
  }
  if (reasonFlag !== undefined) extraInfo.reason = reasonFlag;
  const result = updateBaseline(old, findings, salt, extraInfo);
  if (importReasons.size > 0) {
    const byKey = new Map(result.added.map((e) => [`${e.fingerprint}\0${e.file}`, e]));
    for (const [f, why] of importReasons) {
      const e = byKey.get(`${f.fingerprint}\0${f.file}`);
      if (e && !e.reason) e.reason = why;
    }
  }
  writeBaseline(file, result.baseline);

  if (!bool(ctx, "quiet")) {
    const n = result.baseline.entries.length;
    const parts = [`${result.added.length} added`];
    if (sub === "update") parts.push(`${result.kept.length} kept`, `${result.dropped.length} dropped (no longer found)`);
    ctx.io.stderr.write(`leakguard: wrote ${label}: ${n} entr${n === 1 ? "y" : "ies"} (${parts.join(", ")})\n`);
    for (const d of result.dropped.slice(0, 20)) {
      ctx.io.stderr.write(`  dropped ${d.file} ${d.ruleId} ${d.fingerprint.slice(0, 12)}${d.reason ? ` (${d.reason})` : ""}\n`);
    }
    if (result.dropped.length > 20) ctx.io.stderr.write(`  … and ${result.dropped.length - 20} more dropped\n`);
    if (imported) {
      const left = report.findings.length - findings.length;
      ctx.io.stderr.write(
        `leakguard: ${fromFlag} (${imported.kind}, ${imported.size} entries): ${importReasons.size} findings matched; ` +
          `${imported.unused()} entries matched no finding; ${left} finding${left === 1 ? "" : "s"} not in it stay reported\n`,
      );
    }
  }
  return 0;
}
