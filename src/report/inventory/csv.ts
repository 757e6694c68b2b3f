/**
 * Inventory as CSV (RFC 4180, CRLF, the same quoting and formula-injection
 * guard as the `csv` scan format): one record per secret, most urgent first.
 * List cells (`files`, `commits`, `otherRules`, `tags`, `references`) hold one
 * item per line inside the quoted cell, since a file name may contain any
 * other separator.
 */
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { csvRow } from "../escape.js";
import { byRisk, exportedSecret, type InventoryViewOptions } from "./view.js";

type Cell = string | number | boolean | undefined;

const COLUMNS: Array<[string, (r: InventoryRow, o: InventoryViewOptions) => Cell]> = [
  ["risk", (r) => r.risk],
  ["severity", (r) => r.severity],
  ["confidence", (r) => r.confidence],
  ["ruleId", (r) => r.ruleId],
  ["title", (r) => r.title],
  ["secret", exportedSecret],
  ["fingerprint", (r) => r.fingerprint],
  ["atHead", (r) => r.atHead],
  ["introducedCommit", (r) => r.introduced.commit],
  ["introducedDate", (r) => r.introduced.date],
  ["introducedAuthor", (r) => r.introduced.author],
  ["removedCommit", (r) => r.removed?.commit],
  ["removedDate", (r) => r.removed?.date],
  ["exposureDays", (r) => r.exposureDays],
  ["pushed", (r) => r.pushed],
  ["reused", (r) => r.reused],
  ["otherRules", (r) => r.otherRules.join("\n")],
  ["canary", (r) => r.canary],
  ["occurrences", (r) => r.occurrences],
  ["commitCount", (r) => r.commitCount],
  ["files", (r) => r.files.join("\n")],
  ["commits", (r) => r.commits.join("\n")],
  ["tags", (r) => r.tags.join("\n")],
  ["remediation", (r) => r.remediation],
  ["references", (r) => r.references.join("\n")],
  ["state", (r) => r.state],
  ["rotatedDate", (r) => r.rotated?.date],
  ["rotatedBy", (r) => r.rotated?.by],
  ["introducedEmail", (r) => r.introduced.email],
  ["keyType", (r) => r.keyInfo?.type],
  ["keyFingerprint", (r) => r.keyInfo?.sha256],
  ["repositories", (r) => r.repositories?.map((p) => p.name).join("\n")],
  ["repositoryCount", (r) => r.repositories?.length],
  [
    "repositoryDetails",
    (r) => r.repositories?.map((p) => `${p.name} first=${p.introduced.date} atHead=${p.atHead} exposureDays=${p.exposureDays}${p.rotated ? ` rotated=${p.rotated.date}` : ""}`).join("\n"),
  ],
];

/** The header row's field names, in order. */
export const INVENTORY_CSV_FIELDS: readonly string[] = COLUMNS.map(([name]) => name);

export default function inventoryCsv(inv: Inventory, opts: InventoryViewOptions): string {
  let out = csvRow(INVENTORY_CSV_FIELDS);
  for (const r of byRisk(inv.rows)) out += csvRow(COLUMNS.map(([, get]) => get(r, opts)));
  return out;
}
