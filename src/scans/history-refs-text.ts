/**
 * History scan, stage 6 (ref texts): annotated tag messages, attributed to
 * the tag (tagger, date) with commit = the tagged object, and notes,
 * attributed to the notes commit that added them. Only for a whole-repository walk
 * (no --branch, no --range).
 */
import type { CommitInfo, Finding } from "../engine/types.js";
import { noteCommits, notes, parseCommitObject, parseTagObject, treeBlobs, type ObjectRef } from "../git/history-refs.js";
import { scanBlob, type BlobJob, type BlobOutcome } from "../sources/git-blob.js";
import { keepSuppressed, noteMissing, noteSkip, noteTimedOut, scanText, skipDetail, type HistoryState } from "./history-state.js";
import type { Intro } from "./history-types.js";
import { hideCutShortMessage } from "./commits.js";

/** Stage 6: tag messages, notes, and blobs and trees a ref names directly. */
export async function scanRefTexts(st: HistoryState): Promise<void> {
  if (st.opts.branch !== undefined || st.opts.range !== undefined) return;
  const tagged = await scanTagMessages(st);
  await scanNotes(st);
  await scanRefObjects(st, tagged);
}

/**
 * Blobs and trees a ref names directly (`git tag keys <blob>`, or an
 * annotated tag of one: git/git's `junio-gpg-pub`), which no commit holds and
 * the walk never meets, though `git push --tags` sends them: each blob not
 * met in the walk is scanned as a file named `<ref>` (a blob) or
 * `<ref>:<path>` (a tree's), with commit = the object the ref names and, for
 * an annotated tag, its tagger and date.
 */
async function scanRefObjects(st: HistoryState, tagged: readonly ObjectRef[]): Promise<void> {
  for (const o of [...st.sel.refs.objectRefs, ...tagged]) {
    const commit: CommitInfo = { commit: o.oid, ...(o.tagger ? { author: o.tagger.name, email: o.tagger.email, date: o.tagger.date } : {}), pushed: false };
    const blobs: Array<[string, string]> = o.type === "blob" ? [[o.ref, o.oid]] : (await treeBlobs(st.cwd, o.oid)).map((b) => [`${o.ref}:${b.path}`, b.oid]);
    for (const [path, oid] of blobs) {
      if (st.blobs.seenOids.has(oid)) continue; // met in the walk: reported at its commit
      st.blobs.seenOids.add(oid);
      const intro: Intro = { seq: ++st.seq, commit, path, source: "file" };
      const blob = await st.reader.read(oid, st.maxSize);
      if (blob.kind === "missing") {
        noteMissing(st, oid, intro);
        continue;
      }
      if (blob.kind === "too-large") {
        noteSkip(st, oid, intro, "too-large", skipDetail("too-large", st.maxSize));
        continue;
      }
      const job: BlobJob = { path, data: blob.data, commit, source: "file" };
      const out: BlobOutcome = st.pool && st.watchdogMs !== undefined ? await st.pool.scan(job) : scanBlob(st.scanner.scanFragment, job, st.maxSize);
      if (out.kind === "timeout") noteTimedOut(st, oid, path, { stopped: true });
      if (out.kind !== "scanned") {
        if (out.kind !== "timeout") noteSkip(st, oid, intro, out.kind);
        continue;
      }
      st.result.stats.blobsScanned++;
      if (out.result.timedOut) noteTimedOut(st, oid, path, out.result);
      for (const f of out.result.findings) st.rawFindings.push({ seq: intro.seq, finding: f });
      keepSuppressed(st, out.result.suppressed, intro.seq);
    }
  }
}

/**
 * Every annotated tag's message, and each message down a chain of tags (a tag
 * of a tag: git push sends every tag object of it), each tag object once;
 * returns the tags whose chain ends at a blob or a tree (git's `*objecttype`
 * peels one level only), for {@link scanRefObjects}.
 */
async function scanTagMessages(st: HistoryState): Promise<ObjectRef[]> {
  const scanned = new Set<string>();
  const ends: ObjectRef[] = [];
  for (const t of (await st.sel.names).tags) {
    if (!t.oid || !scanned.has(t.oid)) await scanTagMessage(st, t);
    if (t.oid) scanned.add(t.oid);
    let [object, type] = [t.target, t.targetType];
    for (let depth = 0; type === "tag" && depth < 16; depth++) {
      const raw = await st.reader.read(object);
      if (raw.kind !== "blob" || raw.type !== "tag") break;
      const inner = parseTagObject(raw.data.toString("utf8"));
      if (!scanned.has(object)) await scanTagMessage(st, { target: inner.object, tagger: inner.tagger, email: inner.email, date: inner.date, message: inner.message });
      scanned.add(object);
      [object, type] = [inner.object, inner.type];
    }
    if (type === "blob" || type === "tree") ends.push({ ref: t.ref, oid: object, type, tagger: { name: t.tagger, email: t.email, date: t.date } });
  }
  return ends;
}

/** One tag object's message, attributed to its tagger and date, commit = the object it names. */
async function scanTagMessage(st: HistoryState, t: { target: string; tagger: string; email: string; date: string; message: string }): Promise<void> {
  if (!t.message) return;
  const commit: CommitInfo = { commit: t.target, author: t.tagger, email: t.email, date: t.date, message: t.message.replace(/\n+$/, ""), pushed: st.sel.pushed.has(t.target) };
  const r = await scanText(st, { text: t.message, path: "", source: "tag-message", commit });
  if (r.timedOut) {
    noteTimedOut(st, t.target, "tag message", r);
    hideCutShortMessage(r);
  }
  for (const f of r.findings) st.rawFindings.push({ seq: ++st.seq, finding: f });
  keepSuppressed(st, r.suppressed, st.seq);
}

/**
 * Every note, attributed to the notes commit that added it or last changed
 * it (its author, date, message; pushed when a remote-tracking ref reaches
 * it: notes refs are seldom pushed), named `<notes ref>:<annotated object>`
 * so the same note under two notes refs is two places. The text is judged
 * as a message (no path), then named.
 */
async function scanNotes(st: HistoryState): Promise<void> {
  const all = await notes(st.cwd, st.sel.refs.noteRefs);
  const byRef = new Map<string, Map<string, string>>();
  for (const n of all) {
    const m = byRef.get(n.ref) ?? new Map<string, string>();
    m.set(n.object, n.blob);
    byRef.set(n.ref, m);
  }
  const adders = new Map<string, Map<string, string>>();
  for (const [ref, m] of byRef) adders.set(ref, await noteCommits(st.cwd, ref, m));
  const commits = new Map<string, CommitInfo>();
  for (const n of all) {
    const blob = await st.reader.read(n.blob);
    if (blob.kind !== "blob") {
      st.result.stats.missing++;
      continue;
    }
    const id = adders.get(n.ref)?.get(n.object) ?? "";
    let commit = commits.get(id);
    if (!commit) commits.set(id, (commit = await notesCommit(st, id)));
    const file = `${n.ref}:${n.object}`;
    const job: BlobJob = { path: "", data: blob.data, commit, source: "note" };
    const out: BlobOutcome = st.pool && st.watchdogMs !== undefined ? await st.pool.scan(job) : scanBlob(st.scanner.scanFragment, job, st.maxSize);
    if (out.kind === "timeout") noteTimedOut(st, n.object, "note", { stopped: true });
    if (out.kind !== "scanned") continue;
    if (out.result.timedOut) noteTimedOut(st, n.object, "note", out.result);
    for (const f of out.result.findings) st.rawFindings.push({ seq: ++st.seq, finding: named(f, file) });
    keepSuppressed(st, out.result.suppressed.map((s) => ({ ...s, finding: named(s.finding, file) })), st.seq);
  }
}

/** A note's finding under the note's name. */
function named(f: Finding, file: string): Finding {
  return { ...f, file, location: `${f.commit ?? ""}:${file}:${f.ruleId}:${f.line}` };
}

/** The notes commit (author, date, message); empty when none was found. */
async function notesCommit(st: HistoryState, id: string): Promise<CommitInfo> {
  if (!id) return { commit: "", pushed: false };
  const target = await st.reader.read(id);
  const meta = target.kind !== "blob" || target.type !== "commit" ? undefined : parseCommitObject(target.data.toString("utf8"));
  const commit: CommitInfo = { commit: id, ...(meta ?? {}), pushed: st.sel.pushed.has(id) };
  // The same message as a commit's own findings carry (trailing newlines dropped).
  if (commit.message !== undefined) commit.message = commit.message.replace(/\n+$/, "");
  // The walk never scans a notes commit's message (notes refs are not walked): its secrets must still be redacted.
  if (meta?.message) seenIn(st, await scanText(st, { text: meta.message, path: "", source: "commit-message", commit }));
  return commit;
}

/** Secrets seen in a text that is not reported itself, kept for redaction. */
function seenIn(st: HistoryState, r: { findings: { secret: string }[]; suppressed: { finding: { secret: string } }[] }): void {
  const list = (st.report.alsoRedact ??= []);
  for (const f of r.findings) list.push(f.secret);
  for (const s of r.suppressed) list.push(s.finding.secret);
}
