/**
 * `leakguard baseline create|update [REPO]`: writes `.leakguard-baseline.json`
 * with today's findings in the working tree of REPO (default `.`), so that
 * `--baseline` reports only new ones. The library twin, makeBaseline
 * (api/baseline.ts), does the work; this says what it did on stderr.
 */
import { resolve } from "node:path";
import { describeRekey, makeBaseline } from "../../api/baseline.js";
import { UsageError } from "../../errors.js";
import { BASELINE_NAME } from "../../suppress/baseline.js";
import { bool, setupFor, str } from "../common.js";
import { MIN_CONFIDENCE_FLAG, TIMEOUT_FLAG } from "../flags.js";
import type { CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";

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
  { name: "from", type: "string", arg: "FILE", help: "start from a detect-secrets .secrets.baseline, a gitleaks JSON report or a leakguard JSON report" },
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
  // --baseline names the file written here, not one to apply.
  const { baseline: file, importBaseline: _i, reportUnusedIgnores: _r, ...setup } = setupFor(ctx);
  const from = str(ctx, "from");
  const reason = str(ctx, "reason");
  const reviewedBy = str(ctx, "reviewed-by");
  const r = await makeBaseline({
    ...setup,
    mode: sub,
    repo,
    cwd: ctx.io.cwd,
    ...(file !== undefined ? { file: resolve(ctx.io.cwd, file) } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(reviewedBy !== undefined ? { reviewedBy } : {}),
    force: bool(ctx, "force"),
    gitignore: !bool(ctx, "no-gitignore"),
  });
  if (bool(ctx, "quiet")) return 0;
  const rekeyed = describeRekey(r);
  if (rekeyed) ctx.io.stderr.write(`leakguard: ${r.label}: ${rekeyed}\n`);
  const n = r.baseline.entries.length;
  const parts = [`${r.added.length} added`];
  if (sub === "update") parts.push(`${r.kept.length} kept`, `${r.dropped.length} dropped (no longer found)`);
  ctx.io.stderr.write(`leakguard: wrote ${r.label}: ${n} entr${n === 1 ? "y" : "ies"} (${parts.join(", ")})\n`);
  for (const d of r.dropped.slice(0, 20)) {
    ctx.io.stderr.write(`  dropped ${d.file} ${d.ruleId} ${d.fingerprint.slice(0, 12)}${d.reason ? ` (${d.reason})` : ""}\n`);
  }
  if (r.dropped.length > 20) ctx.io.stderr.write(`  … and ${r.dropped.length - 20} more dropped\n`);
  if (r.imported && from !== undefined) {
    const i = r.imported;
    ctx.io.stderr.write(
      `leakguard: ${from} (${i.kind}, ${i.size} entries): ${i.matched} findings matched; ` +
        `${i.unused} entries matched no finding; ${i.notInIt} finding${i.notInIt === 1 ? "" : "s"} not in it stay reported\n`,
    );
  }
  return 0;
}
