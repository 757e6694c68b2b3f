/**
 * Parsing `git diff-index/diff-tree --raw -z` output. Pure.
 *
 * Each entry is `:<old mode> <new mode> <old oid> <new oid> <status>[score]`
 * then one path, or two (source, destination) for renames and copies, each
 * NUL-terminated, so paths with spaces, newlines or any bytes come through
 * unquoted. `diff-tree --stdin` puts the commit id before its entries.
 */

/** One changed path. */
export interface RawChange {
  /** A added, M modified, D deleted, R renamed, C copied, T type changed, U unmerged. */
  status: string;
  /** Similarity for R and C. */
  score?: number;
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  /** The path after the change (destination for renames). */
  path: string;
  /** The source path of a rename or copy. */
  oldPath?: string;
}

/** File modes. */
export const MODE = { none: "000000", regular: "100644", executable: "100755", symlink: "120000", gitlink: "160000" } as const;

/** True for the two file modes that hold file content. */
export const isFileMode = (m: string): boolean => m === MODE.regular || m === MODE.executable;

export { isNullOid } from "./oid.js";

/** The changes of one commit (from `diff-tree --stdin`). */
export interface CommitChanges {
  commit: string;
  changes: RawChange[];
}

/** Parses one entry's header at `tokens[i]` and its paths; returns the next index. */
function parseEntry(tokens: readonly string[], i: number, out: RawChange[]): number {
  const head = tokens[i]!.slice(1).split(" ");
  const [oldMode, newMode, oldOid, newOid, st] = head as [string, string, string, string, string];
  const status = st.charAt(0);
  const change: RawChange = { status, oldMode, newMode, oldOid, newOid, path: tokens[i + 1] ?? "" };
  if (st.length > 1) change.score = Number(st.slice(1));
  if (status === "R" || status === "C") {
    change.oldPath = tokens[i + 1] ?? "";
    change.path = tokens[i + 2] ?? "";
    out.push(change);
    return i + 3;
  }
  out.push(change);
  return i + 2;
}

/** Parses `--raw -z` output of one diff. */
export function parseRawZ(output: string): RawChange[] {
  const tokens = output.split("\0");
  const out: RawChange[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i]!.startsWith(":")) i = parseEntry(tokens, i, out);
    else i++; // trailing empty token
  }
  return out;
}

/**
 * Parses `diff-tree --stdin -r -z --raw` output: a commit id token, then its
 * entries. Commits without changes print nothing at all.
 */
export function parseDiffTreeZ(output: string): CommitChanges[] {
  const tokens = output.split("\0");
  const out: CommitChanges[] = [];
  let cur: CommitChanges | undefined;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.startsWith(":") && cur) i = parseEntry(tokens, i, cur.changes);
    else {
      if (/^[0-9a-f]{40,64}$/.test(t)) out.push((cur = { commit: t, changes: [] }));
      i++;
    }
  }
  return out;
}
