/**
 * Streams `git log --raw -z` (I/O edge): one {@link CommitRecord} per commit,
 * oldest first, with the tree changes that commit made (paths and new blob
 * ids; no text diffs, so the pass stays cheap). The consumer may return a
 * promise to apply back-pressure: git's output is paused until it settles, so
 * memory stays bounded however long the history is.
 */
import { GitError } from "../errors.js";
import { gitSpawn } from "./run.js";

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


/**
 * Runs `git log` over `revArgs` (already validated; may include `--all`,
 * `--since=…`, `--end-of-options`, revisions) and calls `onCommit` for each
 * commit, oldest first (parents before children). `extra` adds log options
 * such as `--first-parent`.
 */
export async function streamCommits(
  cwd: string,
  revArgs: readonly string[],
  onCommit: (c: CommitRecord) => void | Promise<void>,
  extra: readonly string[] = [],
): Promise<number> {
  const args = ["log", "--reverse", "--date-order", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-ext-diff", "--no-textconv", "--diff-merges=first-parent", ...extra, FORMAT, ...revArgs, "--"];
  const child = gitSpawn(args, { cwd });
  child.stdin.end();
  const errChunks: Buffer[] = [];
  child.stderr.on("data", (c: Buffer) => errChunks.push(c));
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", (e: NodeJS.ErrnoException) => reject(new GitError(e.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git: ${e.message}`)));
    child.on("close", (code) => resolve(code ?? 128));
  });

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
      // ":oldmode newmode oldoid newoid status"
      const m = pendingMeta;
      pendingMeta = undefined;
      const parts = m.split(" ");
      cur!.changes.push({ mode: parts[1] ?? "", oldOid: parts[2] ?? "", oid: parts[3] ?? "", status: parts[4] ?? "", path: t });
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
  finish();
  await deliver();
  } catch (e) {
    child.kill();
    throw e;
  }
  const code = await exited;
  if (code !== 0) {
    const err = Buffer.concat(errChunks).toString("utf8").trim().split("\n").pop();
    throw new GitError(`git log failed in ${cwd}: ${err || `exit code ${code}`}`);
  }
  return count;
}
