/**
 * Inventory reporters: an {@link Inventory} in, one output format out. Each
 * format lives in `./<format>.ts` and exports `default` with the
 * {@link InventoryRenderer} signature; it loads lazily, and each renderer
 * redacts `secret` itself (redactSecret) unless `showSecrets`.
 *
 * @example
 *   const out = await renderInventory("json", inventory, { showSecrets: false });
 */
import { UsageError } from "../../errors.js";
import type { Inventory } from "../../inventory/types.js";

/** Options every inventory renderer receives. */
export interface InventoryRenderOptions {
  showSecrets: boolean;
  color?: boolean;
  width?: number;
}

/** An inventory renderer. */
export type InventoryRenderer = (inv: Inventory, opts: InventoryRenderOptions) => string;

/** Formats `leakguard inventory` takes. */
export const INVENTORY_FORMATS = ["text", "json", "csv", "markdown", "html"] as const;

const loaders: Record<string, () => Promise<{ default: InventoryRenderer }>> = Object.fromEntries(
  INVENTORY_FORMATS.map((f) => [f, () => import(`./${f}.js`) as Promise<{ default: InventoryRenderer }>]),
);

/** Renders `inv` in `format`; throws UsageError for a format it does not know. */
export async function renderInventory(format: string, inv: Inventory, opts: InventoryRenderOptions): Promise<string> {
  const load = Object.hasOwn(loaders, format) ? loaders[format] : undefined;
  if (!load) throw new UsageError(`--format ${format} is not one of ${INVENTORY_FORMATS.join(", ")} for the inventory`);
  let mod: { default: InventoryRenderer };
  try {
    mod = await load();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") throw new UsageError(`inventory format ${format} is not available in this build`);
    throw e;
  }
  return mod.default(inv, opts);
}
