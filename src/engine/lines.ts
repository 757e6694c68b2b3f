/**
 * Offset ↔ line/column mapping for one text. Lines end at `\n`, `\r\n` or a lone
 * `\r`; columns are 1-based and count UTF-16 code units of the decoded text.
 * Pure.
 */
export class LineIndex {
  /** starts[i] = offset where line i+1 begins. A typed array: a file of millions of empty lines stays cheap. */
  private readonly starts: Uint32Array;
  constructor(private readonly text: string) {
    // Two passes (count, then fill) beat a growing array. Each in a function of its own:
    // a loop compiled on the fly (on-stack replacement) in the constructor would also
    // compile the code after it, which had never run, and each later long text left that
    // compiled loop again (two deoptimizations per text with a finding, ~20 a scan of git/git).
    const starts = new Uint32Array(countLines(text));
    fillLineStarts(text, starts);
    this.starts = starts;
  }

  /** 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  private lastLine = -1;
  private lastText = "";

  /** The text of 1-based line `line`, without its terminator (the last one asked for is cached). */
  lineText(line: number): string {
    if (line === this.lastLine) return this.lastText;
    this.lastLine = line;
    this.lastText = this.computeLineText(line);
    return this.lastText;
  }

  private computeLineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return "";
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next;
    while (end > start) {
      const c = this.text.charCodeAt(end - 1);
      if (c === 10 || c === 13) end--;
      else break;
    }
    return this.text.slice(start, end);
  }

  /** Offset where 1-based line `line` starts. */
  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

// The bounds check on i + 1 keeps charCodeAt in range, which keeps these loops fast on a text of only CRs.

/** How many lines `text` has (a final break opens an empty last line). */
function countLines(text: string): number {
  const len = text.length;
  let count = 1;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13) {
      if (i + 1 < len && text.charCodeAt(i + 1) === 10) i++;
      count++;
    }
  }
  return count;
}

/** Writes where each line after the first begins into `starts` (sized by {@link countLines}; starts[0] stays 0). */
function fillLineStarts(text: string, starts: Uint32Array): void {
  const len = text.length;
  let n = 1;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts[n++] = i + 1;
    else if (c === 13) {
      if (i + 1 < len && text.charCodeAt(i + 1) === 10) i++;
      starts[n++] = i + 1;
    }
  }
}
