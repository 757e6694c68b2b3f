/**
 * Inventory as JUnit XML for CI test reports: one `<testsuite>`
 * (`leakguard inventory`) with one `<testcase>` per secret, most urgent
 * first: classname = the file it was introduced in (`commit message` for a
 * secret only in messages), name = `ruleId fingerprint`. A secret still
 * exposed (not marked rotated) is a `<failure>` (type = severity) with the
 * redacted details; a rotated one passes. An empty inventory has one passing
 * test case, so CI shows a green check rather than "no tests".
 */
import type { Inventory, InventoryRow } from "../../inventory/types.js";
import { shortFingerprint } from "../../engine/fingerprint.js";
import { xmlAttr, xmlText } from "../escape.js";
import { byRisk, day, introducingFile, rowLine, secretCell, stateText, stillExposed, type InventoryViewOptions } from "./view.js";

function details(r: InventoryRow, opts: InventoryViewOptions): string {
  const lines = [
    r.title,
    `rule: ${r.ruleId}`,
    `severity: ${r.severity}, confidence: ${r.confidence}, risk: ${r.risk}`,
    `secret: ${secretCell(r, opts)}`,
    `state: ${stateText(r)}; exposed ${r.exposureDays} days`,
    `files: ${r.files.join(", ")}`,
    `introduced: ${r.introduced.commit}${r.introduced.author ? ` by ${r.introduced.author}` : ""}${r.introduced.date ? ` on ${day(r.introduced.date)}` : ""}`,
    `fingerprint: ${r.fingerprint}`,
  ];
  if (r.removed) lines.push(`removed from HEAD: ${r.removed.commit} on ${day(r.removed.date)}`);
  if (r.tags.length) lines.push(`tags: ${r.tags.join(", ")}`);
  return lines.join("\n");
}

function testcase(r: InventoryRow, opts: InventoryViewOptions): string {
  const classname = introducingFile(r) ?? "commit message";
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(`${r.ruleId} ${shortFingerprint(r.fingerprint)}`)}" time="0"`;
  if (!stillExposed(r)) return `${open}/>\n`;
  return `${open}>\n      <failure message="${xmlAttr(rowLine(r, opts))}" type="${xmlAttr(r.severity)}">${xmlText(details(r, opts))}</failure>\n    </testcase>\n`;
}

export default function inventoryJunit(inv: Inventory, opts: InventoryViewOptions): string {
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n`;
  const rows = byRisk(inv.rows);
  if (rows.length === 0) {
    return (
      head +
      `<testsuites name="leakguard inventory" tests="1" failures="0" errors="0" time="0">\n` +
      `  <testsuite name="leakguard inventory" tests="1" failures="0" errors="0" skipped="0" time="0">\n` +
      `    <testcase classname="leakguard" name="no secrets in the history" time="0"/>\n` +
      `  </testsuite>\n</testsuites>\n`
    );
  }
  const failures = rows.filter(stillExposed).length;
  let out = head + `<testsuites name="leakguard inventory" tests="${rows.length}" failures="${failures}" errors="0" time="0">\n`;
  out += `  <testsuite name="leakguard inventory" tests="${rows.length}" failures="${failures}" errors="0" skipped="0" time="0">\n`;
  for (const r of rows) out += testcase(r, opts);
  return out + `  </testsuite>\n</testsuites>\n`;
}
