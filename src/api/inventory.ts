/** Library: the secret inventory of a repository's whole history. */
import { resolve } from "node:path";
import { treeBlobs } from "../git/history-refs.js";
import { streamCommits } from "../git/log-stream.js";
import { gitText } from "../git/run.js";
import { buildInventory } from "../inventory/build.js";
import { PresenceTracker } from "../inventory/presence.js";
import type { CommitRef, Inventory, Occurrence } from "../inventory/types.js";
import { VERSION } from "../version.js";
import { webRepository, type WebRepository } from "../inventory/remote.js";
import { readIgnoreEntries } from "../suppress/index.js";
import { checkHistoryOptions, runHistory, type ScanHistoryOptions } from "./history.js";
import type { HistoryResult } from "../scans/history.js";
import type { ScanSetup } from "./pipeline.js";

export { buildInventory, riskScore, type InventoryInput, type RiskFactors } from "../inventory/build.js";

/** Options for {@link scanInventory}. */
export interface ScanInventoryOptions
  extends Pick<ScanHistoryOptions, "repo" | "cacheDir" | "onProgress">,
    Omit<ScanSetup, "baseline" | "importBaseline" | "reportUnusedIgnores" | "ignoreFiles"> {
  /** "Now" for exposure days (default: the current time). */
  now?: Date | string;
  /**
   * Ignore files holding rotation records (`<fingerprint> rotated DATE [by WHO]`);
   * default `.leakguardignore` and `.gitleaksignore` at the repository root.
   */
  ignoreFiles?: string[];
}

/** The web home of the repository's `origin` remote (else its only remote), for links. */
export async function webOf(cwd: string): Promise<WebRepository | undefined> {
  const remotes = (await gitText(["remote"], { cwd, okCodes: [0, 1, 128] }).catch(() => "")).split("\n").filter(Boolean);
  const name = remotes.includes("origin") ? "origin" : remotes.length === 1 ? remotes[0] : undefined;
  if (name === undefined) return undefined;
  // get-url applies url.<base>.insteadOf, as git itself would.
  const url = (await gitText(["remote", "get-url", "--", name], { cwd, okCodes: [0, 1, 2, 128] }).catch(() => "")).trim();
  return webRepository(url);
}

/** The default branch (HEAD's symbolic ref) and its commit, if any. */
async function headOf(cwd: string): Promise<{ ref: string; commit: string } | undefined> {
  const commit = (await gitText(["rev-parse", "--verify", "-q", "HEAD^{commit}"], { cwd, okCodes: [0, 1, 128] })).trim();
  if (!commit) return undefined;
  const ref = (await gitText(["symbolic-ref", "-q", "--short", "HEAD"], { cwd, okCodes: [0, 1] })).trim();
  return { ref: ref || "HEAD", commit };
}

/**
 * Scans the whole history and builds the inventory: one row per distinct
 * secret with its files, commits, introduction, removal from the default
 * branch, exposure, reuse and risk (see inventory/build.ts for the formula).
 * Secrets are raw in the result; the inventory reporters redact them.
 *
 * @example
 *   const inv = await scanInventory({ repo: "/path/to/repo" });
 *   for (const row of inv.rows) console.log(row.risk, row.ruleId, row.files.join(", "));
 */
export async function scanInventory(options: ScanInventoryOptions = {}): Promise<Inventory> {
  checkHistoryOptions("scanInventory", options);
  const repo = resolve(options.repo ?? process.cwd());
  // The whole history (no selection); ignore files hold rotation records here, they hide nothing.
  const res = await runHistory({ ...options, repo });
  const scanner = res.prepared.scanner;
  const now = options.now === undefined ? new Date() : new Date(options.now);
  // The ref listing of the scan named HEAD's branch; git is asked only for a detached HEAD.
  const head = res.headBranch ?? (await headOf(repo));
  const { atHead, removed } = head ? await presenceOnDefaultBranch(repo, head.commit, res) : { atHead: new Set<string>(), removed: new Map<string, CommitRef>() };
  const root = res.info.root ?? repo;
  // Ignore files found in the tree must stay inside it (as for the scans); files named by the caller need not.
  const rotations = readIgnoreEntries(root, options.ignoreFiles, options.ignoreFiles ? undefined : root)
    .filter((e) => e.kind === "fingerprint" && e.rotated !== undefined)
    .map((e) => ({ fingerprint: e.value, rotation: { ...e.rotated!, ...(e.reason ? { reason: e.reason } : {}), source: `${e.file}:${e.line}` } }));
  const web = await webOf(repo);
  const occurrences = new Map<string, Occurrence[]>();
  for (const [fp, p] of res.places) occurrences.set(fp, p.occurrences);
  const inv = buildInventory({
    findings: res.report.findings,
    occurrences,
    atHead,
    removed,
    rules: new Map(scanner.config.rules.map((r) => [r.id, r])),
    salt: scanner.salt,
    generatedAt: now.toISOString(),
    repository: repo,
    version: VERSION,
    ...(head ? { head } : {}),
    commitsScanned: res.stats.commits,
    rotations,
    ...(web ? { web } : {}),
    // Non-secret: the salt id, its kind, and for a private key its key id (never the key).
    fingerprintSalt: {
      id: scanner.fingerprintSalt.saltId,
      kind: scanner.fingerprintSalt.kind,
      ...(scanner.fingerprintSalt.keyId !== undefined ? { keyId: scanner.fingerprintSalt.keyId } : {}),
    },
  });
  const skipped = res.report.skipped ?? [];
  if (skipped.length > 0) inv.skipped = skipped;
  // What the walk warned about (a shallow clone: introductions credited to the boundary) belongs with the rows.
  if (res.report.warnings.length > 0) inv.warnings = [...(inv.warnings ?? []), ...res.report.warnings];
  return inv;
}

/**
 * Which secrets the HEAD tree still holds (its blob ids against the blobs
 * holding each secret), and where the others left the first-parent line.
 */
async function presenceOnDefaultBranch(cwd: string, head: string, res: HistoryResult): Promise<{ atHead: Set<string>; removed: Map<string, CommitRef> }> {
  const blobSecrets = new Map<string, string[]>();
  for (const [fp, p] of res.places) {
    for (const b of p.blobs) {
      const l = blobSecrets.get(b);
      if (l) l.push(fp);
      else blobSecrets.set(b, [fp]);
    }
  }
  const atHead = new Set<string>();
  const removed = new Map<string, CommitRef>();
  if (blobSecrets.size === 0) return { atHead, removed };
  // A HEAD tree git cannot list holds nothing here (as before: "is it still at HEAD" answers no).
  for (const { oid } of await treeBlobs(cwd, head).catch(() => [])) for (const fp of blobSecrets.get(oid) ?? []) atHead.add(fp);
  const tracker = new PresenceTracker(blobSecrets);
  await streamCommits(
    cwd,
    ["--end-of-options", head],
    (c) => tracker.commit({ commit: c.sha, date: c.date, author: c.author, email: c.email }, c.changes),
    { extra: ["--first-parent"] },
  );
  for (const fp of blobSecrets.values()) for (const f of fp) {
    if (atHead.has(f)) continue;
    const r = tracker.removedAt(f);
    if (r) removed.set(f, r);
  }
  return { atHead, removed };
}
