/**
 * History scan, stage 7 (attribute) and 8 (collect): blob findings expand to
 * every distinct place their blob was introduced; in walk order, each
 * (secret, path) is reported once, at the commit that introduced it (a plain
 * rename keeps the original finding, unless the new path judges it
 * differently); every occurrence and every blob holding
 * the secret is kept for the inventory.
 */
import type { Finding } from "../engine/types.js";
import type { SkippedFile } from "../core/report.js";
import { rebind } from "./history-blobs.js";
import { findingPlace, type HistoryState } from "./history-state.js";

/** Stage 7: blob findings at every place their blob was introduced, in walk order. */
export function attribute(st: HistoryState): void {
  for (const h of st.blobs.hits.values()) {
    for (const intro of h.intros) {
      for (const f of h.findings) st.rawFindings.push({ seq: intro.seq, finding: rebind(f, intro), blob: h.oid, ...(intro.renamedFrom !== undefined ? { renamedFrom: intro.renamedFrom } : {}) });
    }
  }
  st.rawFindings.sort((a, b) => a.seq - b.seq);
}

/** How a place judged a finding: what a path can change (confidence, tags such as `test-file`). */
const judged = (f: Finding): string => `${f.confidence}\0${[...f.tags].sort().join(",")}`;

/** Stage 8: the reported findings (one per secret and path) and every secret's places. */
export function collect(st: HistoryState): void {
  const { report, stats, places } = st.result;
  const reported = new Map<string, Finding>();
  // Every (secret, path) met so far, with how it was judged there: a rename whose old path held the
  // secret, judged the same, is an occurrence, not a new finding; judged differently (a test fixture
  // moved to a production path) it is reported at the new path too.
  const met = new Map<string, string>();
  for (const { finding: f, blob, renamedFrom } of st.rawFindings) {
    const k = findingPlace(f);
    const moved = renamedFrom !== undefined && met.get(findingPlace(f, renamedFrom)) === judged(f);
    if (!met.has(k)) met.set(k, judged(f));
    if (!moved && !reported.has(k)) reported.set(k, f);
    let p = places.get(f.fingerprint);
    if (!p) places.set(f.fingerprint, (p = { occurrences: [], blobs: new Set() }));
    p.occurrences.push({ commit: f.commit ?? "", file: f.file, line: f.line, ruleId: f.ruleId, date: f.date ?? "", ...(renamedFrom !== undefined ? { renamedFrom } : {}) });
    if (blob) p.blobs.add(blob);
  }
  report.findings = [...reported.values()];
  // Skips in walk order, by path within a commit (scans finish in any order); entries made elsewhere keep theirs, first.
  const order = (x: SkippedFile): number => st.skipSeq.get(x) ?? -1;
  report.skipped?.sort((a, b) => order(a) - order(b) || (order(a) < 0 ? 0 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  report.suppressed = [...st.suppressed.values()].map((x) => x.s);
  report.stats.commits = stats.commits;
  if (stats.missing) report.warnings.push(`${stats.missing} blob(s) missing or unreadable (a partial clone, or a corrupt object: try 'git fsck'): not scanned`);
  if (stats.commits === 0 && report.warnings.length === 0) report.warnings.push("no commits in the selected range");
}
