#!/usr/bin/env node
/**
 * Checks `leakguard history` and `inventory` against the manifest that
 * bench/gen-repo.mjs wrote next to a generated repository: every planted
 * secret found at its commit and file, removed ones removed at the right
 * commit, the others still at HEAD. Exit 1 on any mismatch. Needs dist/.
 *
 *   node bench/check-planted.mjs REPO
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const repo = resolve(process.argv[2] ?? "");
const manifest = JSON.parse(readFileSync(`${repo}.planted.json`, "utf8"));
const { scanHistory, scanInventory } = await import(new URL("../dist/index.js", import.meta.url).href);
const report = await scanHistory({ repo });
const inv = await scanInventory({ repo });
let bad = 0;
for (const p of manifest.planted) {
  const f = report.findings.find((x) => x.file === p.file && x.ruleId === p.kind);
  const row = inv.rows.find((r) => r.files.includes(p.file));
  const problems = [];
  if (!f) problems.push("not found by history");
  else if (f.commit !== p.commit) problems.push(`history names ${f.commit}, planted at ${p.commit}`);
  if (!row) problems.push("no inventory row");
  else if (p.removedCommit && (row.atHead || row.removed?.commit !== p.removedCommit)) problems.push(`removal ${row.removed?.commit ?? "none"}, expected ${p.removedCommit}`);
  else if (!p.removedCommit && !row.atHead) problems.push("expected at HEAD");
  if (problems.length) {
    bad++;
    console.log(`${p.file}: ${problems.join("; ")}`);
  }
}
console.log(`${manifest.planted.length - bad}/${manifest.planted.length} planted secrets right; ${report.findings.length} findings, ${inv.rows.length} inventory rows`);
process.exitCode = bad ? 1 : 0;
