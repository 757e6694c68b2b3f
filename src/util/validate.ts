/**
 * Argument checks at the library boundary: a caller who passes the wrong
 * type gets one line naming the function and the argument (an
 * {@link ArgumentError}, which is a LeakguardError), not a TypeError from deep
 * inside the engine. Only shapes are checked here; meaning (does the folder
 * exist, is the config valid) is checked where it is used.
 */
import { ArgumentError } from "../errors.js";

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** `options` must be absent or a plain object. */
export function checkOptions(fn: string, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new ArgumentError(`${fn}: options must be an object, got ${kind(options)}`);
}

/** `value` must be a string. */
export function checkString(fn: string, name: string, value: unknown): void {
  if (typeof value !== "string") throw new ArgumentError(`${fn}: ${name} must be a string, got ${kind(value)}`);
}

/** `value` must be absent or a string. */
export function checkOptionalString(fn: string, name: string, value: unknown): void {
  if (value !== undefined) checkString(fn, name, value);
}

/** `value` must be an array of strings. */
export function checkStringArray(fn: string, name: string, value: unknown): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new ArgumentError(`${fn}: ${name} must be an array of strings, got ${Array.isArray(value) ? "an array holding a non-string" : kind(value)}`);
}

/** The named string fields of `options` must be absent or strings. */
export function checkStringFields(fn: string, options: object | undefined, names: readonly string[]): void {
  if (!options) return;
  const o = options as Record<string, unknown>;
  for (const n of names) checkOptionalString(fn, `options.${n}`, o[n]);
}

/** A configuration object must have `rules` and `allowlists` arrays (as {@link loadConfig} returns). */
export function checkConfig(fn: string, name: string, value: unknown): void {
  if (value === undefined) return;
  const c = value as { rules?: unknown; allowlists?: unknown } | null;
  if (typeof c !== "object" || c === null || !Array.isArray(c.rules) || !Array.isArray(c.allowlists)) {
    throw new ArgumentError(`${fn}: ${name} must be a configuration from loadConfig() (with rules and allowlists arrays), got ${kind(value)}`);
  }
}

/**
 * `value` must be an array of `{ file, inventory }` (what `mergeInventories`
 * takes). A bare inventory (what `readInventoryFile` returns) gets told how
 * to wrap it, instead of a TypeError from inside the merge.
 */
export function checkMergeInputs(fn: string, value: unknown): void {
  if (!Array.isArray(value)) throw new ArgumentError(`${fn}: inputs must be an array of { file, inventory }, got ${kind(value)}`);
  value.forEach((v: unknown, i) => {
    const o = v as { file?: unknown; inventory?: unknown; rows?: unknown } | null;
    if (typeof o !== "object" || o === null || Array.isArray(o)) throw new ArgumentError(`${fn}: inputs[${i}] must be { file, inventory }, got ${kind(v)}`);
    if (o.inventory === undefined && Array.isArray(o.rows)) {
      throw new ArgumentError(`${fn}: inputs[${i}] is an inventory; pass { file, inventory }: { file: "a.json", inventory: readInventoryFile("a.json") }`);
    }
    if (typeof o.file !== "string") throw new ArgumentError(`${fn}: inputs[${i}].file must be a string (the file it came from, named in warnings), got ${kind(o.file)}`);
    const inv = o.inventory as { rows?: unknown } | null | undefined;
    if (typeof inv !== "object" || inv === null || !Array.isArray(inv.rows)) {
      throw new ArgumentError(`${fn}: inputs[${i}].inventory must be an inventory (from readInventoryFile or scanInventory, with a rows array), got ${kind(inv)}`);
    }
  });
}
