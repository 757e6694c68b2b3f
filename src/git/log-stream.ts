/**
 * Streams the commits of a history (I/O edge): one {@link CommitRecord} per
 * commit, oldest first, with the tree changes that commit made (paths and new
 * blob ids; no text diffs, so the pass stays cheap). The consumer may return a
 * promise to apply back-pressure: git's output is paused until it settles, so
 * memory stays bounded however long the history is.
 */
import { GitError } from "../errors.js";
import { git, gitSpawn, type GitResult } from "./run.js";

/** One changed path in a commit. */
export interface TreeChange {
  /** New mode (octal string): 100644, 100755, 120000 (symlink), 160000 (gitlink), 000000 (deleted). */
  mode: string;
  /** Old blob id (all zeros when added). */
  oldOid: string;
  /** New blob id (all zeros when deleted). */
  oid: string;
  /** A, M, D, T … */
  status: string;
  path: string;
}

/** A commit with its header and the paths it changed against its first parent. */
export interface CommitRecord {
  sha: string;
  parents: string[];
  author: string;
  email: string;
  date: string;
  message: string;
  changes: TreeChange[];
}

/** `--format` for {@link streamCommits}: a \x01 marker, then NUL-separated fields. */
const FORMAT = "--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI%x00%B";


/** A git process's exit code and the last line it wrote to stderr. */
function watch(child: ReturnType<typeof gitSpawn>, what: string): Promise<{ code: number; err: string | undefined }> {
  const errChunks: Buffer[] = [];
  child.stderr.on("data", (c: Buffer) => errChunks.push(c));
  return new Promise((resolve, reject) => {
    child.on("error", (e: NodeJS.ErrnoException) => reject(new GitError(e.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git ${what}: ${e.message}`)));
    child.on("close", (code) => resolve({ code: code ?? 128, err: Buffer.concat(errChunks).toString("utf8").trim().split("\n").pop() }));
  });
}

/** Options of {@link streamCommits}. */
export interface StreamOptions {
  /** Traversal options such as `--first-parent`. */
  extra?: readonly string[];
  /** Commits per `diff-tree` process (default {@link COMMITS_PER_DIFF}). */
  commitsPerDiff?: number;
  /** Told how many commits there are once they are listed, before the first is described (progress totals). */
  onListed?: (commits: number) => void;
  /** The listing of these revisions, when the caller started it already ({@link listCommits} with the same arguments). */
  listed?: Promise<GitResult>;
  /**
   * What a merge's changes are: against its first parent (default), or
   * `combined`, only the paths that differ from every parent (what no parent
   * had: a conflict resolution, an evil merge). A walk that leaves out some
   * ancestors (a range, a date) wants `combined`: against its first parent a
   * merge seems to add all its other parent brings, which may be older than
   * the selection, and the merge got the blame.
   */
  mergeChanges?: "first-parent" | "combined";
}

/** Lists the commits of `revArgs` oldest first (`rev-list`), for {@link streamCommits}; started early, it runs beside other work (`signal` stops it). */
export function listCommits(cwd: string, revArgs: readonly string[], extra: readonly string[] = [], signal?: AbortSignal): Promise<GitResult> {
  return git(["rev-list", "--reverse", "--date-order", ...extra, ...revArgs, "--"], { cwd, env: BUFFERED, okCodes: [0, 1, 128, 129], ...(signal ? { signal } : {}) });
}

/**
 * The walk's git processes write with full buffering (`GIT_FLUSH=0`): by
 * default, with output to a pipe, `rev-list` and `diff-tree --stdin` flush
 * after every commit, one write and one wake-up of this thread per commit
 * (express: ~11,500 writes each, ~1,500 for diff-tree buffered, and ~0.1 s
 * less of its CPU). Their output is read to the end and nothing waits on
 * a single commit's record, so buffering delays nothing.
 */
const BUFFERED: NodeJS.ProcessEnv = { GIT_FLUSH: "0" };

/** Commits one `diff-tree` process describes before the next one takes over (its object cache grows with each). */
export const COMMITS_PER_DIFF = 20_000;

/**
 * Lists the commits of `revArgs` (already validated; may include `--all`,
 * `--since=…`, `--end-of-options`, revisions) oldest first (parents before
 * children, by date otherwise) and calls `onCommit` for each (see
 * {@link StreamOptions}).
 *
 * `rev-list --reverse` lists the commits, then `diff-tree --stdin`
 * describes them, a fresh process for every {@link COMMITS_PER_DIFF}: one
 * `git log --reverse --raw` said the same, but held every commit of the
 * history while it worked out the diffs (about 730 MB on git/git's 200k
 * commits), and one diff-tree's object cache grows about as much. The list
 * costs rev-list about 170 MB there, and is gone before the diffs start.
 */
export async function streamCommits(
  cwd: string,
  revArgs: readonly string[],
  onCommit: (c: CommitRecord) => void | Promise<void>,
  opts: StreamOptions = {},
): Promise<number> {
  const { extra = [], commitsPerDiff = COMMITS_PER_DIFF } = opts;
  const list = await (opts.listed ?? listCommits(cwd, revArgs, extra));
  if (list.code !== 0) throw new GitError(`git rev-list failed in ${cwd}: ${list.stderr.split("\n").pop() || `exit code ${list.code}`}`);
  // Kept as git's bytes: a string copy would double its ~8 MB on git/git for the whole walk.
  const ids = list.stdout;
  if (opts.onListed) {
    let n = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i] === 10) n++;
    opts.onListed(n);
  }

  let count = 0;
  let cur: CommitRecord | undefined;
  let field = 0; // header fields read of the current commit (0..6); 6 = in raw entries
  let pendingMeta: string | undefined;
  let rest: Buffer = Buffer.alloc(0);

  const ready: CommitRecord[] = [];
  const finish = (): void => {
    if (!cur) return;
    ready.push(cur);
    cur = undefined;
    count++;
  };
  const deliver = async (): Promise<void> => {
    for (const c of ready) {
      const r = onCommit(c);
      if (r) await r;
    }
    ready.length = 0;
  };

  const token = (t: string): void => {
    if (pendingMeta !== undefined) {
      // ":oldmode newmode oldoid newoid status", or for a combined merge entry "::mode1 mode2 mode oid1 oid2 oid status"
      // (one colon per parent): the result's mode and id, and the first parent's id as the old one.
      const m = pendingMeta;
      pendingMeta = undefined;
      let n = 0;
      while (m.charCodeAt(n) === 58) n++;
      const parts = m.slice(n).split(" ");
      cur!.changes.push({ mode: parts[n] ?? "", oldOid: parts[n + 1] ?? "", oid: parts[2 * n + 1] ?? "", status: parts[2 * n + 2] ?? "", path: t });
      return;
    }
    if (field >= 6 || cur === undefined) {
      if (t.startsWith("\x01")) {
        finish();
        cur = { sha: t.slice(1), parents: [], author: "", email: "", date: "", message: "", changes: [] };
        field = 1;
        return;
      }
      const meta = t.startsWith("\n") ? t.slice(1) : t;
      if (meta.startsWith(":") && cur) {
        pendingMeta = meta;
        return;
      }
      return; // stray separator
    }
    switch (field++) {
      case 1:
        cur.parents = t ? t.split(" ") : [];
        break;
      case 2:
        cur.author = t;
        break;
      case 3:
        cur.email = t;
        break;
      case 4:
        cur.date = t;
        break;
      case 5:
        cur.message = t;
        break;
    }
  };

  /** Describes the commits of `input` (ids, one a line) with one diff-tree process. */
  const describe = async (input: Buffer): Promise<void> => {
    // --always: a commit whose diff is empty (an empty commit, a merge taking its first parent's tree) is still listed.
    const merges = opts.mergeChanges === "combined" ? "--diff-merges=combined" : "--diff-merges=first-parent";
    const args = ["diff-tree", "--stdin", "--always", "-r", "--root", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-ext-diff", "--no-textconv", merges, FORMAT];
    const child = gitSpawn(args, { cwd, env: BUFFERED });
    const exited = watch(child, "diff-tree");
    exited.catch(() => undefined);
    child.stdin.on("error", () => {
      /* diff-tree ended early: reported through its exit code */
    });
    child.stdin.end(input);
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
        let start = 0;
        for (;;) {
          const nul = buf.indexOf(0, start);
          if (nul < 0) break;
          token(buf.toString("utf8", start, nul));
          start = nul + 1;
        }
        rest = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
        buf = rest;
        if (ready.length) await deliver();
      }
      if (rest.length) token(rest.toString("utf8"));
      rest = Buffer.alloc(0);
      finish();
      await deliver();
    } catch (e) {
      child.kill();
      throw e;
    }
    const r = await exited;
    if (r.code !== 0) throw new GitError(`git diff-tree failed in ${cwd}: ${r.err || `exit code ${r.code}`}`);
  };

  for (let at = 0; at < ids.length; ) {
    // The end of the commitsPerDiff-th line from `at` (or of the list).
    let end = at;
    for (let n = 0; end < ids.length; ) if (ids[end++] === 10 && ++n === commitsPerDiff) break;
    await describe(ids.subarray(at, end));
    at = end;
  }
  return count;
}
