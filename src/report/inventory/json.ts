/**
 * The inventory as JSON: the {@link Inventory} object as is (see
 * inventory/types.ts for every field), pretty-printed, with each row's
 * `secret` redacted unless `showSecrets`.
 */
import { redactSecret } from "../../engine/redact.js";
import type { Inventory } from "../../inventory/types.js";
import type { InventoryRenderOptions } from "./index.js";

export default function renderInventoryJson(inv: Inventory, opts: InventoryRenderOptions): string {
  const rows = opts.showSecrets ? inv.rows : inv.rows.map((r) => ({ ...r, secret: redactSecret(r.secret) }));
  return JSON.stringify({ ...inv, rows }, null, 2) + "\n";
}
