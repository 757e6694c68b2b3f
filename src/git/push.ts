/**
 * Which commits a push would send (I/O edge). As a pre-push hook, git writes
 * one line per ref on stdin: `<local ref> <local sha> <remote ref> <remote sha>`.
 *
 * - update (both shas set): `remote..local`; when the remote sha is not
 *   known here (someone else pushed), the commits not on the remote's
 *   tracking refs instead;
 * - new branch (remote sha zeros): `local --not --remotes=<remote>`;
 * - deletion (local sha zeros): nothing to scan.
 *
 * Besides commits, a push sends what its refs name themselves: annotated tag
 * objects, and blobs or trees a ref points at ({@link refTips},
 * {@link objectsNotOnRemotes}).
 */
import { UsageError } from "../errors.js";
import { gitText } from "./run.js";
import { isNullOid } from "./oid.js";

/** One line of pre-push input. */
export interface PushUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

const OID = /^[0-9a-f]{40,64}$/;

/** Parses git's pre-push stdin; blank lines are ignored, malformed ones are an error. */
export function parsePrePushInput(text: string): PushUpdate[] {
  const out: PushUpdate[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(" ");
    if (parts.length !== 4 || !OID.test(parts[1]!) || !OID.test(parts[3]!)) {
      throw new UsageError(`pre-push input: expected '<local ref> <local sha> <remote ref> <remote sha>', got "${line.slice(0, 120)}"`);
    }
    out.push({ localRef: parts[0]!, localSha: parts[1]!, remoteRef: parts[2]!, remoteSha: parts[3]! });
  }
  return out;
}

/**
 * The `--remotes` selector for "already on the remote": the named remote's
 * tracking refs, or every remote's when the push goes to a URL or no name is known.
 */
function remotesArg(remote: string | undefined): string {
  return remote && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(remote) ? `--remotes=${remote}` : "--remotes";
}

async function revList(repoDir: string, args: string[]): Promise<string[]> {
  const out = await gitText(["rev-list", ...args], { cwd: repoDir });
  return out.split("\n").filter(Boolean);
}

/** True when `rev` names a commit here. */
async function isCommit(repoDir: string, rev: string): Promise<boolean> {
  try {
    await gitText(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], { cwd: repoDir });
    return true;
  } catch {
    return false;
  }
}

/** Commit ids the pushes in `updates` would send, newest first per ref, without repeats. */
export async function commitsToPush(repoDir: string, updates: readonly PushUpdate[], remote?: string): Promise<string[]> {
  const seen = new Set<string>();
  for (const u of updates) {
    if (isNullOid(u.localSha)) continue; // deletion
    let ids: string[];
    if (isNullOid(u.remoteSha)) {
      ids = await revList(repoDir, [u.localSha, "--not", remotesArg(remote)]);
    } else {
      // Not what the remote's refs already have either (a fast-forward to a branch pushed before sends nothing new).
      ids = await revList(repoDir, [u.localSha, "--not", u.remoteSha, remotesArg(remote)]).catch(() => revList(repoDir, [u.localSha, "--not", remotesArg(remote)]));
    }
    for (const id of ids) seen.add(id);
  }
  return [...seen];
}

/**
 * Commit ids of a user-given range: `A..B`, `A...B`, or one revision
 * meaning "its commits not yet on any remote".
 */
export async function commitsInRange(repoDir: string, range: string): Promise<string[]> {
  if (range.startsWith("-") || range.includes("\n")) throw new UsageError(`range "${range.slice(0, 80)}" is not a revision range`);
  // Each end must name a commit: rev-list takes a path such as "." and lists nothing, a silent pass.
  for (const end of range.split(/\.{2,3}/)) {
    if (end !== "" && !(await isCommit(repoDir, end))) throw new UsageError(`range "${range.slice(0, 80)}": "${end.slice(0, 80)}" is not a commit of this repository (use A..B or a single revision)`);
  }
  // A single revision: its commits not on any remote ("--not --remotes --not" flips back before the range).
  const args = range.includes("..") ? ["--end-of-options", range] : ["--not", "--remotes", "--not", "--end-of-options", range];
  try {
    return await revList(repoDir, args);
  } catch {
    throw new UsageError(`range "${range.slice(0, 80)}": unknown revision (use A..B with commits of this repository)`);
  }
}

/** A ref a push creates or moves, and the object it will name. */
export interface RefTip {
  /** The ref's full name where it lands (the remote ref of a pre-push line). */
  ref: string;
  /** The object pushed: a commit, tag, tree or blob. */
  oid: string;
  /** What the remote's ref names now (pre-push), not scanned again. */
  remoteOid?: string;
}

/** The refs a pre-push input creates or moves (deletions name nothing). */
export function refTips(updates: readonly PushUpdate[]): RefTip[] {
  return updates.filter((u) => !isNullOid(u.localSha)).map((u) => ({ ref: u.remoteRef, oid: u.localSha, ...(isNullOid(u.remoteSha) ? {} : { remoteOid: u.remoteSha }) }));
}

/**
 * The ends of a RANGE whose commits are scanned (`A..B`: B; `A...B`: both;
 * one revision: it), as the objects they name before peeling, so that an
 * annotated tag's message can be scanned too.
 */
export async function rangeTips(repoDir: string, range: string): Promise<RefTip[]> {
  const ends = range.includes("...") ? range.split("...") : range.includes("..") ? [range.split("..")[1] ?? ""] : [range];
  const tips: RefTip[] = [];
  for (const end of ends.map((e) => e || "HEAD")) {
    const oid = (await gitText(["rev-parse", "--verify", "--quiet", "--end-of-options", end], { cwd: repoDir, okCodes: [0, 1] }).catch(() => "")).trim();
    if (OID.test(oid)) tips.push({ ref: end, oid });
  }
  return tips;
}

/**
 * The ids of the objects reachable from `oid` (a tree or blob a ref names)
 * that the remote's tracking refs do not reach: what the push sends of it.
 */
export async function objectsNotOnRemotes(repoDir: string, oid: string, remote?: string): Promise<Set<string>> {
  const out = await gitText(["rev-list", "--objects", "--no-object-names", oid, "--not", remotesArg(remote)], { cwd: repoDir });
  return new Set(out.split("\n").filter(Boolean));
}

/** Which of `ids` no remote-tracking ref reaches (the rest are already pushed). */
export async function commitsNotOnRemotes(repoDir: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  // Walks from the ids down to what the remotes have; the ids that remain are unpushed.
  const out = await gitText(["rev-list", "--stdin", "--not", "--remotes"], { cwd: repoDir, input: ids.join("\n") + "\n" });
  const reached = new Set(out.split("\n").filter(Boolean));
  return ids.filter((id) => reached.has(id));
}
