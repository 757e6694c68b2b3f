/**
 * Repository facts the history scan needs besides the commit walk (I/O
 * edge): which commits were pushed, which are stash-only, annotated tags and
 * their messages, notes, and the shallow boundary.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { git, gitText, splitZ } from "./run.js";

/**
 * What the refs say, from one `git for-each-ref` of cheap fields (each spawn
 * costs a fork): names, object types and ids, and which branch HEAD is on.
 * What costs git a read of the object or a look-up per ref (tag messages,
 * short names) comes from {@link refNames}, asked of the few refs that need
 * it: on express's 3,890 refs the listing with those fields took git
 * ~0.15 s of CPU, without them ~0.02 s.
 */
export interface RefFacts {
  /** At least one ref exists. */
  any: boolean;
  /** At least one remote-tracking ref exists. */
  remotes: boolean;
  /** Full names of the annotated tags (refs/tags/… naming a tag object), in the listing's order. */
  tagRefs: string[];
  /** Notes refs (refs/notes/...). */
  noteRefs: string[];
  /** The branch HEAD points at (full name) and its commit; absent when HEAD is detached or unborn. */
  head?: { fullRef: string; commit: string };
  /** Refs naming a blob or a tree directly (`git tag keys <blob>`): no commit holds what they name. */
  objectRefs: ObjectRef[];
}

/** A ref naming a blob or a tree, or an annotated tag whose target is one (with the tag's tagger and date). */
export interface ObjectRef {
  ref: string;
  oid: string;
  type: "blob" | "tree";
  tagger?: { name: string; email: string; date: string };
}

/** What {@link refNames} tells of the refs that need more than the listing. */
export interface RefNames {
  /** Annotated tags with their messages (lightweight tags have none). */
  tags: TagMessage[];
  /** The branch HEAD points at (short name, as `git for-each-ref`'s `refname:short`) and its commit; absent when HEAD is detached or unborn. */
  headBranch?: { ref: string; commit: string };
}

/** Lists every ref once: whether there are any, remote-tracking ones, annotated tags, notes refs and HEAD's branch (`signal` stops git). */
export async function refFacts(cwd: string, signal?: AbortSignal): Promise<RefFacts> {
  const fmt = "%(refname)%00%(objecttype)%00%(HEAD)%00%(objectname)%00%01";
  const out = await gitText(["for-each-ref", `--format=${fmt}`], { cwd, ...(signal ? { signal } : {}) });
  const facts: RefFacts = { any: false, remotes: false, tagRefs: [], noteRefs: [], objectRefs: [] };
  for (const f of refRecords(out)) {
    const ref = f[0]!;
    facts.any = true;
    if (f[2] === "*" && ref.startsWith("refs/heads/") && f[1] === "commit") facts.head = { fullRef: ref, commit: f[3] ?? "" };
    if (ref.startsWith("refs/remotes/")) facts.remotes = true;
    else if (ref.startsWith("refs/notes/")) facts.noteRefs.push(ref);
    else if (ref.startsWith("refs/tags/") && f[1] === "tag") facts.tagRefs.push(ref);
    if (f[1] === "blob" || f[1] === "tree") facts.objectRefs.push({ ref, oid: f[3] ?? "", type: f[1] });
  }
  return facts;
}

/** The fields of each ref `for-each-ref` printed with a format ending in `%00%01` (the first field, the ref's name, never empty). */
function refRecords(out: string): string[][] {
  const records: string[][] = [];
  for (const rec of out.split("\0\x01")) {
    const f = rec.replace(/^\n/, "").split("\0");
    if (f[0]) records.push(f);
  }
  return records;
}

/**
 * The annotated tags' messages (when `want.tags`) and HEAD's branch's short
 * name (when `want.head`): one more `for-each-ref`, of `refs/tags` and HEAD's
 * branch alone, and none when the listing showed neither. Tags are taken as
 * {@link refFacts} took them (a tag object under refs/tags/), in ref order;
 * only those the listing named count, so both agree should a ref move between
 * the two.
 */
export async function refNames(cwd: string, facts: RefFacts, want: { tags: boolean; head: boolean }, signal?: AbortSignal): Promise<RefNames> {
  const tags = want.tags && facts.tagRefs.length > 0;
  const head = want.head ? facts.head : undefined;
  const names: RefNames = { tags: [] };
  if (!tags && !head) return names;
  const tagFields = "%(*objectname)%00%(taggername)%00%(taggeremail:trim)%00%(taggerdate:iso-strict)%00%(contents)%00%(*objecttype)%00%(objectname)";
  const fmt = `%(refname)%00%(objecttype)%00%(refname:short)%00%(if:equals=tag)%(objecttype)%(then)${tagFields}%(end)%00%01`;
  const patterns = [...(tags ? ["refs/tags"] : []), ...(head ? [head.fullRef] : [])];
  const out = await gitText(["for-each-ref", `--format=${fmt}`, "--", ...patterns], { cwd, ...(signal ? { signal } : {}) });
  const listed = tags ? new Set(facts.tagRefs) : undefined;
  for (const f of refRecords(out)) {
    const ref = f[0]!;
    if (head && ref === head.fullRef) names.headBranch = { ref: f[2] ?? ref, commit: head.commit };
    else if (listed?.has(ref) && f[1] === "tag") names.tags.push({ name: f[2] ?? "", ref, oid: f[9] ?? "", target: f[3] ?? "", targetType: f[8] ?? "", tagger: f[4] ?? "", email: f[5] ?? "", date: f[6] ?? "", message: f[7] ?? "" });
  }
  return names;
}

/** Commits reachable from a remote-tracking ref (one set of ids; bounded by history size; `signal` stops git). */
export async function pushedCommits(cwd: string, refs: RefFacts, signal?: AbortSignal): Promise<Set<string>> {
  if (!refs.remotes) return new Set();
  const out = await gitText(["rev-list", "--remotes"], { cwd, okCodes: [0, 128], ...(signal ? { signal } : {}) }).catch(() => "");
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
  /** Full ref name. */
  ref: string;
  /** The tag object's own id. */
  oid: string;
  target: string;
  /** The type of what the tag names (`commit`, `blob`, `tree`, `tag`). */
  targetType: string;
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
 * For each note of one notes ref (annotated object → note blob), the notes
 * commit that added it or last set it to that blob: one `git log --raw` over
 * the notes ref, newest first. A fan-out rewrite (git moving every note to
 * `ab/cdef…` paths: the same blob deleted and added under one object in one
 * commit) is not a change; a notes merge counts where its result differs from
 * every parent (`-c`). A note no commit is seen setting (a history cut short)
 * falls to the ref's tip.
 */
export async function noteCommits(cwd: string, ref: string, notes: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (notes.size === 0) return found;
  // --root: the first notes commit's notes too, whatever the user's log.showRoot says.
  const out = await gitText(["log", "--root", "--format=%x01%H", "--raw", "-r", "-c", "--no-renames", "--no-abbrev", ref, "--"], { cwd, okCodes: [0, 128] }).catch(() => "");
  let tip: string | undefined;
  for (const chunk of out.split("\x01")) {
    const nl = chunk.indexOf("\n");
    const commit = (nl < 0 ? chunk : chunk.slice(0, nl)).trim();
    if (!commit) continue;
    tip ??= commit;
    const deleted = new Map<string, string>();
    const set: Array<[string, string]> = [];
    for (const line of chunk.slice(nl + 1).split("\n")) {
      // ":<modes> <src ids> <dst id> <status>\t<path>", one colon (and one src id) per parent
      const tab = line.indexOf("\t");
      if (!line.startsWith(":") || tab < 0) continue;
      const parents = /^:+/.exec(line)![0].length;
      const f = line.slice(parents, tab).split(" ");
      const object = line.slice(tab + 1).replace(/\//g, "");
      if (!notes.has(object) || found.has(object)) continue;
      const dst = f[2 * parents + 1] ?? "";
      if (/^0+$/.test(dst)) deleted.set(object, f[parents + 1] ?? "");
      else if (dst === notes.get(object)) set.push([object, dst]);
    }
    for (const [object, blob] of set) if (deleted.get(object) !== blob) found.set(object, commit);
    if (found.size === notes.size) break;
  }
  if (tip) for (const object of notes.keys()) if (!found.has(object)) found.set(object, tip);
  return found;
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

/** Every blob of a tree, at any depth: its mode, id and path in the tree (`ls-tree -r`; a tree git cannot list throws). */
export async function treeBlobs(cwd: string, treeish: string): Promise<Array<{ mode: string; oid: string; path: string }>> {
  const out: Array<{ mode: string; oid: string; path: string }> = [];
  for (const entry of splitZ(await gitText(["ls-tree", "-r", "-z", "--full-tree", treeish], { cwd }))) {
    // "<mode> SP <type> SP <oid> TAB <path>"
    const tab = entry.indexOf("\t");
    const [mode, kind, oid] = entry.slice(0, tab).split(" ");
    if (kind === "blob" && mode && oid) out.push({ mode, oid, path: entry.slice(tab + 1) });
  }
  return out;
}

/** Parses a raw commit object (from cat-file) into author, email, ISO date and message. */
export function parseCommitObject(raw: string): { author: string; email: string; date: string; message: string } {
  const { head, message } = splitObject(raw);
  return { ...person(head, "author"), message };
}

/**
 * Parses a raw tag object (from cat-file): the object it names and that
 * object's type, tagger, email, ISO date and message (a signature included).
 */
export function parseTagObject(raw: string): { object: string; type: string; tagger: string; email: string; date: string; message: string } {
  const { head, message } = splitObject(raw);
  const p = person(head, "tagger");
  return { object: /^object ([0-9a-f]+)$/m.exec(head)?.[1] ?? "", type: /^type (\S+)$/m.exec(head)?.[1] ?? "", tagger: p.author, email: p.email, date: p.date, message };
}

/** Header and message of a raw commit or tag object. */
function splitObject(raw: string): { head: string; message: string } {
  const blank = raw.indexOf("\n\n");
  return { head: blank < 0 ? raw : raw.slice(0, blank), message: blank < 0 ? "" : raw.slice(blank + 2) };
}

/** The `author` or `tagger` line of an object's header: name, email and ISO date in its own time zone. */
function person(head: string, field: string): { author: string; email: string; date: string } {
  const m = new RegExp(`^${field} (.*) <([^>\\n]*)> (\\d+) ([+-]\\d{4})$`, "m").exec(head);
  if (!m) return { author: "", email: "", date: "" };
  const tz = m[4]!;
  const offMin = (tz[0] === "-" ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)));
  const local = new Date(Number(m[3]) * 1000 + offMin * 60000).toISOString().slice(0, 19);
  const date = `${local}${tz.slice(0, 3)}:${tz.slice(3)}`;
  return { author: m[1]!, email: m[2]!, date };
}

/**
 * True when the repository is a partial clone (git's config names a
 * promisor remote or the partial-clone extension), asked only when the
 * object store may lack objects at all (see mayLackObjects); `signal` stops git.
 */
export async function isPartialClone(cwd: string, commonDir: string, signal?: AbortSignal): Promise<boolean> {
  if (!mayLackObjects(commonDir)) return false;
  const partial = await gitText(["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"], { cwd, okCodes: [0, 1], ...(signal ? { signal } : {}) });
  return partial.trim() !== "";
}

/**
 * In a partial clone, the blobs the walk would need that are not present.
 * Computed up front with `rev-list --missing=print` (which never fetches) so
 * that cat-file is never asked for one: asking would fetch it from the
 * promisor remote, or die offline. Empty (and free) in a full clone.
 * `partial` is {@link isPartialClone}'s answer when the caller asked it already.
 */
export async function missingObjects(cwd: string, revs: readonly string[], commonDir: string, partial?: Promise<boolean>): Promise<Set<string>> {
  if (!(await (partial ?? isPartialClone(cwd, commonDir)))) return new Set();
  const out = await gitText(["rev-list", "--objects", "--missing=print", ...revs, "--"], { cwd, okCodes: [0] });
  const missing = new Set<string>();
  for (const l of out.split("\n")) if (l.startsWith("?")) missing.add(l.slice(1).trim());
  return missing;
}
