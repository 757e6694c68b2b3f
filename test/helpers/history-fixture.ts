/** Shared helpers for the history tests: dated commits by named authors. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestRepo } from "./git-repo.js";

/** Commits everything staged with a fixed date and author. */
export function commitAs(repo: TestRepo, message: string, date: string, author = "Test Author", email = "author@example.test"): string {
  repo.add();
  repo.gitWith(["commit", "-q", "--allow-empty", "-m", message], {
    env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: email },
  });
  return repo.head();
}

/** A line of config holding `secret`. */
export const line = (name: string, secret: string): string => `const ${name} = "${secret}";\n`;

/** One commit of {@link buildHistory}: what {@link commitAs} would make after writing `files`. */
export interface HistoryCommit {
  /** Path → new content; `null` deletes the path. Paths not named keep their parent's content. */
  files?: Record<string, string | Buffer | null>;
  /** Renames (old path → new path), applied before `files` (what `git mv` does). */
  moves?: Record<string, string>;
  message?: string;
  /** ISO 8601 with `Z` or `±hh:mm`: the author and committer date. */
  date: string;
  /** Author and committer (like {@link commitAs}); default "Test Author <author@example.test>". */
  author?: string;
  email?: string;
  /** A committer other than the author. */
  committer?: { name: string; email: string; date?: string };
  /** Branch the commit goes on (default "main"). */
  branch?: string;
  /**
   * First parent when the branch has no commit in this build yet: the index of
   * an earlier commit, a branch of this build, or any revision of the
   * repository. Without it a new branch starts with a root commit, except a
   * branch the repository already has, which continues from its tip.
   */
  from?: number | string;
  /**
   * Further parents (a merge), made in the same call. The merge's files are a
   * three-way merge of the parents per path (where both sides changed a path,
   * the first parent's content wins), then `files`/`moves` applied.
   */
  merge?: Array<number | string>;
}

/** An annotated tag of {@link buildHistory}. */
export interface HistoryTag {
  name: string;
  /** Index of the tagged commit. */
  at: number;
  message: string;
  /** Tagger date (the tagger is the committer of GIT_TEST_ENV, as `git tag -a` makes it). */
  date: string;
}

/** `date` as git's raw form, `<seconds> <±hhmm>`, keeping the written offset. */
function rawDate(date: string): string {
  const m = /(Z|([+-])(\d\d):?(\d\d))$/.exec(date);
  if (!m) throw new Error(`buildHistory: date ${date} needs Z or an offset`);
  const ms = Date.parse(date);
  if (Number.isNaN(ms)) throw new Error(`buildHistory: ${date} is not a date`);
  const tz = m[1] === "Z" ? "+0000" : `${m[2]}${m[3]}${m[4]}`;
  return `${Math.floor(ms / 1000)} ${tz}`;
}

/** A path as fast-import reads it: C-style quoted, so spaces, quotes and newlines are safe. */
const quote = (path: string): string => `"${path.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** A message as `git commit -m` stores it: trailing blank space cut, one final newline. */
const cleanMessage = (m: string): string => m.replace(/\s+$/, "") + "\n";

type Tree = Map<string, Buffer>;
const same = (a: Buffer | undefined, b: Buffer | undefined): boolean => (a && b ? a.equals(b) : a === b);

/** Whether the repository already has the branch (read from the ref files, no spawn). */
function existingBranch(repo: TestRepo, branch: string): boolean {
  const gitDir = join(repo.dir, ".git");
  try {
    readFileSync(join(gitDir, "refs", "heads", branch));
    return true;
  } catch {
    try {
      return readFileSync(join(gitDir, "packed-refs"), "utf8").includes(` refs/heads/${branch}\n`);
    } catch {
      return false;
    }
  }
}

/**
 * Makes real commits (and annotated tags) in `repo` with ONE `git
 * fast-import` run instead of a write + `git add` + `git commit` per commit,
 * then checks out `checkout` (default: the branch HEAD names, with one `git
 * checkout -f`; `false` leaves index and work tree alone). Same metadata and
 * files give the same commit ids as {@link commitAs}. Returns the commit ids in
 * the order given.
 *
 * Limits: regular files only (mode 100644); a merge, and a move, need the
 * files of the commits they start from made in the same call.
 */
export function buildHistory<const T extends readonly HistoryCommit[]>(repo: TestRepo, commits: T, opts: { tags?: HistoryTag[]; checkout?: string | false } = {}): { -readonly [K in keyof T]: string } {
  const chunks: Buffer[] = [];
  const put = (s: string | Buffer): void => void chunks.push(typeof s === "string" ? Buffer.from(s, "utf8") : s);
  const data = (b: Buffer): void => {
    put(`data ${b.length}\n`);
    put(b);
    put("\n");
  };
  /** The files of each commit (index → tree) and of each branch's tip, as this build knows them. */
  const trees: Tree[] = [];
  const tips = new Map<string, number>();
  const parents: number[][] = [];
  const ref = (r: number | string): { mark: string; tree: Tree | undefined; index: number | undefined } => {
    if (typeof r === "number") {
      if (!(r >= 0 && r < trees.length)) throw new Error(`buildHistory: commit ${r} is not an earlier commit`);
      return { mark: `:${r + 1}`, tree: trees[r], index: r };
    }
    const tip = tips.get(r);
    return tip !== undefined ? { mark: `:${tip + 1}`, tree: trees[tip], index: tip } : { mark: r, tree: undefined, index: undefined };
  };
  const ancestors = (i: number): Set<number> => {
    const seen = new Set<number>();
    const todo = [i];
    while (todo.length) {
      const n = todo.pop()!;
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(...parents[n]!);
      }
    }
    return seen;
  };
  commits.forEach((c, i) => {
    const branch = c.branch ?? "main";
    const who = `${c.author ?? "Test Author"} <${c.email ?? "author@example.test"}> ${rawDate(c.date)}`;
    const committer = c.committer ? `${c.committer.name} <${c.committer.email}> ${rawDate(c.committer.date ?? c.date)}` : who;
    put(`commit refs/heads/${branch}\nmark :${i + 1}\nauthor ${who}\ncommitter ${committer}\n`);
    data(Buffer.from(cleanMessage(c.message ?? "change"), "utf8"));
    let parentTree: Tree;
    const tip = tips.get(branch);
    if (tip !== undefined && c.from === undefined) {
      parentTree = trees[tip]!;
    } else if (c.from !== undefined || existingBranch(repo, branch)) {
      const from = c.from !== undefined ? ref(c.from) : { mark: `refs/heads/${branch}^0`, tree: undefined };
      put(`from ${from.mark}\n`);
      // A commit made outside this build: its files are unknown here, so only the named changes are written.
      parentTree = from.tree ?? new Map();
    } else {
      parentTree = new Map();
    }
    const tree: Tree = new Map(parentTree);
    const parentIndex = tip !== undefined && c.from === undefined ? tip : typeof c.from === "number" ? c.from : typeof c.from === "string" ? tips.get(c.from) : undefined;
    const myParents: number[] = parentIndex !== undefined ? [parentIndex] : [];
    for (const m of c.merge ?? []) {
      const other = ref(m);
      if (!other.tree || other.index === undefined || parentIndex === undefined) throw new Error(`buildHistory: commit ${i} merges ${other.mark}; both sides must be made in this build`);
      put(`merge ${other.mark}\n`);
      myParents.push(other.index);
      // A three-way merge per path against the nearest common ancestor; where both sides changed a path, the first parent wins.
      const mine = ancestors(parentIndex);
      const base = trees[Math.max(-1, ...[...ancestors(other.index)].filter((a) => mine.has(a)))] ?? new Map<string, Buffer>();
      for (const p of new Set([...tree.keys(), ...other.tree.keys()])) {
        const [b, o, t] = [base.get(p), tree.get(p), other.tree.get(p)];
        if (same(o, b) && !same(t, b)) {
          if (t) tree.set(p, t);
          else tree.delete(p);
        }
      }
    }
    for (const [from, to] of Object.entries(c.moves ?? {})) {
      const b = tree.get(from);
      if (!b) throw new Error(`buildHistory: commit ${i} moves ${from}, which it does not have`);
      tree.delete(from);
      tree.set(to, b);
    }
    for (const [p, content] of Object.entries(c.files ?? {})) {
      if (content === null) tree.delete(p);
      else tree.set(p, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    }
    // What changed against the first parent, which fast-import starts from.
    for (const p of new Set([...parentTree.keys(), ...Object.keys(c.files ?? {})])) if (!tree.has(p)) put(`D ${quote(p)}\n`);
    for (const [p, b] of tree) {
      const old = parentTree.get(p);
      if (old && old.equals(b)) continue;
      put(`M 100644 inline ${quote(p)}\n`);
      data(b);
    }
    put("\n");
    trees.push(tree);
    parents.push(myParents);
    tips.set(branch, i);
  });
  for (const t of opts.tags ?? []) {
    put(`tag ${t.name}\nfrom :${t.at + 1}\ntagger Test Author <author@example.test> ${rawDate(t.date)}\n`);
    data(Buffer.from(cleanMessage(t.message), "utf8"));
  }
  const marksDir = mkdtempSync(join(tmpdir(), "lg-marks-"));
  try {
    const marks = join(marksDir, "marks");
    repo.gitWith(["fast-import", "--quiet", "--done", `--export-marks=${marks}`], { input: Buffer.concat([...chunks, Buffer.from("done\n")]) });
    const ids = new Map(
      readFileSync(marks, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split(" ") as [string, string]),
    );
    const out = commits.map((_, i) => ids.get(`:${i + 1}`)!) as { -readonly [K in keyof T]: string };
    if (opts.checkout !== false) {
      const target = opts.checkout ?? /^ref: refs\/heads\/(.+)$/.exec(readFileSync(join(repo.dir, ".git", "HEAD"), "utf8").trim())?.[1];
      if (target) repo.git("checkout", "-q", "-f", target);
    }
    return out;
  } finally {
    rmSync(marksDir, { recursive: true, force: true });
  }
}
