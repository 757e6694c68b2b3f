/**
 * The secret inventory from a history scan's results: one row per distinct
 * secret (fingerprint), with where it stands, when it came and went, whether
 * it is reused, and a risk score. Pure: every git fact arrives in the input.
 *
 * ## Risk score (0..100)
 *
 *     risk = round(100 × S × C × E × R × A), clipped to 0..100
 *
 * - S, severity: critical 1.0, high 0.75, medium 0.5, low 0.25
 * - C, confidence: high 1.0, medium 0.7, low 0.4
 * - E, exposure: 1.0 when the secret is still at HEAD or its commit was
 *   pushed, else 0.5 (it only ever lived in local history)
 * - R, reuse: 1.2 when the value stands in several files or under several
 *   rules (one leak, many places to rotate), else 1.0
 * - A, age: min(1, 0.6 + 0.4 × exposureDays / 365): a year of exposure
 *   counts fully, a fresh leak 0.6
 * - L, live: 0.1 when the secret is marked rotated (revoked and replaced: what
 *   is left is the chance the rotation missed a copy), else 1.0
 *
 * Exposure counts from the first commit until the secret is marked rotated,
 * or until the inventory's date: deleting a secret from HEAD does not end its
 * exposure (every clone, fork and CI cache still has the history); rotating
 * it does.
 *
 * So a critical, high-confidence key still at HEAD for a year scores 100; the
 * same key removed before it was ever pushed, a week after it came, about 30;
 * once rotated, a tenth of that.
 *
 * @example
 *   const inv = buildInventory({ findings, places, salt, rules, headBlobs, generatedAt: new Date().toISOString(), … });
 */
import { valueFingerprintOf } from "../engine/fingerprint.js";
import { SEVERITIES, type Confidence, type Finding, type RuleDef, type Severity } from "../engine/types.js";
import { keyInfoOf } from "./key-info.js";
import type { WebRepository } from "./remote.js";
import type { CommitRef, Inventory, InventoryRow, Occurrence, Rotation } from "./types.js";

/** Severity weight S. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 1, high: 0.75, medium: 0.5, low: 0.25 };
/** Confidence weight C. */
export const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.7, low: 0.4 };
const MS_PER_DAY = 86_400_000;
/** Commits listed per row (commitCount keeps the total). */
const MAX_COMMITS = 20;

/** Inputs for the risk formula. */
export interface RiskFactors {
  severity: Severity;
  confidence: Confidence;
  atHead: boolean;
  pushed: boolean;
  reused: boolean;
  exposureDays: number;
  /** Marked rotated. */
  rotated?: boolean;
}

/** The risk score (see the module comment). */
export function riskScore(r: RiskFactors): number {
  const e = r.atHead || r.pushed ? 1 : 0.5;
  const reuse = r.reused ? 1.2 : 1;
  const age = Math.min(1, 0.6 + (0.4 * Math.max(0, r.exposureDays)) / 365);
  const live = r.rotated ? 0.1 : 1;
  const risk = Math.round(100 * SEVERITY_WEIGHT[r.severity] * CONFIDENCE_WEIGHT[r.confidence] * e * reuse * age * live);
  return Math.max(0, Math.min(100, risk));
}

/** Whole days between two ISO dates (0 when unknown or negative). */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 0;
  return Math.max(0, Math.floor((b - a) / MS_PER_DAY));
}

/**
 * Days a secret introduced at `introduced` has been exposed by `now`: its
 * rotation (a `YYYY-MM-DD` day) ends the exposure, removal does not.
 */
export function exposureDaysOf(introduced: string, rotated: Rotation | undefined, now: string): number {
  return daysBetween(introduced, rotated ? `${rotated.date}T00:00:00Z` : now);
}

/** Everything the inventory is built from. */
export interface InventoryInput {
  /** The history scan's findings: one per (secret, path), raw secrets. */
  findings: readonly Finding[];
  /** Fingerprint → every occurrence. */
  occurrences: ReadonlyMap<string, readonly Occurrence[]>;
  /** Fingerprints still in the default branch's HEAD tree. */
  atHead: ReadonlySet<string>;
  /** Fingerprint → the commit that removed it from the default branch. */
  removed: ReadonlyMap<string, CommitRef>;
  /** Rule definitions by id (remediation, references). */
  rules: ReadonlyMap<string, RuleDef>;
  /** Fingerprint salt (to group one value across rules). */
  salt?: string;
  /** "Now" for exposure days (ISO). */
  generatedAt: string;
  repository: string;
  version: string;
  head?: { ref: string; commit: string };
  commitsScanned: number;
  /** Rotation records: a fingerprint (or a unique prefix of 12+ digits) and when it was rotated. */
  rotations?: ReadonlyArray<{ fingerprint: string; rotation: Rotation }>;
  /** The repository's web home (commit and file links). */
  web?: WebRepository;
  /** Non-secret id of the fingerprint salt or key. */
  fingerprintSalt?: Inventory["fingerprintSalt"];
}

/** The rotation record of each fingerprint; a prefix that names two secrets marks neither. */
function rotationsByFingerprint(fps: readonly string[], rotations: InventoryInput["rotations"]): Map<string, Rotation> {
  const out = new Map<string, Rotation>();
  for (const { fingerprint, rotation } of rotations ?? []) {
    const p = fingerprint.toLowerCase();
    const hits = fps.filter((fp) => fp.startsWith(p));
    if (hits.length !== 1) continue;
    const prev = out.get(hits[0]!);
    // Recorded twice: the earlier rotation ended the exposure.
    if (!prev || rotation.date < prev.date) out.set(hits[0]!, rotation);
  }
  return out;
}

const earlier = (a: { date?: string }, b: { date?: string }): boolean => (a.date ?? "") !== "" && ((b.date ?? "") === "" || Date.parse(a.date!) < Date.parse(b.date!));

/** Builds the inventory: rows sorted by risk, highest first. */
/** The counts an inventory's summary holds, from its rows (one repository or an organisation). */
export function summarizeRows(rows: readonly InventoryRow[], commitsScanned: number): Inventory["summary"] {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of rows) bySeverity[r.severity]++;
  return {
    secrets: rows.length,
    atHead: rows.filter((r) => r.atHead).length,
    removedButInHistory: rows.filter((r) => !r.atHead).length,
    reused: rows.filter((r) => r.reused).length,
    rotated: rows.filter((r) => r.rotated !== undefined).length,
    canaries: rows.filter((r) => r.canary).length,
    bySeverity,
    commitsScanned,
  };
}

/** How many places a secret stands in: its files, a file renamed into another counting as one with it. */
function places(files: readonly string[], occ: readonly Occurrence[]): number {
  const root = new Map<string, string>(files.map((f) => [f, f]));
  const find = (f: string): string => {
    let r = f;
    while (root.get(r) !== r) r = root.get(r)!;
    return r;
  };
  for (const o of occ) if (o.renamedFrom !== undefined && root.has(o.renamedFrom) && root.has(o.file)) root.set(find(o.renamedFrom), find(o.file));
  return new Set(files.map(find)).size;
}

export function buildInventory(input: InventoryInput): Inventory {
  const byFp = new Map<string, Finding[]>();
  for (const f of input.findings) {
    const list = byFp.get(f.fingerprint);
    if (list) list.push(f);
    else byFp.set(f.fingerprint, [f]);
  }
  // One value under several rules: group rule ids by the value's own fingerprint.
  const rulesByValue = new Map<string, Set<string>>();
  const valueOf = new Map<string, string>();
  for (const [fp, list] of byFp) {
    const v = valueFingerprintOf(list[0]!.secret, input.salt);
    valueOf.set(fp, v);
    const s = rulesByValue.get(v) ?? new Set<string>();
    for (const f of list) s.add(f.ruleId);
    rulesByValue.set(v, s);
  }

  const rotatedAt = rotationsByFingerprint([...byFp.keys()], input.rotations);
  const rows: InventoryRow[] = [];
  for (const [fp, list] of byFp) {
    let first = list[0]!;
    for (const f of list) if (earlier(f, first)) first = f;
    const occ = input.occurrences.get(fp) ?? list.map((f) => ({ commit: f.commit ?? "", file: f.file, line: f.line, ruleId: f.ruleId, date: f.date ?? "" }));
    const files = [...new Set([...list.map((f) => f.file), ...occ.map((o) => o.file)].filter((f) => f !== ""))].sort();
    const commitsByDate = [...new Map(occ.map((o) => [o.commit, o.date])).entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    const otherRules = [...(rulesByValue.get(valueOf.get(fp)!) ?? [])].filter((r) => r !== first.ruleId).sort();
    const atHead = input.atHead.has(fp);
    const removed = atHead ? undefined : input.removed.get(fp);
    const introduced: CommitRef = { commit: first.commit ?? "", date: first.date ?? "", author: first.author ?? "" };
    if (first.email !== undefined) introduced.email = first.email;
    const rotated = rotatedAt.get(fp);
    const exposureDays = exposureDaysOf(introduced.date, rotated, input.generatedAt);
    const fileCommits: Record<string, string> = {};
    for (const o of [...occ].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))) if (o.file && o.commit && !Object.hasOwn(fileCommits, o.file)) fileCommits[o.file] = o.commit;
    const reused = places(files, occ) > 1 || otherRules.length > 0;
    const pushed = list.some((f) => f.pushed === true);
    const tags = new Set(list.flatMap((f) => f.tags));
    // Only where every place is a test file is the secret a test fixture; elsewhere (a fixture moved to
    // prod.cfg) the row takes the strongest place's confidence.
    if (list.some((f) => !f.tags.includes("test-file"))) tags.delete("test-file");
    const confidence = list.reduce((c, f) => (CONFIDENCE_WEIGHT[f.confidence] > CONFIDENCE_WEIGHT[c] ? f.confidence : c), first.confidence);
    if (reused) tags.add("reused");
    if (rotated) tags.add("rotated");
    const canary = tags.has("canary");
    const def = input.rules.get(first.ruleId);
    const row: InventoryRow = {
      fingerprint: fp,
      ruleId: first.ruleId,
      title: first.title,
      severity: first.severity,
      confidence,
      secret: first.secret,
      files,
      fileCommits,
      occurrences: occ.length,
      commits: commitsByDate.slice(0, MAX_COMMITS).map(([c]) => c),
      commitCount: commitsByDate.length,
      introduced,
      atHead,
      exposureDays,
      state: rotated ? "rotated" : atHead ? "at-head" : "in-history",
      reused,
      otherRules,
      pushed,
      tags: [...tags].sort(),
      canary,
      risk: riskScore({ severity: first.severity, confidence, atHead, pushed, reused, exposureDays, rotated: rotated !== undefined }),
      remediation: def?.remediation ?? `Revoke or rotate this ${first.title.toLowerCase()} with its issuer, then remove it from the code and history.`,
      references: def?.references ?? [],
    };
    if (removed) row.removed = removed;
    if (rotated) row.rotated = rotated;
    const key = keyInfoOf(first.secret);
    if (key) row.keyInfo = key;
    rows.push(row);
  }
  rows.sort(
    (a, b) =>
      b.risk - a.risk ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      (a.introduced.date < b.introduced.date ? -1 : a.introduced.date > b.introduced.date ? 1 : 0) ||
      (a.fingerprint < b.fingerprint ? -1 : 1),
  );
  const inv: Inventory = {
    tool: "leakguard",
    version: input.version,
    generatedAt: input.generatedAt,
    repository: input.repository,
    rows,
    summary: summarizeRows(rows, input.commitsScanned),
  };
  if (input.head) inv.head = input.head;
  if (input.web) inv.web = input.web;
  if (input.fingerprintSalt) inv.fingerprintSalt = input.fingerprintSalt;
  return inv;
}
