/**
 * Which lines of a new text are added relative to an old text: the "+" lines
 * of a diff, as 1-based inclusive ranges of the new text. Line breaks are
 * `\n`, `\r\n` or a lone `\r`, exactly as engine/lines.ts counts them, so the
 * ranges can go straight into Fragment.lineRanges. Pure.
 *
 * The diff is Myers' O((N+M)·D) shortest edit script after trimming the common
 * head and tail (git's default algorithm too). When the texts differ in more
 * than {@link MAX_EDITS} places, a linear fallback marks every new line whose
 * content is not left over from the old text: never fewer added lines than a
 * real diff, and bounded time on rewritten or generated files.
 *
 * @example
 *   addedLineRanges("a\nb\n", "a\nx\nb\ny\n") // → [[2, 2], [4, 4]]
 */

/** Edit distance beyond which the linear fallback is used. */
export const MAX_EDITS = 2000;

/** Splits text into lines the way LineIndex does (a final break opens an empty last line). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Maps each distinct line to a small integer so comparisons are cheap. */
function intern(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const map = (xs: readonly string[]): Int32Array => {
    const out = new Int32Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      let id = ids.get(xs[i]!);
      if (id === undefined) ids.set(xs[i]!, (id = ids.size));
      out[i] = id;
    }
    return out;
  };
  return [map(a), map(b)];
}

/**
 * Myers' greedy algorithm with a saved frontier per step, then a walk back:
 * which line of `a` each line of `b` is matched to (-1: inserted), or
 * undefined past `maxD` edits.
 */
function myersAlign(a: ArrayLike<number>, b: ArrayLike<number>, maxD: number): Int32Array | undefined {
  const n = a.length;
  const m = b.length;
  const map = new Int32Array(m).fill(-1);
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d, off + d + 1)); // frontier of step d-1, k in [-d, d]
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break outer;
      }
    }
  }
  if (found < 0) return undefined;
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const t = trace[d]!; // values after step d-1, index k + d
    const k = x - y;
    const down = k === -d || (k !== d && t[k - 1 + d]! < t[k + 1 + d]!);
    const pk = down ? k + 1 : k - 1;
    const px = t[pk + d]!;
    const py = px - pk;
    // Snake back to the point right after the edit: those lines are matched.
    while (x > px && y > py) map[--y] = --x;
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) map[--y] = --x;
  return map;
}

/** Fallback: a new line is added unless an unused equal line remains in the old text. */
function multiset(a: Int32Array, b: Int32Array, added: Uint8Array): void {
  const left = new Map<number, number>();
  for (const id of a) left.set(id, (left.get(id) ?? 0) + 1);
  for (let j = 0; j < b.length; j++) {
    const c = left.get(b[j]!) ?? 0;
    if (c > 0) left.set(b[j]!, c - 1);
    else added[j] = 1;
  }
}

/**
 * Length of the longest common prefix of `a` and `b` (`fromEnd`: suffix, no
 * longer than `max`). Compared in doubling chunks, then by halving ones
 * (native comparisons: the hook runs this cold, where a loop over each
 * character is slow); a chunk is a short-lived substring of `b`.
 */
function commonLength(a: string, b: string, max: number, fromEnd: boolean): number {
  const same = (at: number, len: number): boolean =>
    fromEnd ? a.endsWith(b.substring(b.length - at - len, b.length - at), a.length - at) : a.startsWith(b.substring(at, at + len), at);
  let n = 0;
  let step = 64;
  while (n + step <= max && same(n, step)) {
    n += step;
    step *= 2;
  }
  for (step >>= 1; step > 0; step >>= 1) if (n + step <= max && same(n, step)) n += step;
  return n;
}

/** Line breaks in `text`, as {@link splitLines} breaks it (a `\r\n` is one). */
function breaksIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  // A lone \r ends a line too.
  for (let i = text.indexOf("\r"); i >= 0; i = text.indexOf("\r", i + 1)) if (text.charCodeAt(i + 1) !== 0x0a) n++;
  return n;
}

/**
 * 1-based numbers of the added lines of `newText`, ascending.
 *
 * Lines both texts share at their start and end are not split (most of a
 * file, in a commit that edits a few places): the texts' common prefix and
 * suffix are found as text, cut back to whole lines (at a `\n`, which ends a
 * line in either text), and only the lines between are compared as below,
 * numbered after the prefix's. That gives the same lines as comparing every
 * line, unless one side's middle lines all equal the other's first ones,
 * when the comparison of the shared start could run on into the suffix:
 * then every line is compared.
 */
export function addedLines(oldText: string, newText: string): number[] {
  const same = commonLength(oldText, newText, Math.min(oldText.length, newText.length), false);
  const cut = same > 0 ? oldText.lastIndexOf("\n", same - 1) + 1 : 0;
  const end = commonLength(oldText, newText, Math.min(oldText.length, newText.length) - cut, true);
  // The suffix's lines start after its first \n; none: no suffix.
  const nl = end > 0 ? oldText.indexOf("\n", oldText.length - end) : -1;
  if (cut === 0 && nl < 0) return addedLinesEveryLine(oldText, newText);
  const oldEnd = nl < 0 ? oldText.length : nl + 1;
  const newEnd = newText.length - (oldText.length - oldEnd);
  const oldLines = splitLines(oldText.slice(cut, oldEnd));
  const newLines = splitLines(newText.slice(cut, newEnd));
  if (nl >= 0) {
    // Each middle ends with the \n before the suffix: no line of its own after it.
    oldLines.pop();
    newLines.pop();
  }
  return addedInLines(oldLines, newLines, breaksIn(oldText.slice(0, cut)), nl >= 0) ?? addedLinesEveryLine(oldText, newText);
}

/** {@link addedLines} with every line of both texts compared (what it must equal; tests check). */
export function addedLinesEveryLine(oldText: string, newText: string): number[] {
  return addedInLines(splitLines(oldText), splitLines(newText), 0, false);
}

/**
 * The added lines of `newLines` (numbered from `offset` + 1) relative to
 * `oldLines`. With `suffix` (equal lines follow both, not passed), undefined
 * when the common start runs through one side's lines, and would go on into
 * the suffix.
 */
function addedInLines(oldLines: string[], newLines: string[], offset: number, suffix: false): number[];
function addedInLines(oldLines: string[], newLines: string[], offset: number, suffix: boolean): number[] | undefined;
function addedInLines(oldLines: string[], newLines: string[], offset: number, suffix: boolean): number[] | undefined {
  // A missing final line break is not an edit of the last line's content.
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  if (suffix && (head === oldLines.length || head === newLines.length)) return undefined;
  let tail = 0;
  while (
    tail < oldLines.length - head &&
    tail < newLines.length - head &&
    oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]
  )
    tail++;
  const [a, b] = intern(oldLines.slice(head, oldLines.length - tail), newLines.slice(head, newLines.length - tail));
  const added = new Uint8Array(b.length);
  if (a.length === 0) added.fill(1);
  else if (b.length > 0) {
    const map = myersAlign(a, b, MAX_EDITS);
    if (map) for (let j = 0; j < map.length; j++) added[j] = map[j]! < 0 ? 1 : 0;
    else multiset(a, b, added);
  }
  const out: number[] = [];
  for (let j = 0; j < added.length; j++) if (added[j]) out.push(offset + head + j + 1);
  // An empty last "line" after a final break holds nothing to scan (with a suffix, the last line is in it).
  if (!suffix && out.length > 0 && out[out.length - 1] === offset + newLines.length && newLines[newLines.length - 1] === "") out.pop();
  return out;
}

/** Collapses ascending line numbers into inclusive [start, end] ranges. */
export function toRanges(lines: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const l of lines) {
    const last = out[out.length - 1];
    if (last && l === last[1] + 1) last[1] = l;
    else out.push([l, l]);
  }
  return out;
}

/** Added line ranges of `newText` relative to `oldText` (see module comment). */
export function addedLineRanges(oldText: string, newText: string): Array<[number, number]> {
  return toRanges(addedLines(oldText, newText));
}
