/**
 * Scanning given commits (I/O edge): each commit's added lines against its
 * parent (root commits against the empty tree; a merge's, the lines none of
 * its parents has) plus its message. Three git processes however many
 * commits (a fourth when there are merges): `log` for metadata, `diff-tree --stdin`
 * for the changes, `cat-file --batch` for blobs. Used by `push`; reusable by
 * any walker that has a list of commit ids.
 *
 * @example
 *   const report = await scanCommits(scanner, "/repo", ids, { pushed: false });
 */
import type { CommitInfo, Finding, SuppressedFinding } from "../engine/types.js";
import { ArgumentError } from "../errors.js";
import { emptyReport, skipFile, type ScanReport } from "../core/report.js";
import { scanGuarded, stoppedDetail, type Scanner } from "../core/scanner.js";
import { BlobReader } from "../git/blobs.js";
import { scanChanges, type ParentChange } from "./changes.js";
import { messageFragment } from "../git/message.js";
import { parseDiffTreeZ, type RawChange } from "../git/rawdiff.js";
import { gitText } from "../git/run.js";
import { append } from "../util/append.js";

/** Options for {@link scanCommits}. */
export interface CommitScanOptions {
  /** Value of `pushed` on every finding; a function decides per commit. Absent: no `pushed` field. */
  pushed?: boolean | ((commit: string) => boolean);
  /** Scan whole files each commit touches, not only added lines. */
  allLines?: boolean;
  /** Scan commit messages (default true). */
  messages?: boolean;
  /** Extra environment for git. */
  env?: NodeJS.ProcessEnv;
}

/** Metadata of commits, in the order given (`git log --no-walk=unsorted`). */
export async function commitInfos(repoDir: string, ids: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommitInfo[]> {
  return (await commitRecords(repoDir, ids, env)).map((r) => r.info);
}

/** {@link commitInfos} with each commit's parents. */
async function commitRecords(repoDir: string, ids: readonly string[], env?: NodeJS.ProcessEnv): Promise<Array<{ info: CommitInfo; parents: string[] }>> {
  if (ids.length === 0) return [];
  const out = await gitText(["log", "--no-walk=unsorted", "--stdin", "-z", "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%B"], {
    cwd: repoDir,
    input: ids.join("\n") + "\n",
    ...(env ? { env } : {}),
  });
  // Records are six NUL-separated fields, each record NUL-terminated.
  const t = out.split("\0");
  const records: Array<{ info: CommitInfo; parents: string[] }> = [];
  for (let i = 0; i + 5 < t.length; i += 6) {
    const [commit, parents, author, email, date, body] = t.slice(i, i + 6) as [string, string, string, string, string, string];
    records.push({ info: { commit, author, email, date, message: body.replace(/\n+$/, "") }, parents: parents.split(" ").filter(Boolean) });
  }
  return records;
}

const DIFF_TREE = ["diff-tree", "--stdin", "-r", "-z", "--raw", "-M", "--no-abbrev", "--root", "--ignore-submodules=none"];

/** Each commit's changes against its first parent. */
export async function commitChanges(repoDir: string, ids: readonly string[], env?: NodeJS.ProcessEnv): Promise<Map<string, RawChange[]>> {
  const byCommit = new Map<string, RawChange[]>();
  if (ids.length === 0) return byCommit;
  const out = await gitText([...DIFF_TREE, "--diff-merges=first-parent"], {
    cwd: repoDir,
    input: ids.join("\n") + "\n",
    ...(env ? { env } : {}),
  });
  for (const c of parseDiffTreeZ(out)) byCommit.set(c.commit, c.changes);
  return byCommit;
}

/**
 * Each merge's changes against its second and later parents, in parent
 * order: one `diff-tree --stdin` of lines "<merge> <parent>" (each compared
 * as if that were its only parent; `--always` prints an empty diff too, so
 * the k-th record of a merge is its (k+1)-th parent's).
 */
async function laterParentChanges(repoDir: string, merges: ReadonlyArray<{ commit: string; parents: readonly string[] }>, env?: NodeJS.ProcessEnv): Promise<Map<string, RawChange[][]>> {
  const byCommit = new Map<string, RawChange[][]>();
  const lines = merges.flatMap((m) => m.parents.slice(1).map((p) => `${m.commit} ${p}`));
  if (lines.length === 0) return byCommit;
  const out = await gitText([...DIFF_TREE, "--always"], { cwd: repoDir, input: lines.join("\n") + "\n", ...(env ? { env } : {}) });
  for (const c of parseDiffTreeZ(out)) {
    const list = byCommit.get(c.commit) ?? [];
    list.push(c.changes);
    byCommit.set(c.commit, list);
  }
  return byCommit;
}

/**
 * A merge's changes: a line is added by a merge only when none of its
 * parents has it (what `git diff --cc` shows). A path the merge leaves as
 * one parent has it adds nothing and is dropped; the others keep the old
 * blob of each later parent, so that only lines added against every parent
 * count. Pure.
 */
export function mergeChanges(firstParent: readonly RawChange[], laterParents: ReadonlyArray<readonly RawChange[]>): ParentChange[] {
  const byPath = laterParents.map((changes) => new Map(changes.filter((c) => c.status !== "D").map((c) => [c.path, c])));
  const out: ParentChange[] = [];
  for (const c of firstParent) {
    if (c.status === "D") continue;
    const others = byPath.map((m) => m.get(c.path));
    // Unchanged from a later parent (absent from its diff), or that parent's blob under another name (a pure rename).
    if (others.some((o) => o === undefined || o.oldOid === o.newOid)) continue;
    out.push({ ...c, otherParents: others.map((o) => ({ oldOid: o!.oldOid, oldMode: o!.oldMode })) });
  }
  return out;
}

/** A commit's message as findings carry it when its own scan was cut short (the time budget). */
export const MESSAGE_CUT_SHORT = "(not shown: the scan of this message for secrets was cut short)";

/**
 * A message's own findings and suppressed candidates when its scan was cut
 * short: they carry {@link MESSAGE_CUT_SHORT} instead of the message, since
 * what the scan did not reach may hold a secret no redaction knows.
 */
export function hideCutShortMessage(r: { findings: Finding[]; suppressed: SuppressedFinding[] }): void {
  for (const f of r.findings) f.message = MESSAGE_CUT_SHORT;
  for (const s of r.suppressed) s.finding.message = MESSAGE_CUT_SHORT;
}

/**
 * Scans `commitIds` in `repoDir`: added lines of every file each commit
 * changes, and each message. Findings carry commit, author, email, date
 * (ISO 8601), message and, when asked, `pushed`. A merge's added lines are
 * those none of its parents has ({@link mergeChanges}).
 */
export async function scanCommits(scanner: Scanner, repoDir: string, commitIds: readonly string[], opts: CommitScanOptions = {}): Promise<ScanReport> {
  const started = Date.now();
  const report = emptyReport();
  report.stats.commits = 0;
  const ids = [...new Set(commitIds)];
  for (const id of ids) if (!/^[0-9a-f]{40,64}$/.test(id)) throw new ArgumentError(`scanCommits: not a full commit id: ${id.slice(0, 70)}`);
  const [records, changes] = await Promise.all([commitRecords(repoDir, ids, opts.env), commitChanges(repoDir, ids, opts.env)]);
  const infos = records.map((r) => r.info);
  const later = await laterParentChanges(repoDir, records.filter((r) => r.parents.length > 1).map((r) => ({ commit: r.info.commit, parents: r.parents })), opts.env);
  const blobs = new BlobReader(repoDir, opts.env);
  try {
    for (const info of infos) {
      const pushed = typeof opts.pushed === "function" ? opts.pushed(info.commit) : opts.pushed;
      report.stats.commits++;
      let commit: CommitInfo = pushed === undefined ? info : { ...info, pushed };
      if (info.message) {
        const res = await scanGuarded(scanner, messageFragment(info.message, commit));
        if (res.stopped) skipFile(report, { path: "(commit message)", reason: "timeout", commit: info.commit, detail: stoppedDetail(scanner.timeBudgetMs) });
        if (res.stopped || res.timedOut) {
          // What the scan did not reach may hold a secret no redaction knows: the message rides on no finding.
          commit = { ...commit, message: MESSAGE_CUT_SHORT };
          hideCutShortMessage(res);
        }
        if (opts.messages !== false) {
          append(report.findings, res.findings);
          append(report.suppressed, res.suppressed);
        } else {
          // Not reported, but the message rides on this commit's findings: its secrets must still be redacted.
          append(append((report.alsoRedact ??= []), res.findings.map((f) => f.secret)), res.suppressed.map((s) => s.finding.secret));
        }
      }
      const first = changes.get(info.commit) ?? [];
      const others = later.get(info.commit);
      await scanChanges(scanner, blobs, others ? mergeChanges(first, others) : first, report, { commit, ...(opts.allLines ? { allLines: true } : {}) });
    }
  } finally {
    await blobs.close();
  }
  report.stats.durationMs = Date.now() - started;
  return report;
}
