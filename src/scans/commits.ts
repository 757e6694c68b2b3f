/**
 * Scanning given commits (I/O edge): each commit's added lines against its
 * first parent (root commits against the empty tree) plus its message. Three
 * git processes however many commits: `log` for metadata, `diff-tree --stdin`
 * for the changes, `cat-file --batch` for blobs. Used by `push`; reusable by
 * any walker that has a list of commit ids.
 *
 * @example
 *   const report = await scanCommits(scanner, "/repo", ids, { pushed: false });
 */
import type { CommitInfo } from "../engine/types.js";
import { ArgumentError } from "../errors.js";
import { emptyReport, skipFile, type ScanReport } from "../core/report.js";
import { scanGuarded, stoppedDetail, type Scanner } from "../core/scanner.js";
import { BlobReader } from "../git/blobs.js";
import { scanChanges } from "./changes.js";
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
  if (ids.length === 0) return [];
  const out = await gitText(["log", "--no-walk=unsorted", "--stdin", "-z", "--format=%H%x00%an%x00%ae%x00%aI%x00%B"], {
    cwd: repoDir,
    input: ids.join("\n") + "\n",
    ...(env ? { env } : {}),
  });
  // Records are five NUL-separated fields, each record NUL-terminated.
  const t = out.split("\0");
  const infos: CommitInfo[] = [];
  for (let i = 0; i + 4 < t.length; i += 5) {
    const [commit, author, email, date, body] = t.slice(i, i + 5) as [string, string, string, string, string];
    infos.push({ commit, author, email, date, message: body.replace(/\n+$/, "") });
  }
  return infos;
}

/** Each commit's changes against its first parent. */
export async function commitChanges(repoDir: string, ids: readonly string[], env?: NodeJS.ProcessEnv): Promise<Map<string, RawChange[]>> {
  const byCommit = new Map<string, RawChange[]>();
  if (ids.length === 0) return byCommit;
  const out = await gitText(["diff-tree", "--stdin", "-r", "-z", "--raw", "-M", "--no-abbrev", "--root", "--diff-merges=first-parent", "--ignore-submodules=none"], {
    cwd: repoDir,
    input: ids.join("\n") + "\n",
    ...(env ? { env } : {}),
  });
  for (const c of parseDiffTreeZ(out)) byCommit.set(c.commit, c.changes);
  return byCommit;
}

/**
 * Scans `commitIds` in `repoDir`: added lines of every file each commit
 * changes, and each message. Findings carry commit, author, email, date
 * (ISO 8601), message and, when asked, `pushed`.
 */
/** A commit's message as findings carry it when its own scan was cut short (the time budget). */
export const MESSAGE_CUT_SHORT = "(not shown: the scan of this message for secrets was cut short)";

export async function scanCommits(scanner: Scanner, repoDir: string, commitIds: readonly string[], opts: CommitScanOptions = {}): Promise<ScanReport> {
  const started = Date.now();
  const report = emptyReport();
  report.stats.commits = 0;
  const ids = [...new Set(commitIds)];
  for (const id of ids) if (!/^[0-9a-f]{40,64}$/.test(id)) throw new ArgumentError(`scanCommits: not a full commit id: ${id.slice(0, 70)}`);
  const [infos, changes] = await Promise.all([commitInfos(repoDir, ids, opts.env), commitChanges(repoDir, ids, opts.env)]);
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
          for (const f of res.findings) f.message = MESSAGE_CUT_SHORT;
          for (const s of res.suppressed) s.finding.message = MESSAGE_CUT_SHORT;
        }
        if (opts.messages !== false) {
          append(report.findings, res.findings);
          append(report.suppressed, res.suppressed);
        } else {
          // Not reported, but the message rides on this commit's findings: its secrets must still be redacted.
          append(append((report.alsoRedact ??= []), res.findings.map((f) => f.secret)), res.suppressed.map((s) => s.finding.secret));
        }
      }
      await scanChanges(scanner, blobs, changes.get(info.commit) ?? [], report, { commit, ...(opts.allLines ? { allLines: true } : {}) });
    }
  } finally {
    await blobs.close();
  }
  report.stats.durationMs = Date.now() - started;
  return report;
}
