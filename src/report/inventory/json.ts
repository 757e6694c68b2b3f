/**
 * The inventory as JSON: the {@link Inventory} object as is (see
 * inventory/types.ts for every field), pretty-printed, with each row's
 * `secret` redacted unless `showSecrets` (a private key as its type and
 * fingerprint, see inventory/key-info.ts); a redacted row says so with
 * `secretRedacted: true`, so `inventory merge` shows it as it is.
 */
import { isRedacted } from "../../engine/redact.js";
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { exportedSecret, type InventoryViewOptions } from "./view.js";

export default function renderInventoryJson(inv: Inventory, opts: InventoryViewOptions): string {
  const safe = (r: InventoryRow): boolean => r.secretRedacted === true && isRedacted(r.secret);
  const rows = opts.showSecrets || inv.rows.every(safe) ? inv.rows : inv.rows.map((r) => (safe(r) ? r : { ...r, secret: exportedSecret(r, opts), secretRedacted: true }));
  return JSON.stringify({ ...inv, rows }, null, 2) + "\n";
}
