/**
 * Inventory as a terminal table: a summary line, then one row per secret,
 * most urgent first, with the columns risk, severity, rule, secret (redacted),
 * first seen, at HEAD, exposure days, reused, files. The table fits `width`
 * (default 100, at least 60): the files, secret and rule columns shrink first,
 * then the reused, first-seen and days columns are left out; cut text ends
 * with `…`. Widths count code points; control characters are shown as `\uXXXX`.
 */
import pc from "picocolors";
import type { Severity } from "../../engine/types.js";
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { byRisk, day, firstThree, printable, secretCell, SEVERITIES, type InventoryViewOptions } from "./view.js";

type Colors = ReturnType<typeof pc.createColors>;

interface Column {
  head: string;
  /** Right-aligned (numbers). */
  right?: boolean;
  /** Narrowest this column may get when the table must shrink; absent = never shrinks. */
  min?: number;
  cell: (r: InventoryRow) => string;
}

function files(r: InventoryRow): string {
  return firstThree(r.files, printable) || "-";
}

function len(s: string): number {
  return [...s].length;
}

/** Cuts `s` to `w` code points, ending with `…` when cut. */
export function fit(s: string, w: number): string {
  const cps = [...s];
  if (cps.length <= w) return s;
  return w <= 1 ? "…".slice(0, w) : cps.slice(0, w - 1).join("") + "…";
}

function pad(s: string, w: number, right = false): string {
  const n = w - len(s);
  return n <= 0 ? s : right ? " ".repeat(n) + s : s + " ".repeat(n);
}

function sevColor(c: Colors, s: Severity): (x: string) => string {
  return s === "critical" ? (x) => c.bold(c.red(x)) : s === "high" ? c.red : s === "medium" ? c.yellow : c.cyan;
}

/**
 * Which columns to draw and how wide, so that the table fits `width` (two
 * spaces between columns): first the files, secret and rule columns shrink to
 * their minimum, then whole columns go, least useful first (reused, first
 * seen, days).
 */
function layout(cols: Column[], cells: string[][], width: number): { keep: number[]; w: number[] } {
  const natural = cols.map((c, i) => Math.max(len(c.head), ...cells.map((row) => len(row[i]!))));
  const w = [...natural];
  const keep = cols.map((_, i) => i);
  const at = (name: string): number => cols.findIndex((c) => c.head === name);
  const total = (): number => keep.reduce((a, i) => a + w[i]!, 0) + 2 * (keep.length - 1);
  for (const name of ["files", "secret", "rule"]) {
    const i = at(name);
    const over = total() - width;
    if (over <= 0) break;
    w[i] = Math.max(Math.min(cols[i]!.min ?? 0, natural[i]!), natural[i]! - over);
  }
  for (const name of ["reused", "first seen", "days"]) {
    if (total() <= width) break;
    keep.splice(keep.indexOf(at(name)), 1);
  }
  // Room freed by a dropped column goes back to the shrunk ones.
  for (const name of ["rule", "secret", "files"]) {
    const i = at(name);
    w[i] = Math.min(natural[i]!, w[i]! + Math.max(0, width - total()));
  }
  return { keep, w };
}

export default function inventoryText(inv: Inventory, opts: InventoryViewOptions): string {
  const c = pc.createColors(opts.color ?? false);
  const width = Math.max(60, opts.width ?? 100);
  const s = inv.summary;
  const out: string[] = [];
  const sev = SEVERITIES.filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}`);
  out.push(
    c.bold(`${s.secrets} distinct secret${s.secrets === 1 ? "" : "s"} in ${printable(inv.repository)}`) +
      (inv.repositories ? `, ${s.sharedAcrossRepositories ?? 0} in several repositories` : "") +
      (sev.length ? ` (${sev.join(", ")})` : ""),
  );
  out.push(
    c.dim(
      `${s.atHead} at HEAD · ${s.removedButInHistory} removed but still in history · ${s.rotated ? `${s.rotated} rotated · ` : ""}${s.reused} reused · ${s.canaries} canar${s.canaries === 1 ? "y" : "ies"} · ${s.commitsScanned} commits scanned · ${day(inv.generatedAt)}`,
    ),
  );
  for (const w of inv.warnings ?? []) out.push(c.yellow(`warning: ${printable(w)}`));
  if (inv.rows.length === 0) return out.join("\n") + "\n";
  const cols: Column[] = [
    { head: "risk", right: true, cell: (r) => String(r.risk) },
    { head: "severity", cell: (r) => r.severity },
    { head: "rule", min: 12, cell: (r) => r.ruleId },
    { head: "secret", min: 8, cell: (r) => printable(secretCell(r, opts)) },
    ...(inv.repositories ? [{ head: "repos", right: true, cell: (r: InventoryRow) => String(r.repositories?.length ?? 1) }] : []),
    { head: "first seen", cell: (r) => day(r.introduced.date) },
    { head: "HEAD", cell: (r) => (r.rotated ? "rotated" : r.atHead ? "yes" : "no") },
    { head: "days", right: true, cell: (r) => String(r.exposureDays) },
    { head: "reused", cell: (r) => (r.reused ? "yes" : "no") },
    { head: "files", min: 10, cell: files },
  ];
  const rows = byRisk(inv.rows);
  const cells = rows.map((r) => cols.map((col) => col.cell(r)));
  const { keep, w } = layout(cols, cells, width);
  out.push("");
  out.push(c.bold(keep.map((i) => pad(cols[i]!.head, w[i]!, cols[i]!.right)).join("  ").trimEnd()));
  rows.forEach((r, ri) => {
    const line = keep.map((i) => {
      const col = cols[i]!;
      const text = pad(fit(cells[ri]![i]!, w[i]!), w[i]!, col.right);
      if (col.head === "severity") return sevColor(c, r.severity)(text);
      if (col.head === "HEAD" && r.atHead) return c.red(text);
      return text;
    });
    out.push(line.join("  ").trimEnd());
  });
  return out.join("\n") + "\n";
}
