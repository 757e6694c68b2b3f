/**
 * Inventory as JSON Lines: one row per line, the same fields as a row of the
 * `json` view (inventory/types.ts `InventoryRow`), in the same order, secret
 * redacted unless `showSecrets` (`secretRedacted: true` then). Nothing else:
 * no summary line, so every line is a row.
 */
import type { Inventory } from "../../inventory/types.js";
import { exportedRows } from "./json.js";
import type { InventoryViewOptions } from "./view.js";

export default function inventoryJsonl(inv: Inventory, opts: InventoryViewOptions): string {
  return exportedRows(inv, opts)
    .map((r) => JSON.stringify(r) + "\n")
    .join("");
}
