/**
 * Inventory reporters: an {@link Inventory} in, one output format out. Each
 * format lives in `./<format>.ts` and exports `default` with the
 * {@link InventoryRenderer} signature; it loads lazily, and each renderer
 * redacts `secret` itself (redactSecret) unless `showSecrets` (the paths and
 * authors that hold a secret are redacted here, before).
 *
 * @example
 *   const out = await renderInventory("json", inventory, { showSecrets: false });
 */
import { UsageError } from "../../errors.js";
import { isRedacted, MIN_PLACE_SECRET, SecretRedactor } from "../../engine/redact.js";
import type { CommitRef, Inventory } from "../../inventory/types.js";

/** Options every inventory renderer receives. */
export interface InventoryRenderOptions {
  showSecrets: boolean;
  color?: boolean;
  width?: number;
}

/** An inventory renderer. */
export type InventoryRenderer = (inv: Inventory, opts: InventoryRenderOptions) => string;

/** Formats `leakguard inventory` takes. */
export const INVENTORY_FORMATS = ["text", "json", "jsonl", "sarif", "junit", "csv", "github", "markdown", "html"] as const;

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
  return mod.default(opts.showSecrets ? inv : redactPlaces(inv), opts);
}

/**
 * `inv` with every path, author and email that holds one of its secrets
 * redacted (a key saved under its own name): each view redacts the secret
 * cells itself.
 */
export function redactPlaces(inv: Inventory): Inventory {
  // Only secrets long enough to stand in a name: a short password would cut words out of paths.
  const known = new SecretRedactor(inv.rows.filter((r) => !isRedacted(r.secret) && r.secret.length >= MIN_PLACE_SECRET).map((r) => r.secret));
  if (known.count === 0) return inv;
  const text = (t: string): string => known.redact(t);
  const ref = (c: CommitRef): CommitRef => ({ ...c, author: text(c.author), ...(c.email !== undefined ? { email: text(c.email) } : {}) });
  const where = <T extends { files: string[]; fileCommits?: Record<string, string>; introduced: CommitRef; removed?: CommitRef }>(x: T): T => {
    const out: T = { ...x, files: x.files.map(text), introduced: ref(x.introduced) };
    if (x.fileCommits !== undefined) out.fileCommits = Object.fromEntries(Object.entries(x.fileCommits).map(([f, c]) => [text(f), c]));
    if (x.removed !== undefined) out.removed = ref(x.removed);
    return out;
  };
  const out: Inventory = { ...inv, rows: inv.rows.map((r) => ({ ...where(r), ...(r.repositories ? { repositories: r.repositories.map(where) } : {}) })) };
  // Skipped blobs and warnings name paths too.
  if (inv.skipped) out.skipped = inv.skipped.map((s) => ({ ...s, path: text(s.path), ...(s.detail !== undefined ? { detail: text(s.detail) } : {}) }));
  if (inv.warnings) out.warnings = inv.warnings.map(text);
  return out;
}
