/**
 * `.gitignore` files for the tree walk (I/O edge for reading them): one layer
 * per folder that has one, applied to paths relative to that folder with the
 * `ignore` package, nested layers after the ones above them.
 *
 * Most of a large `.gitignore` (git's own: 221 of 263 lines) is anchored
 * literal paths such as `/git-add`, `/build/` or `/gitweb/gitweb.cgi`, each
 * naming one path, and the package builds a regex for every pattern and
 * tries every one on every path: a tree of 5,000 files paid for a million
 * regex tests. A layer keeps its literals in a map by the path they name,
 * hands the other patterns to the package, and asks the whole file only
 * when a literal names the path and a negation comes after it
 * ({@link IgnoreLayer.ignores} says why the answers are the same). In a
 * file without negations, patterns that name a last segment (`*.o`,
 * `Debug/`: 30 of the 32 other patterns in git's) are compared with the path's last segment
 * as strings; the package gets the rest.
 */
import { closeSync, constants as fsc, fstatSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";

/**
 * A positive anchored literal pattern: a leading `/`, then one or more
 * `/`-separated names of plain characters (none of them `.` or `..`), maybe a
 * trailing `/` (folders only). It names exactly one path relative to its
 * folder (and, as a folder, what lies below it, which the walk never enters).
 */
const ANCHORED_LITERAL = /^\/(?:[A-Za-z0-9_.+-]*[A-Za-z0-9_+-][A-Za-z0-9_.+-]*\/)*[A-Za-z0-9_.+-]*[A-Za-z0-9_+-][A-Za-z0-9_.+-]*\/?$/;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A pattern that names a last path segment only: a plain name (`Debug/`,
 * `.vs/`, `core`) or `*` and a plain suffix (`*.o`, `*.tar.gz`, `*+`), maybe
 * with a trailing `/` (folders only); no slash elsewhere, no other glob
 * character, not only dots. The package matches it against the last segment,
 * at any depth.
 */
const SEGMENT_PATTERN = /^(\*?)([A-Za-z0-9_.+-]*[A-Za-z0-9_+-][A-Za-z0-9_.+-]*)(\/?)$/;

/**
 * The segment patterns of a file without negations, matched by string
 * comparison: a plain name by a map of the lower-cased names, a `*suffix` by
 * the segment's end. Asked for ASCII segments only (see IgnoreLayer.ignores).
 */
class SegmentPatterns {
  /** Plain names (lower case): true when a pattern names files too, false for folders only. */
  private readonly names = new Map<string, boolean>();
  /** `*suffix` patterns (lower case suffixes) that name files too, and those for folders only. */
  private readonly suffixes: string[] = [];
  private readonly dirSuffixes: string[] = [];

  /** Takes `line` when it is a segment pattern; false when it is not. */
  add(line: string): boolean {
    const m = SEGMENT_PATTERN.exec(line);
    if (m === null) return false;
    const [, star, body, slash] = m as unknown as [string, string, string, string];
    const key = body.toLowerCase();
    const dirOnly = slash === "/";
    if (star === "") this.names.set(key, this.names.get(key) === true || !dirOnly);
    else (dirOnly ? this.dirSuffixes : this.suffixes).push(key);
    return true;
  }

  /** True when a pattern names `segment` (lower case; a folder when `isDir`). */
  matches(segment: string, isDir: boolean): boolean {
    const named = this.names.get(segment);
    if (named === true || (named === false && isDir)) return true;
    for (const s of this.suffixes) if (segment.endsWith(s)) return true;
    if (isDir) for (const s of this.dirSuffixes) if (segment.endsWith(s)) return true;
    return false;
  }
}

/** A literal pattern's line in its file, and whether it names a folder only. */
interface LiteralLine {
  line: number;
  dirOnly: boolean;
}

/** One folder's `.gitignore`. */
export class IgnoreLayer {
  /** The literal patterns by the path they name (lower case, no slashes around it), in line order. */
  private readonly literals = new Map<string, LiteralLine[]>();
  /** The line of the last negation (`!`), past the last line when re-inclusions follow; -1 for none. */
  private lastNegation = -1;
  /** Every pattern but the literals; undefined when the file is only read whole. */
  private readonly restText: string | undefined;
  private restIgnore: Ignore | undefined;
  /** Without negations: the segment patterns among {@link rest}, and the package with the others. */
  private readonly segments: SegmentPatterns | undefined;
  private readonly others: Ignore | undefined;
  private all: Ignore | undefined;

  /**
   * A layer of `text` (a `.gitignore`'s content) for the folder `dir`
   * (relative to the scan's root, "/"-separated, "" for the root), with
   * `extra` patterns after it. A text holding a CR or a BOM is only read
   * whole: the package splits lines at CRLF and drops a BOM at the start
   * only, which taking its lines apart could change.
   */
  constructor(
    readonly dir: string,
    readonly text: string,
    readonly extra?: string,
  ) {
    if (text.includes("\r") || text.includes("\uFEFF")) return;
    const lines = text.split("\n");
    const rest: string[] = [];
    lines.forEach((line, i) => {
      if (line.startsWith("!")) this.lastNegation = i;
      if (!ANCHORED_LITERAL.test(line)) return void rest.push(line);
      const dirOnly = line.endsWith("/");
      const key = line.slice(1, dirOnly ? -1 : undefined).toLowerCase();
      const at = this.literals.get(key);
      if (at) at.push({ line: i, dirOnly });
      else this.literals.set(key, [{ line: i, dirOnly }]);
    });
    if (extra !== undefined) this.lastNegation = lines.length;
    this.restText = rest.join("\n");
    if (this.lastNegation >= 0) return;
    const segments = new SegmentPatterns();
    const others = rest.filter((line) => !segments.add(line));
    this.segments = segments;
    this.others = ignore().add(others.join("\n"));
  }

  /** The whole file's patterns (with `extra` after them), as the `ignore` package reads them; built when first needed. */
  get whole(): Ignore {
    if (this.all === undefined) {
      this.all = ignore().add(this.text);
      if (this.extra !== undefined) this.all.add(this.extra);
    }
    return this.all;
  }

  /**
   * The package with every pattern but the literals; built when first asked,
   * which in a file without negations is only for a non-ASCII path.
   */
  private get rest(): Ignore {
    if (this.restIgnore === undefined) {
      this.restIgnore = ignore().add(this.restText!);
      if (this.extra !== undefined) this.restIgnore.add(this.extra);
    }
    return this.restIgnore;
  }

  /**
   * Whether the file ignores `sub` (relative to its folder; a folder when
   * `isDir`), asked as the tree walk asks: only about paths whose folders
   * below this one the file does not ignore. The answer is the whole file's:
   * - a path no literal names gets the same answer from the other patterns:
   *   no literal matches the path itself, and for each of its folders, which
   *   the whole file does not ignore, leaving out patterns that ignore (no
   *   literal is a negation) leaves the last matching pattern, a negation or
   *   none, the same;
   * - a path a literal names is ignored when no negation comes after that
   *   literal (the last matching pattern ignores it); else the whole file
   *   is asked.
   * - in a file without negations, a path is ignored when any pattern
   *   matches it (none matches its folders): the segment patterns are
   *   compared with its last segment, the package asked about the others.
   * The package matches case-insensitively: a literal or a segment pattern
   * names the paths equal to it in any case, and only ASCII ones (such
   * matching never pairs a non-ASCII character with an ASCII one); a
   * non-ASCII path asks the package.
   */
  ignores(sub: string, isDir: boolean): boolean {
    const path = isDir ? sub + "/" : sub;
    if (this.restText === undefined) return this.whole.ignores(path);
    const ascii = !NON_ASCII.test(sub);
    const lower = ascii ? sub.toLowerCase() : sub;
    const named = ascii ? this.literals.get(lower) : undefined;
    let last = -1;
    if (named !== undefined) for (const l of named) if (!l.dirOnly || isDir) last = l.line;
    if (last >= 0) return this.lastNegation < last || this.whole.ignores(path);
    if (this.segments === undefined || !ascii) return this.rest.ignores(path);
    return this.segments.matches(lower.slice(lower.lastIndexOf("/") + 1), isDir) || this.others!.ignores(path);
  }
}

/**
 * A folder's `.gitignore`, read synchronously (a promise-based open per folder
 * cost more than the read). Non-blocking open: a FIFO there is no ignore file
 * (and cannot hang the walk); a symlink is followed, as git does.
 */
export function readIgnore(absDir: string, relDir: string): IgnoreLayer | undefined {
  let fd: number;
  try {
    fd = openSync(join(absDir, ".gitignore"), fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    return new IgnoreLayer(relDir, readFileSync(fd, "utf8"));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A path as a literal gitignore pattern (glob characters and a leading `!`/`#` escaped). */
const literalPattern = (p: string): string => p.replace(/[\\*?[\]!#\s]/g, (c) => `\\${c}`);

/**
 * An ignore layer above an explicitly named folder, re-including that folder
 * and the folders between: as in ripgrep, a path the user names is scanned
 * even when `.gitignore` excludes it (`leakguard scan node_modules`); the
 * rules still apply to what lies below it.
 */
export function reincluding(l: IgnoreLayer, targetRel: string): IgnoreLayer {
  const sub = l.dir === "" ? targetRel : targetRel.slice(l.dir.length + 1);
  if (!sub || !l.whole.ignores(sub + "/")) return l;
  const parts = sub.split("/");
  const negations = parts.map((_, i) => `!/${literalPattern(parts.slice(0, i + 1).join("/"))}/`);
  return new IgnoreLayer(l.dir, l.text, negations.join("\n"));
}

/** True when a layer ignores `rel` (relative to the scan's root; a folder when `isDir`). */
export function ignored(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const l of layers) {
    const sub = l.dir === "" ? rel : rel.slice(l.dir.length + 1);
    if (sub && l.ignores(sub, isDir)) return true;
  }
  return false;
}
