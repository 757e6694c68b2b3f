/**
 * Repository facts the history scan needs besides the commit walk (I/O
 * edge): which commits were pushed, which are stash-only, annotated tags and
 * their messages, notes, and the shallow boundary.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { git, gitText, splitZ } from "./run.js";

/** What the refs say, from one `git for-each-ref` (each spawn costs a fork). */
export interface RefFacts {
  /** At least one ref exists. */
  any: boolean;
  /** At least one remote-tracking ref exists. */
  remotes: boolean;
  /** Annotated tags with their messages (lightweight tags have none). */
  tags: TagMessage[];
  /** Notes refs (refs/notes/...). */
  noteRefs: string[];
  /** The branch HEAD points at (short name, as `git symbolic-ref --short`) and its commit; absent when HEAD is detached or unborn. */
  headBranch?: { ref: string; commit: string };
}

/** Lists every ref once: whether there are any, remote-tracking ones, annotated tags' messages and notes refs (`signal` stops git). */
export async function refFacts(cwd: string, signal?: AbortSignal): Promise<RefFacts> {
  // Tag fields only for tag objects: a branch's commit message is not read.
  const tagFields = "%(refname:short)%00%(*objectname)%00%(taggername)%00%(taggeremail:trim)%00%(taggerdate:iso-strict)%00%(contents)";
  const fmt = `%(refname)%00%(objecttype)%00%(HEAD)%00%(refname:short)%00%(objectname)%00%(if:equals=tag)%(objecttype)%(then)${tagFields}%(end)%00%01`;
  const out = await gitText(["for-each-ref", `--format=${fmt}`], { cwd, ...(signal ? { signal } : {}) });
  const facts: RefFacts = { any: false, remotes: false, tags: [], noteRefs: [] };
  for (const rec of out.split("\0\x01")) {
    const f = rec.replace(/^\n/, "").split("\0");
    const ref = f[0];
    if (!ref) continue;
    facts.any = true;
    if (f[2] === "*" && ref.startsWith("refs/heads/") && f[1] === "commit") facts.headBranch = { ref: f[3] ?? ref, commit: f[4] ?? "" };
    if (ref.startsWith("refs/remotes/")) facts.remotes = true;
    else if (ref.startsWith("refs/notes/")) facts.noteRefs.push(ref);
    else if (ref.startsWith("refs/tags/") && f[1] === "tag") {
      facts.tags.push({ name: f[5] ?? "", target: f[6] ?? "", tagger: f[7] ?? "", email: f[8] ?? "", date: f[9] ?? "", message: f[10] ?? "" });
    }
  }
  return facts;
}

/** Commits reachable from a remote-tracking ref (one set of ids; bounded by history size). */
export async function pushedCommits(cwd: string, refs: RefFacts): Promise<Set<string>> {
  if (!refs.remotes) return new Set();
  const out = await gitText(["rev-list", "--remotes"], { cwd, okCodes: [0, 128] }).catch(() => "");
  return new Set(out.split("\n").filter(Boolean));
}

/** True when the repository has at least one ref or a HEAD commit (a detached HEAD with no ref). */
export async function hasCommits(cwd: string, refs: RefFacts): Promise<boolean> {
  if (refs.any) return true;
  const head = await git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], { cwd, okCodes: [0, 1, 128] });
  return head.code === 0;
}

/** Stash entries (newest first) and the commits only they reach (index/untracked parts included). */
export async function stashCommits(cwd: string): Promise<{ tips: string[]; only: Set<string> }> {
  const tips = (await gitText(["log", "-g", "--format=%H", "refs/stash", "--"], { cwd, okCodes: [0, 128] }).catch(() => "")).split("\n").filter(Boolean);
  if (tips.length === 0) return { tips, only: new Set() };
  const out = await gitText(["rev-list", "--stdin", "--not", "--exclude=refs/stash", "--all"], { cwd, input: tips.join("\n") + "\n" });
  return { tips, only: new Set(out.split("\n").filter(Boolean)) };
}

/** An annotated tag with its message. */
export interface TagMessage {
  name: string;
  target: string;
  tagger: string;
  email: string;
  date: string;
  message: string;
}

/** Every note of the given notes refs: (notes ref, note blob, annotated object). */
export async function notes(cwd: string, refs: readonly string[]): Promise<Array<{ ref: string; blob: string; object: string }>> {
  const all: Array<{ ref: string; blob: string; object: string }> = [];
  for (const ref of refs) {
    const out = await gitText(["notes", `--ref=${ref}`, "list"], { cwd, okCodes: [0, 1] });
    for (const line of out.split("\n")) {
      const [blob, object] = line.split(" ");
      if (blob && object) all.push({ ref, blob, object });
    }
  }
  return all;
}

/**
 * False when the object store certainly holds every object: no pack came
 * from a promisor remote (git marks each such pack with a `.promisor` file,
 * and keeps the mark through gc) and there are no alternates to ask about.
 * Saves asking git for its config on every scan of an ordinary clone.
 */
function mayLackObjects(commonDir: string): boolean {
  if (process.env.GIT_OBJECT_DIRECTORY || process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES) return true;
  const objects = join(commonDir, "objects");
  if (existsSync(join(objects, "info", "alternates"))) return true;
  let packs: string[];
  try {
    packs = readdirSync(join(objects, "pack"));
  } catch {
    return true; // unreadable: let git answer
  }
  return packs.some((f) => f.endsWith(".promisor"));
}

/** Oldest author date among the shallow boundary commits, or undefined when not shallow. */
export async function shallowBoundaryDate(cwd: string, gitDir: string): Promise<string | undefined> {
  let shas: string[];
  try {
    shas = readFileSync(join(gitDir, "shallow"), "utf8").split("\n").filter(Boolean);
  } catch {
    return undefined;
  }
  if (shas.length === 0) return undefined;
  const out = await gitText(["log", "--no-walk", "--format=%aI", "--stdin"], { cwd, input: shas.join("\n") + "\n", okCodes: [0, 128] }).catch(() => "");
  const dates = out.split("\n").filter(Boolean).sort();
  return dates[0] ?? "unknown date";
}

/** Blob ids in a tree (recursively), for "is it still at HEAD". */
export async function treeBlobs(cwd: string, treeish: string): Promise<Map<string, string[]>> {
  const out = await gitText(["ls-tree", "-r", "-z", "--full-tree", treeish], { cwd, okCodes: [0, 128] }).catch(() => "");
  const blobs = new Map<string, string[]>();
  for (const entry of splitZ(out)) {
    // "<mode> SP <type> SP <oid> TAB <path>"
    const tab = entry.indexOf("\t");
    const meta = entry.slice(0, tab).split(" ");
    if (meta[1] !== "blob") continue;
    const list = blobs.get(meta[2]!) ?? [];
    list.push(entry.slice(tab + 1));
    blobs.set(meta[2]!, list);
  }
  return blobs;
}

/** Parses a raw commit object (from cat-file) into author, email, ISO date and message. */
export function parseCommitObject(raw: string): { author: string; email: string; date: string; message: string } {
  const blank = raw.indexOf("\n\n");
  const head = blank < 0 ? raw : raw.slice(0, blank);
  const message = blank < 0 ? "" : raw.slice(blank + 2);
  const m = /^author (.*) <([^>\n]*)> (\d+) ([+-]\d{4})$/m.exec(head);
  if (!m) return { author: "", email: "", date: "", message };
  const tz = m[4]!;
  const offMin = (tz[0] === "-" ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)));
  const local = new Date(Number(m[3]) * 1000 + offMin * 60000).toISOString().slice(0, 19);
  const date = `${local}${tz.slice(0, 3)}:${tz.slice(3)}`;
  return { author: m[1]!, email: m[2]!, date, message };
}

/**
 * In a partial clone, the blobs the walk would need that are not present.
 * Computed up front with `rev-list --missing=print` (which never fetches) so
 * that cat-file is never asked for one: asking would fetch it from the
 * promisor remote, or die offline. Empty (and free) in a full clone.
 */
export async function missingObjects(cwd: string, revs: readonly string[], commonDir: string): Promise<Set<string>> {
  if (!mayLackObjects(commonDir)) return new Set();
  const partial = await gitText(["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"], { cwd, okCodes: [0, 1] });
  if (!partial.trim()) return new Set();
  const out = await gitText(["rev-list", "--objects", "--missing=print", ...revs, "--"], { cwd, okCodes: [0] });
  const missing = new Set<string>();
  for (const l of out.split("\n")) if (l.startsWith("?")) missing.add(l.slice(1).trim());
  return missing;
}
