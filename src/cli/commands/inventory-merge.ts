/**
 * `leakguard inventory merge FILE...`: several repositories' inventory JSON
 * files into one organisation inventory (see inventory/merge.ts). Warnings
 * (inputs made with different fingerprint keys) go to stderr and into the
 * json, markdown and html output.
 */
import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { mergeInventories, readInventoryFile } from "../../inventory/merge.js";
import { INVENTORY_FORMATS, renderInventory } from "../../report/inventory/index.js";
import { terminalSafe } from "../../report/escape.js";
import { writeOutput } from "../../util/write-output.js";
import { bool, exitCodeFor, formatOf, str } from "../common.js";
import type { CommandContext } from "../context.js";

export async function runMerge(ctx: CommandContext, files: readonly string[]): Promise<number> {
  if (files.length === 0) throw new UsageError("'leakguard inventory merge' needs at least one inventory JSON file (made with 'leakguard inventory --format json')");
  const format = formatOf(ctx, INVENTORY_FORMATS);
  // Every input is read and checked before anything is written.
  const inputs = files.map((f) => ({ file: f, inventory: readInventoryFile(resolve(ctx.io.cwd, f), f) }));
  const name = str(ctx, "name");
  const org = mergeInventories(inputs, name !== undefined ? { name } : {});
  const text = await renderInventory(format, org, {
    showSecrets: bool(ctx, "show-secrets"),
    color: !str(ctx, "output") && ctx.io.stdout.isTTY === true && !ctx.io.env.NO_COLOR && format === "text",
    width: ctx.io.stdout.columns ?? 100,
  });
  const out = str(ctx, "output");
  if (out) await writeOutput(resolve(ctx.io.cwd, out), text, `--output ${out}`);
  else ctx.io.stdout.write(text);
  if (!bool(ctx, "quiet")) for (const w of org.warnings ?? []) ctx.io.stderr.write(`warning: ${terminalSafe(w)}\n`);
  return exitCodeFor(ctx, org.rows);
}
