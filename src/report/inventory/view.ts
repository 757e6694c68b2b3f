/**
 * Shared by the inventory views (text, csv, markdown, html): the options they
 * take, the secret as it may be shown, row order, and the monthly timeline.
 * Pure.
 */
import { redactSecret } from "../../engine/redact.js";
import type { Severity } from "../../engine/types.js";
import type { Inventory, InventoryRow } from "../../inventory/types.js";

/** What every inventory view receives. */
export interface InventoryViewOptions {
  showSecrets: boolean;
  /** Colour (text only). */
  color?: boolean;
  /** Terminal width (text only). */
  width?: number;
}

/** An inventory view: an inventory in, one document out. */
export type InventoryView = (inv: Inventory, opts: InventoryViewOptions) => string;

/** The secret as printed: redacted unless --show-secrets. */
export function shownSecret(row: InventoryRow, opts: InventoryViewOptions): string {
  return opts.showSecrets ? row.secret : redactSecret(row.secret);
}

const SEV_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Rows most urgent first: risk, then severity, then first seen, then fingerprint (stable). */
export function byRisk(rows: readonly InventoryRow[]): InventoryRow[] {
  return [...rows].sort(
    (a, b) =>
      b.risk - a.risk ||
      SEV_RANK[a.severity] - SEV_RANK[b.severity] ||
      (a.introduced.date < b.introduced.date ? -1 : a.introduced.date > b.introduced.date ? 1 : 0) ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}

/** `YYYY-MM-DD` of an ISO date (or the input when it is not one). */
export function day(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

/** One bucket of the timeline. */
export interface TimelineBucket {
  /** `YYYY-MM` (or `YYYY` when the history spans more than {@link MAX_MONTHS} months). */
  label: string;
  introduced: number;
  removed: number;
}

/** Longest timeline drawn by month; longer histories are drawn by year. */
export const MAX_MONTHS = 120;

function monthIndex(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})/.exec(iso);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : undefined;
}

/**
 * Secrets introduced and removed per month, every month from the first
 * introduction to the last event (gaps are zero), so the chart's x axis is
 * time. Empty when no row has a date.
 */
export function timeline(inv: Inventory): TimelineBucket[] {
  const events: Array<[number, "introduced" | "removed"]> = [];
  for (const r of inv.rows) {
    const a = monthIndex(r.introduced.date);
    if (a !== undefined) events.push([a, "introduced"]);
    const b = r.removed ? monthIndex(r.removed.date) : undefined;
    if (b !== undefined) events.push([b, "removed"]);
  }
  if (events.length === 0) return [];
  const first = Math.min(...events.map((e) => e[0]));
  const last = Math.max(...events.map((e) => e[0]));
  const byYear = last - first + 1 > MAX_MONTHS;
  const key = (m: number): number => (byYear ? Math.floor(m / 12) : m);
  const lo = key(first);
  const buckets: TimelineBucket[] = [];
  for (let k = lo; k <= key(last); k++) {
    const label = byYear ? String(k) : `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
    buckets.push({ label, introduced: 0, removed: 0 });
  }
  for (const [m, kind] of events) buckets[key(m) - lo]![kind]++;
  return buckets;
}

/** Control characters shown as `\uXXXX`: repository paths must not drive a terminal or break a table. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}
