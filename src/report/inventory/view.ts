/**
 * Shared by the inventory views (text, json, jsonl, csv, sarif, junit, github, markdown, html): the options
 * they take, the secret as it may be shown, row order, severity order, the
 * words for a secret's state, rotation, exposure and key id (each view escapes
 * them its own way), and the monthly timeline. Pure.
 */
import { isRedacted, redactSecret } from "../../engine/redact.js";
import { SEVERITIES, type Severity } from "../../engine/types.js";
import type { Inventory, InventoryRow, MergedRepository, RepositoryPresence } from "../../inventory/types.js";
import { keyLabel } from "../../inventory/key-info.js";
import { commitUrl, fileUrl, type WebRepository } from "../../inventory/remote.js";
import type { InventoryRenderOptions } from "./index.js";

/** What every inventory view receives (the renderers' options). */
export type InventoryViewOptions = InventoryRenderOptions;

/** Severities, most severe first: the order of summaries, menus and cards. */
export { SEVERITIES };

/** The secret as printed: redacted unless --show-secrets. */
export function shownSecret(row: InventoryRow, opts: InventoryViewOptions): string {
  return opts.showSecrets || alreadyRedacted(row) ? row.secret : redactSecret(row.secret);
}

/** True when a row's secret is redacted already: the flag alone is not trusted (a merged file may claim it for a raw value). */
export function alreadyRedacted(row: InventoryRow): boolean {
  return row.secretRedacted === true && isRedacted(row.secret);
}

/**
 * The secret as a table cell shows it: a private key by its type and body
 * fingerprint (never its armour, not even with --show-secrets: a key does not
 * fit a cell), anything else as {@link shownSecret}.
 */
export function secretCell(row: InventoryRow, opts: InventoryViewOptions): string {
  return row.keyInfo ? keyLabel(row.keyInfo) : shownSecret(row, opts);
}

/** The secret as a data export (json, csv) holds it: the whole value with --show-secrets (a private key too), else as a {@link secretCell}. */
export function exportedSecret(row: InventoryRow, opts: InventoryViewOptions): string {
  return opts.showSecrets ? shownSecret(row, opts) : secretCell(row, opts);
}

const COMMIT_ID = /^[0-9a-f]{7,64}$/i;

/** Web page of a commit, when the repository's forge is known. */
export function commitLink(web: WebRepository | undefined, commit: string): string | undefined {
  return web && COMMIT_ID.test(commit) ? commitUrl(web, commit) : undefined;
}

/** Web page of a file of a row (or a repository's part of it), at the first commit that held the secret there. */
export function fileLink(web: WebRepository | undefined, row: Pick<InventoryRow, "fileCommits">, file: string): string | undefined {
  const commit = row.fileCommits?.[file];
  return web && commit && COMMIT_ID.test(commit) ? fileUrl(web, commit, file) : undefined;
}

/** The web home a row's links use: the inventory's, or (organisation inventory) that of the repository that introduced it. */
export function rowWeb(inv: Inventory, row: InventoryRow): WebRepository | undefined {
  if (inv.web) return inv.web;
  return row.repositories?.find((p) => p.introduced.commit === row.introduced.commit)?.web;
}

/** The lifecycle of a row in words: `at HEAD`, `in history`, or `rotated 2026-11-30 by …`. */
export function stateText(row: InventoryRow): string {
  if (row.rotated) return `rotated ${row.rotated.date}${row.rotated.by ? ` by ${row.rotated.by}` : ""}`;
  return row.atHead ? "at HEAD" : "in history";
}

/** A repository's part of a secret in words: `rotated D`, `at HEAD`, `removed D` or `in history`. */
export function presenceStateText(p: RepositoryPresence): string {
  if (p.rotated) return `rotated ${p.rotated.date}`;
  if (p.atHead) return "at HEAD";
  return p.removed ? `removed ${day(p.removed.date)}` : "in history";
}

/** True when a state is shown emphasised: at HEAD and not rotated. */
export function liveAtHead(r: Pick<InventoryRow, "atHead" | "rotated">): boolean {
  return r.atHead && !r.rotated;
}

/** The rotation as a clause of the "what to do" sentence: `; rotated on D by B (reason)`, or "" when not rotated. */
export function rotationClause(row: InventoryRow): string {
  const r = row.rotated;
  return r ? `; rotated on ${r.date}${r.by ? ` by ${r.by}` : ""}${r.reason ? ` (${r.reason})` : ""}` : "";
}

/** The exposure as a clause: `; exposed N days`, `and counting` until it is rotated. */
export function exposureClause(row: InventoryRow): string {
  return `; exposed ${row.exposureDays} days${row.rotated ? "" : " and counting"}`;
}

/** The step for a reused secret: where else it is matched, and to rotate every place. */
export function reusedStep(row: InventoryRow): string {
  return `It is reused${row.otherRules.length ? ` (also matched by ${row.otherRules.join(", ")})` : ""}: rotate every place that uses it.`;
}

/** The `.leakguardignore` line that records a secret's rotation, as the views suggest it. */
export function rotationRecord(fingerprint: string): string {
  return `${fingerprint} rotated YYYY-MM-DD by you@example.com`;
}

/** A merged repository's fingerprint key as the views name it: `key <id>`, the salt's id, or `unknown`. */
export function keyIdLabel(r: Pick<MergedRepository, "fingerprintSalt">): string {
  const s = r.fingerprintSalt;
  return s ? (s.kind === "key" && s.keyId ? `key ${s.keyId}` : s.id) : "unknown";
}

/** The web home for a row's file links: the inventory's, or that of the one repository holding it. */
export function filesWeb(inv: Inventory, row: InventoryRow): WebRepository | undefined {
  return inv.web ?? (row.repositories?.length === 1 ? row.repositories[0]!.web : undefined);
}

/** The first three of `items` as `show` prints them, joined with `, `, and `+N more` for the rest. */
export function firstThree(items: readonly string[], show: (item: string) => string): string {
  const shown = items.slice(0, 3).map(show).join(", ");
  return items.length > 3 ? `${shown} +${items.length - 3} more` : shown;
}

const SEV_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

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
  /** `YYYY-MM-DD` (a history of a month or less), `YYYY-MM`, or `YYYY` (past {@link MAX_MONTHS} months). */
  label: string;
  introduced: number;
  /** Left the default branch's HEAD. */
  removed: number;
  /** Marked rotated: exposure ends here. */
  rotated: number;
}

/** Longest timeline drawn by month; longer histories are drawn by year. */
export const MAX_MONTHS = 120;
/** Shortest history drawn by month; a shorter one is drawn by day, so a young repository's chart stays small and readable. */
export const MAX_DAYS = 31;
const MS_PER_DAY = 86_400_000;

function dayIndex(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY) : undefined;
}

function monthOfDay(d: number): number {
  const t = new Date(d * MS_PER_DAY);
  return t.getUTCFullYear() * 12 + t.getUTCMonth();
}

/**
 * Secrets introduced, removed from HEAD and rotated per period, every period
 * from the first event to the last (gaps are zero), so the chart's x axis is
 * time: days for a history of up to {@link MAX_DAYS} days, else months, else
 * years. Empty when no row has a date.
 */
export function timeline(inv: Inventory): TimelineBucket[] {
  const events: Array<[number, "introduced" | "removed" | "rotated"]> = [];
  for (const r of inv.rows) {
    const a = dayIndex(r.introduced.date);
    if (a !== undefined) events.push([a, "introduced"]);
    const b = r.removed ? dayIndex(r.removed.date) : undefined;
    if (b !== undefined) events.push([b, "removed"]);
    const c = r.rotated ? dayIndex(r.rotated.date) : undefined;
    if (c !== undefined) events.push([c, "rotated"]);
  }
  if (events.length === 0) return [];
  // A loop, not Math.min(...): an inventory of many rows has more events than a call takes arguments.
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    if (e[0] < first) first = e[0];
    if (e[0] > last) last = e[0];
  }
  const byDay = last - first + 1 <= MAX_DAYS;
  const byYear = !byDay && monthOfDay(last) - monthOfDay(first) + 1 > MAX_MONTHS;
  const key = (d: number): number => (byDay ? d : byYear ? Math.floor(monthOfDay(d) / 12) : monthOfDay(d));
  const labelOf = (k: number): string =>
    byDay ? new Date(k * MS_PER_DAY).toISOString().slice(0, 10) : byYear ? String(k) : `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
  const lo = key(first);
  const buckets: TimelineBucket[] = [];
  for (let k = lo; k <= key(last); k++) buckets.push({ label: labelOf(k), introduced: 0, removed: 0, rotated: 0 });
  for (const [d, kind] of events) buckets[key(d) - lo]![kind]++;
  return buckets;
}

/** Control characters shown as `\uXXXX`: repository paths must not drive a terminal or break a table. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** The file a row's secret was introduced in: the first of its files the introducing commit holds it in, else its first file; undefined for a secret only in messages. */
export function introducingFile(row: Pick<InventoryRow, "files" | "fileCommits" | "introduced">): string | undefined {
  return row.files.find((f) => row.fileCommits?.[f] === row.introduced.commit) ?? row.files[0];
}

/** One line about a row for the per-secret formats (sarif, junit, github): what, the secret as shown, its state and exposure, where it came in. */
export function rowLine(row: InventoryRow, opts: InventoryViewOptions): string {
  const c = row.introduced;
  const came = c.commit ? `; introduced in ${c.commit.slice(0, 12)}${c.date ? ` on ${day(c.date)}` : ""}${c.author ? ` by ${c.author}` : ""}` : "";
  // A title written as a sentence (gitleaks' descriptions) loses its full stop before the colon.
  return `${row.title.replace(/\.$/, "")}: ${secretCell(row, opts)} (${stateText(row)}${exposureClause(row)}${came})`;
}

/** True while a row's secret is still exposed: not marked rotated (removing it from HEAD leaves every clone holding it). */
export function stillExposed(row: Pick<InventoryRow, "rotated">): boolean {
  return row.rotated === undefined;
}
