/** Library: scan the commits a push would send. */
import { resolve } from "node:path";
import { commitsInRange, commitsNotOnRemotes, commitsToPush, parsePrePushInput, rangeTips, refTips, type RefTip } from "../git/push.js";
import { repoInfo } from "../git/repo.js";
import type { ScanReport } from "../core/report.js";
import { scanCommits } from "../scans/commits.js";
import { scanRefTips } from "../scans/push-refs.js";
import { ArgumentError } from "../errors.js";
import { runScan, checkSetup, type ScanOutcome, type ScanSetup } from "./pipeline.js";

/** Options for {@link scanPush}. */
export interface ScanPushOptions extends ScanSetup {
  /** A folder inside the repository (default: process.cwd()). */
  cwd?: string;
  /**
   * The commits to scan: `A..B` (every commit in it; `pushed` says which a
   * remote already has), or one revision meaning its commits on no remote.
   * Default: HEAD's commits on no remote.
   */
  range?: string;
  /**
   * `range` is what a pre-push hook is about to send (the pre-commit
   * framework's PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF): its commits are
   * unpushed by construction, so no remote is asked which it has.
   */
  rangeToPush?: boolean;
  /** git's pre-push hook input (`<local ref> <local sha> <remote ref> <remote sha>` lines): the commits that push sends. */
  prePushInput?: string;
  /** The remote pushed to (the pre-push hook's first argument; default: all remotes). */
  remote?: string;
  /** Scan whole files each commit touches, not only added lines. */
  allLines?: boolean;
}

/** {@link scanPush} with what the scan was made with (the CLI's `push`). */
export async function runPush(options: ScanPushOptions = {}): Promise<ScanOutcome> {
  if (options.range !== undefined && options.prePushInput !== undefined) throw new ArgumentError("scanPush: range and prePushInput exclude each other");
  const info = await repoInfo(resolve(options.cwd ?? process.cwd()));
  const root = info.root ?? info.gitDir;
  const updates = options.prePushInput !== undefined ? parsePrePushInput(options.prePushInput) : undefined;
  const ids = updates ? await commitsToPush(root, updates, options.remote) : await commitsInRange(root, options.range ?? "HEAD");
  // What the refs name themselves: annotated tags (their messages), blobs and trees (no commit holds them).
  const listed = new Set(ids);
  // A tip that is one of the commits listed is a commit (scanned as one): no need to ask git its type.
  const tips: RefTip[] = (updates ? refTips(updates) : await rangeTips(root, options.range ?? "HEAD")).filter((t) => !listed.has(t.oid));
  // A given range may hold commits the remotes have already; the hook's commits are unpushed by construction.
  const unpushed = options.range !== undefined && options.rangeToPush !== true ? new Set(await commitsNotOnRemotes(root, ids)) : undefined;
  const pushed = unpushed ? (c: string): boolean => !unpushed.has(c) : false;
  return runScan(
    {
      root,
      repository: root,
      // A push's added lines select a few of the rules (a 3-commit push: 26 of 537): loaded and compiled as they do.
      fewTexts: true,
      scan: async (scanner) => {
        const report = await scanCommits(scanner, root, ids, { pushed, allLines: options.allLines === true });
        await scanRefTips(scanner, root, tips, report, { pushed, ...(options.remote !== undefined ? { remote: options.remote } : {}) });
        if (info.shallow) report.warnings.push("shallow clone: a commit at the shallow boundary is compared with an empty tree ('git fetch --unshallow' for exact added lines)");
        return report;
      },
    },
    options,
  );
}

/**
 * Scans the commits a push would send, like `leakguard push` (the pre-push
 * hook): added lines and messages of each commit (a merge's: the lines none
 * of its parents has), each finding naming its commit; and what a pushed ref
 * names itself: an annotated tag's message (`tag-message`), a blob or a
 * tree's blobs. Secrets are raw in the result.
 *
 * @example
 *   const { findings } = await scanPush({ cwd: "/repo", range: "origin/main..HEAD" });
 */
export async function scanPush(options: ScanPushOptions = {}): Promise<ScanReport> {
  checkSetup("scanPush", options, ["cwd", "range", "prePushInput", "remote"]);
  return (await runPush(options)).report;
}
