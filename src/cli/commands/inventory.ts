/** `leakguard inventory [REPO]`: one row per distinct secret across the whole history. */
import { resolve } from "node:path";
import { scanInventory } from "../../api/inventory.js";
import { INVENTORY_FORMATS, redactPlaces, renderInventory } from "../../report/inventory/index.js";
import { writeOutput } from "../../util/write-output.js";
import { skipLines } from "../../report/summary.js";
import { skipWarning } from "../../core/report.js";
import { terminalSafe } from "../../report/escape.js";
import { UsageError } from "../../errors.js";
import { bool, exitCodeFor, failOnSkip, failOnUnscanned, formatOf, setupFor, str, UNSCANNED } from "../common.js";
import type { CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";
import { progressLine, repoArg } from "./history.js";

export const summary = "One row per distinct secret across the whole history, with a risk score.";
export const usage = `leakguard inventory [options] [REPO]   (--format text, json, jsonl, sarif, junit, csv, github, markdown, html)
       leakguard inventory merge [options] FILE...   (several repositories' inventory JSON files → one organisation inventory)`;
export const flags: FlagSpec[] = [
  { name: "format", short: "f", type: "string", arg: "FORMAT", help: `${INVENTORY_FORMATS.join(", ")}` },
  { name: "cache", type: "string", arg: "DIR", help: "remember scanned blobs in DIR; later runs scan only new blobs" },
  { name: "name", type: "string", arg: "NAME", help: "merge: title of the organisation inventory" },
];

export async function run(ctx: CommandContext): Promise<number> {
  // `inventory merge FILE...`; a repository folder named merge is `inventory ./merge`.
  if (ctx.positionals[0] === "merge") return (await import("./inventory-merge.js")).runMerge(ctx, ctx.positionals.slice(1));
  if (str(ctx, "name") !== undefined) throw new UsageError("--name is for 'leakguard inventory merge'");
  const repo = repoArg(ctx);
  const format = formatOf(ctx, INVENTORY_FORMATS);
  const onProgress = progressLine(ctx);
  const cache = str(ctx, "cache");
  // "" would resolve to the current folder and leave a cache file in the work tree.
  if (cache === "") throw new UsageError("--cache needs a folder");
  // Inventory rows are every secret in the history: no baseline hides one (ignore files only record rotations).
  const { baseline: _b, importBaseline: _i, reportUnusedIgnores: _r, ...setup } = setupFor(ctx);
  const inv = await scanInventory({
    ...setup,
    repo,
    ...(cache !== undefined ? { cacheDir: resolve(ctx.io.cwd, cache) } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  if (onProgress) ctx.io.stderr.write("\r\x1b[2K");
  const out = str(ctx, "output");
  const text = await renderInventory(format, inv, {
    showSecrets: bool(ctx, "show-secrets"),
    color: !out && ctx.io.stdout.isTTY === true && !ctx.io.env.NO_COLOR && format === "text",
    width: ctx.io.stdout.columns ?? 100,
  });
  if (out) await writeOutput(resolve(ctx.io.cwd, out), text, `--output ${out}`);
  else ctx.io.stdout.write(text);
  // The inventory formats have no place for warnings: skipped blobs are named on stderr (paths holding a secret redacted).
  const named = bool(ctx, "show-secrets") ? inv : redactPlaces(inv);
  const skipped = named.skipped ?? [];
  if (!bool(ctx, "quiet")) {
    // The text view prints the inventory's warnings itself; the data formats keep them in the file.
    const lines = [...(format === "text" ? [] : (named.warnings ?? [])), ...skipped.filter((x) => x.detail !== undefined).map(skipWarning), ...skipLines(skipped)];
    for (const l of lines) ctx.io.stderr.write(`warning: ${terminalSafe(l)}\n`);
  }
  const skipCode = failOnSkip(ctx, skipped.length) || failOnUnscanned(ctx, skipped.filter((s) => UNSCANNED.has(s.reason)).length);
  const code = exitCodeFor(ctx, inv.rows);
  return code !== 0 ? code : skipCode;
}
