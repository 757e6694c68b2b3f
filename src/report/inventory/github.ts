/**
 * Inventory as GitHub Actions workflow commands: one annotation per secret,
 * most urgent first, on the file it was introduced in (line 1: the inventory
 * keeps no line; none for a secret only in commit messages):
 * `::error file=…,line=1,title=…::message`. A secret still exposed is an
 * error, warning or notice by severity (as the scan's `github` format); a
 * rotated one is a notice. The message names the secret (redacted unless
 * --show-secrets), its state, exposure and fingerprint. Property values
 * escape `% CR LF : ,`, the message `% CR LF`.
 */
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { ghData, ghProperty } from "../escape.js";
import { commandOf } from "../github.js";
import { byRisk, introducingFile, rowLine, stillExposed, type InventoryViewOptions } from "./view.js";

function annotation(r: InventoryRow, opts: InventoryViewOptions): string {
  const props: Array<[string, string | number]> = [];
  const file = introducingFile(r);
  if (file !== undefined) props.push(["file", file], ["line", 1]);
  props.push(["title", `${r.title} (${r.ruleId})`]);
  const command = stillExposed(r) ? commandOf(r.severity) : "notice";
  const msg = `${r.severity} ${rowLine(r, opts)} — fingerprint ${r.fingerprint}`;
  return `::${command} ${props.map(([k, v]) => `${k}=${ghProperty(String(v))}`).join(",")}::${ghData(msg)}\n`;
}

export default function inventoryGithub(inv: Inventory, opts: InventoryViewOptions): string {
  return byRisk(inv.rows)
    .map((r) => annotation(r, opts))
    .join("");
}
