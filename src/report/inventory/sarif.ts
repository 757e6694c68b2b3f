/**
 * Inventory as SARIF 2.1.0: one result per secret (row), most urgent first,
 * for code scanning and SARIF viewers.
 *
 * - `tool.driver.rules[]`: one entry per rule of the rows, described as the
 *   scan's SARIF describes them (report/sarif.ts `ruleDescriptor`), from the
 *   rows' title, severity, confidence, tags, remediation and references.
 * - each result: ruleId, ruleIndex, level from the severity (critical/high →
 *   error, medium → warning, low → note), a message naming the secret (as
 *   shown: redacted unless --show-secrets), its state and exposure, and where
 *   it came in; one location: the file it was introduced in (`uri` relative
 *   to `%SRCROOT%`; the inventory keeps no line, so the region is line 1), or
 *   for a secret only in commit messages a pseudo artifact `commit/<sha>`
 *   with a logical location; `partialFingerprints["leakguard/v1"]` is the
 *   row's fingerprint; `properties` hold state, risk, exposure and commits.
 *
 * No snippet is ever written.
 */
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { VERSION } from "../../version.js";
import type { RuleMeta } from "../rule-meta.js";
import { INFORMATION_URI, levelOf, pathToUri, ruleDescriptor } from "../sarif.js";
import { byRisk, introducingFile, rowLine, type InventoryViewOptions } from "./view.js";

function ruleOf(r: InventoryRow): RuleMeta {
  const m: RuleMeta = { id: r.ruleId, description: r.title, severity: r.severity, confidence: r.confidence, tags: r.tags.filter((t) => t !== "reused" && t !== "rotated"), references: r.references };
  if (r.remediation) m.remediation = r.remediation;
  return m;
}

function location(r: InventoryRow): Record<string, unknown> {
  const region = { startLine: 1 };
  const file = introducingFile(r);
  if (file !== undefined) return { physicalLocation: { artifactLocation: { uri: pathToUri(file), uriBaseId: "%SRCROOT%" }, region } };
  const what = r.introduced.commit || "unknown";
  return {
    physicalLocation: { artifactLocation: { uri: `commit/${pathToUri(what)}` }, region },
    logicalLocations: [{ name: "commit-message", fullyQualifiedName: `${what}/commit-message`, kind: "resource" }],
  };
}

function result(r: InventoryRow, ruleIndex: number, opts: InventoryViewOptions): Record<string, unknown> {
  const p: Record<string, unknown> = {
    state: r.state,
    atHead: r.atHead,
    exposureDays: r.exposureDays,
    risk: r.risk,
    severity: r.severity,
    confidence: r.confidence,
    occurrences: r.occurrences,
    files: r.files,
    introducedCommit: r.introduced.commit,
    introducedDate: r.introduced.date,
  };
  if (r.removed) p.removedCommit = r.removed.commit;
  if (r.rotated) p.rotatedDate = r.rotated.date;
  if (r.tags.length) p.tags = r.tags;
  return {
    ruleId: r.ruleId,
    ruleIndex,
    level: levelOf(r.severity),
    message: { text: `${rowLine(r, opts)}.` },
    locations: [location(r)],
    partialFingerprints: { "leakguard/v1": r.fingerprint },
    properties: p,
  };
}

export default function inventorySarif(inv: Inventory, opts: InventoryViewOptions): string {
  const rows = byRisk(inv.rows);
  const rules = new Map<string, RuleMeta>();
  for (const r of rows) if (!rules.has(r.ruleId)) rules.set(r.ruleId, ruleOf(r));
  const index = new Map([...rules.keys()].map((id, i) => [id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "leakguard", version: VERSION, semanticVersion: VERSION, informationUri: INFORMATION_URI, rules: [...rules.values()].map(ruleDescriptor) } },
        automationDetails: { id: "leakguard/inventory/" },
        results: rows.map((r) => result(r, index.get(r.ruleId)!, opts)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
