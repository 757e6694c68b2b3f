/**
 * The inventory as JSON: the {@link Inventory} object as is (see
 * inventory/types.ts for every field), pretty-printed, with each row's
 * `secret` redacted unless `showSecrets` (a private key as its type and
 * fingerprint, see inventory/key-info.ts); a redacted row says so with
 * `secretRedacted: true`, so `inventory merge` shows it as it is.
 */
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { alreadyRedacted, exportedSecret, type InventoryViewOptions } from "./view.js";

/** The rows as the data exports (json, jsonl) hold them: each secret redacted unless `showSecrets`, saying so. */
export function exportedRows(inv: Inventory, opts: InventoryViewOptions): InventoryRow[] {
  return opts.showSecrets || inv.rows.every(alreadyRedacted) ? inv.rows : inv.rows.map((r) => (alreadyRedacted(r) ? r : { ...r, secret: exportedSecret(r, opts), secretRedacted: true }));
}

export default function renderInventoryJson(inv: Inventory, opts: InventoryViewOptions): string {
  return JSON.stringify({ ...inv, rows: exportedRows(inv, opts) }, null, 2) + "\n";
}
