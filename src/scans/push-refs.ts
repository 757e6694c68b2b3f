/**
 * What a push sends besides commits (I/O edge): the message of each annotated
 * tag a pushed ref names (source "tag-message", attributed as the history
 * scan does: tagger, date, commit = the tagged object), and the blobs of a
 * tree or blob a ref names directly, scanned whole as files named `<ref>` (a
 * blob) or `<ref>:<path>` (a tree's). Of a tree or blob, only what the
 * remote's tracking refs do not reach is read.
 */
import type { CommitInfo } from "../engine/types.js";
import { skipFile, type ScanReport } from "../core/report.js";
import { scanGuarded, stoppedDetail, type Scanner } from "../core/scanner.js";
import { BlobReader } from "../git/blobs.js";
import { parseTagObject, treeBlobs } from "../git/history-refs.js";
import { objectsNotOnRemotes, type RefTip } from "../git/push.js";
import { MODE, type RawChange } from "../git/rawdiff.js";
import { gitText } from "../git/run.js";
import { maxFileSizeOf } from "../util/size-limit.js";
import { append } from "../util/append.js";
import { scanChanges } from "./changes.js";
import { hideCutShortMessage } from "./commits.js";

/** Options for {@link scanRefTips}. */
export interface RefScanOptions {
  /** Value of `pushed` on tag-message findings; a function decides by the tagged object. Absent: no `pushed` field. */
  pushed?: boolean | ((commit: string) => boolean);
  /** The remote pushed to (its tracking refs say which objects it has; default: every remote's). */
  remote?: string;
}

/** A tag chain (a tag of a tag of ...) longer than this is not followed further. */
const MAX_DEPTH = 16;

/** Each object's type (`cat-file --batch-check`); a missing object is left out. */
async function objectTypes(repoDir: string, oids: readonly string[]): Promise<Map<string, string>> {
  const out = await gitText(["cat-file", "--batch-check=%(objectname) %(objecttype)"], { cwd: repoDir, input: oids.join("\n") + "\n" });
  const types = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [oid, type] = line.split(" ");
    if (oid && type && type !== "missing") types.set(oid, type);
  }
  return types;
}

/**
 * Scans into `report` the tag messages, and the blobs of trees and blobs,
 * that the refs in `tips` name (commits are {@link scanCommits}'s).
 */
export async function scanRefTips(scanner: Scanner, repoDir: string, tips: readonly RefTip[], report: ScanReport, opts: RefScanOptions = {}): Promise<void> {
  const max = maxFileSizeOf(scanner.config.scan);
  const reader = new BlobReader(repoDir);
  const seen = new Set<string>();
  try {
    // Peel level by level: one type query per level however many refs.
    let level = tips.filter((t) => t.oid !== t.remoteOid);
    for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
      const types = await objectTypes(repoDir, level.map((t) => t.oid));
      const next: RefTip[] = [];
      for (const tip of level) {
        // Two refs naming one object (a tag pushed under two names): scanned once.
        if (seen.has(tip.oid)) continue;
        seen.add(tip.oid);
        const type = types.get(tip.oid);
        if (type === "tag") {
          const object = await scanTagMessage(scanner, reader, tip.oid, report, max, opts);
          // The remote's ref named this tag already: what it names was pushed with it.
          if (object && object !== tip.remoteOid) next.push({ ...tip, oid: object });
        } else if (type === "blob" || type === "tree") {
          await scanChanges(scanner, reader, await unpushedBlobs(repoDir, tip, type, opts.remote), report, {});
        }
        // A commit's changes are scanCommits's; a missing object is git push's to refuse.
      }
      level = next;
    }
  } finally {
    await reader.close();
  }
}

/** Scans one annotated tag's message; returns the object the tag names. */
async function scanTagMessage(scanner: Scanner, reader: BlobReader, oid: string, report: ScanReport, max: number, opts: RefScanOptions): Promise<string | undefined> {
  const raw = await reader.read(oid, max);
  if (raw.kind !== "blob") {
    skipFile(report, { path: "(tag message)", reason: raw.kind === "too-large" ? "too-large" : "missing-object", commit: oid, detail: raw.kind === "too-large" ? `tag ${oid.slice(0, 12)} larger than ${max} bytes (max file size); its message is not scanned` : `tag ${oid.slice(0, 12)} is missing` });
    return undefined;
  }
  const t = parseTagObject(raw.data.toString("utf8"));
  if (!t.message) return t.object || undefined;
  const pushed = typeof opts.pushed === "function" ? opts.pushed(t.object) : opts.pushed;
  // As the history scan: the tag's tagger and date, commit = the tagged object.
  const commit: CommitInfo = { commit: t.object, author: t.tagger, email: t.email, date: t.date, message: t.message.replace(/\n+$/, ""), ...(pushed !== undefined ? { pushed } : {}) };
  const res = await scanGuarded(scanner, { text: t.message, path: "", source: "tag-message", commit });
  if (res.stopped) skipFile(report, { path: "(tag message)", reason: "timeout", commit: t.object, detail: stoppedDetail(scanner.timeBudgetMs) });
  if (res.stopped || res.timedOut) hideCutShortMessage(res);
  append(report.findings, res.findings);
  append(report.suppressed, res.suppressed);
  return t.object || undefined;
}

/** A ref's blob, or its tree's blobs, that the remote does not have, as added files named after the ref. */
async function unpushedBlobs(repoDir: string, tip: RefTip, type: string, remote: string | undefined): Promise<RawChange[]> {
  const fresh = await objectsNotOnRemotes(repoDir, tip.oid, remote);
  const none = "0".repeat(tip.oid.length);
  const added = (path: string, mode: string, oid: string): RawChange => ({ status: "A", oldMode: MODE.none, newMode: mode, oldOid: none, newOid: oid, path });
  if (type === "blob") return fresh.has(tip.oid) ? [added(tip.ref, MODE.regular, tip.oid)] : [];
  return (await treeBlobs(repoDir, tip.oid)).filter((b) => fresh.has(b.oid)).map((b) => added(`${tip.ref}:${b.path}`, b.mode, b.oid));
}
