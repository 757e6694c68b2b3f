/**
 * Scanning only what a blob version adds (the history scan's fast path).
 * Pure: no I/O; runs in the scan pool's workers and in the main thread.
 *
 * A blob B whose predecessor A (the blob at the same path in the first
 * parent, scanned at the same place key) left a {@link BlobSummary} is not
 * scanned whole. A's and B's UTF-8 bytes are compared natively from both
 * ends; only the lines between the common head and the common tail are
 * read, and of those, the ones A also had (equal bytes, found through line
 * hashes, each of A's lines once: sources/line-match.ts) are kept, not
 * changes. B's line starts, line hashes and keyword counts follow from A's
 * (sources/line-keywords.ts), so the work grows with the differing part, not
 * with the blob. Lines within {@link NEAR} of a change (a new line, or a
 * break in the order of kept lines) are
 * scanned again, in windows with {@link CONTEXT} more lines on each side;
 * every candidate of A (finding or suppressed) whose lines lie elsewhere is
 * carried to its new line number. The result is B's whole-blob result
 * (findings, suppressed candidates, fingerprints, lines and columns), on
 * these grounds:
 * - a candidate depends only on its own lines and a few around them: its
 *   match starts and ends within NEAR lines of its secret (the built-in
 *   rules' matches span at most a couple of lines, except the multi-line
 *   blocks below);
 * - which rules run depends on keywords anywhere in the text: B's keyword
 *   counts cover the whole blob; when the keywords present differ from A's,
 *   B is scanned whole, else the windows run exactly the rules the whole
 *   blob's keywords select (EngineOptions.seen);
 * - multi-line blocks (PEM and PGP keys, PuTTY keys, Ansible vaults, PKCS#12
 *   bundles) can span hundreds of lines: a blob holding one of their
 *   {@link BLOCK_MARKERS} is scanned whole, as are rule sets with custom
 *   rules (their reach is unknown) and texts that are not UTF-8 (UTF-16);
 * - decoded views (base64, …) stay within a line and keep their own keyword
 *   gate; credential files parsed whole (.netrc, .pgpass, …: rules with a
 *   parser for the path) are scanned whole;
 * - a window starts at a line start, after an ASCII break that no UTF-8
 *   sequence spans, so its bytes decode to exactly the whole text's
 *   characters there.
 * test/git/history-delta.test.ts compares both paths on planted secrets and
 * on random edits.
 */
import { scanFragment as scanWithRules, type EngineOptions, type EngineResult } from "../engine/scan.js";
import { keywordsSelect, readyRule, type CompiledRuleSet } from "../engine/compile.js";
import type { Finding, SuppressedFinding } from "../engine/types.js";
import type { Scanner } from "../core/scanner.js";
import { decodeBytes, utf8Body, utf8Text } from "./text.js";
import type { KeywordMatcher } from "../engine/ahocorasick.js";
import { automatonFor, breaksIn, countKeywords, countsByLine, scanLines } from "./line-keywords.js";
import { hashLines, matchLines } from "./line-match.js";
import { scratchI32, scratchU8 } from "./scratch.js";

/** Working-array slots (scratch.ts): line-match.ts uses 0 and 1 of each kind. */
const SLOT_SEED = 1;
const SLOT_NEAR = 2;
const SLOT_SEEN = 3;
const SLOT_MAP = 2;
const SLOT_A_TO_B = 3;
const SLOT_COUNTS = 4;
import type { BlobJob, BlobOutcome } from "./git-blob.js";
import { commonHead, commonTail, view } from "./common-ends.js";
import { append } from "../util/append.js";

/** Lines around a change whose candidates are found again rather than carried. */
export const NEAR = 6;
/** Extra lines of context on each side of a re-scanned window. */
export const CONTEXT = 6;
/** Texts that start a multi-line secret block: a blob holding one is scanned whole. */
export const BLOCK_MARKERS = ["-----BEGIN", "ANSIBLE_VAULT", "PuTTY-User-Key-File", "IBAzCC", "MIACAQMwgA"];

/** What a later version of a blob needs from this one (UTF-8 texts only; offsets are byte offsets). */
export interface BlobSummary {
  /** The text's UTF-8 bytes (after a BOM): kept outside the JavaScript heap, unlike a string. */
  bytes: Uint8Array;
  /** Line starts, the text's end last (see line-keywords.ts). */
  starts: Uint32Array;
  /**
   * Occurrences of each keyword, then of each of {@link BLOCK_MARKERS}, by id:
   * only the ones that occur, as [id, count] pairs by ascending id (a dense
   * array per version cost an allocation outside the heap each).
   */
  counts: number[];
  /** A hash of each line's bytes (line-match.ts). */
  hashes: Uint32Array;
  /** Which rules the blob's keywords switch on ('1' per active rule, in rule order). */
  active: string;
  /** Every candidate of the whole-blob result, lines of this blob. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

/** A blob job that may use a predecessor's summary and asks for its own. */
export interface DeltaJob extends BlobJob {
  delta: true;
  prev?: BlobSummary;
  /** This blob's (blob, place) key, where its summary is stored (summary-store.ts). */
  key?: string;
  /** The predecessor's key, where its summary may be found. */
  prevKey?: string;
}

/** A blob outcome with the summary for the blob's successors (when scanned as text). */
export type DeltaOutcome = BlobOutcome & { summary?: BlobSummary; mode?: "whole" | "delta" };

/** What scanning needs: the rules, the engine options, and the whole-blob scan itself. */
export interface DeltaContext {
  rs: CompiledRuleSet;
  engine: EngineOptions;
  /** The scanner's own whole-text scan (the reference). */
  scanWhole: (f: { text: string; path: string; commit: BlobJob["commit"]; source: BlobJob["source"] }) => EngineResult;
}

/** The context of `scanner`: its rules and the very engine options its own scans run with. */
export function deltaContextOf(scanner: Scanner): DeltaContext {
  return { rs: scanner.ruleSet, engine: scanner.engineOptions, scanWhole: (f) => scanner.scanFragment(f) };
}

/**
 * True when a rule parses this blob whole (a credential file: its path, or
 * for a parser without a path, its keywords, switch the rule on): such
 * blobs are scanned whole.
 */
function parsedWhole(rs: CompiledRuleSet, path: string, active: string): boolean {
  return rs.rules.some((r, i) => {
    if (r.parser === undefined) return false;
    const pathRegex = readyRule(r).pathRegex;
    return pathRegex ? pathRegex.test(path) : active[i] === "1";
  });
}

/** True when `job` is a {@link DeltaJob}. */
export const isDeltaJob = (job: object): job is DeltaJob => (job as DeltaJob).delta === true;

/** The rules the keywords `seen` switch on, as a key ('1' per active rule). */
export function activeKey(rs: CompiledRuleSet, seen: Uint8Array): string {
  let key = "";
  for (const r of rs.rules) key += keywordsSelect(r, seen) ? "1" : "0";
  return key;
}

/** Lines (0-based) within `radius` of a change: an added line, or either side of lost lines. */
function nearChanges(map: Int32Array, aLines: number, radius: number): Uint8Array {
  const n = map.length;
  const seed = scratchU8(SLOT_SEED, n);
  for (let j = 0; j < n; j++) {
    const i = map[j]!;
    if (i < 0) seed[j] = 1;
    else if (j === 0 ? i !== 0 : map[j - 1]! >= 0 && map[j - 1]! + 1 !== i) {
      seed[j] = 1;
      if (j > 0) seed[j - 1] = 1;
    }
  }
  if (n > 0 && map[n - 1]! >= 0 && map[n - 1]! !== aLines - 1) seed[n - 1] = 1;
  // Widen each seed by `radius` on both sides (a running count over a sliding window).
  const out = scratchU8(SLOT_NEAR, n);
  let inWin = 0;
  for (let j = 0; j < n + radius; j++) {
    if (j < n && seed[j]) inWin++;
    if (j - 2 * radius - 1 >= 0 && seed[j - 2 * radius - 1]) inWin--;
    const c = j - radius;
    if (c >= 0 && c < n && inWin > 0) out[c] = 1;
  }
  return out;
}

/** Maximal runs of set lines, as 0-based inclusive ranges. */
function runs(flags: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let j = 0; j < flags.length; j++) {
    if (!flags[j]) continue;
    const last = out[out.length - 1];
    if (last && last[1] === j - 1) last[1] = j;
    else out.push([j, j]);
  }
  return out;
}

/** A candidate moved by `by` lines. */
function shift<T extends Finding>(f: T, by: number): T {
  return by === 0 ? f : { ...f, line: f.line + by, endLine: f.endLine + by };
}

/** The new line of each of A's candidates that survives untouched into B (far from every change), else undefined. */
function carryLine(f: Finding, aToB: Int32Array, near: Uint8Array): number | undefined {
  const j0 = aToB[f.line - 1];
  if (j0 === undefined || j0 < 0) return undefined;
  for (let l = f.line; l <= f.endLine; l++) {
    const j = aToB[l - 1];
    if (j === undefined || j !== j0 + (l - f.line) || near[j]) return undefined;
  }
  return j0 + 1;
}

/** B's lines, keyword counts and line hashes, and for each of B's lines the line of A it is kept from (-1: new). */
interface Layout {
  starts: Uint32Array;
  counts: number[];
  hashes: Uint32Array;
  map: Int32Array;
}

/** The whole-blob result, with the summary its successors use (for a UTF-8 text: `body` and its `layout`). */
function whole(ctx: DeltaContext, job: BlobJob, text: string, bytes: number, body?: Uint8Array, layout?: { starts: Uint32Array; counts: number[]; hashes: Uint32Array }, active?: string): DeltaOutcome {
  const result = ctx.scanWhole({ text, path: job.path, commit: job.commit, source: job.source });
  // A result the time budget cut short is no reference for a successor.
  if (result.timedOut || !body || !layout || active === undefined) return { kind: "scanned", bytes, result, mode: "whole" };
  return { kind: "scanned", bytes, result, mode: "whole", summary: { bytes: body, starts: layout.starts, counts: layout.counts, hashes: layout.hashes, active, findings: result.findings, suppressed: result.suppressed } };
}

/** The last index k in [lo, hi] with starts[k] <= x (starts ascending, starts[lo] <= x). */
function lastAtMost(starts: Uint32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * B's line starts and keyword counts from A's, reading only where the texts
 * differ: the common head and tail are found by native comparison and cut
 * back to line starts that are line starts in both texts (a byte before the
 * cut and the one after it are common, so a break there is the same break).
 * Undefined should the texts not line up so (never expected): B is then read whole.
 */
function layoutFrom(m: KeywordMatcher, prev: BlobSummary, body: Uint8Array): Layout | undefined {
  const a = view(prev.bytes);
  const b = view(body);
  const startsA = prev.starts;
  const linesA = startsA.length - 1;
  const la = a.length;
  const lb = b.length;
  const head = commonHead(a, b);
  const tail = commonTail(a, b, Math.min(la, lb) - head);
  // Lines before `first` lie in the common head, and line `first` starts in it.
  const first = head === 0 ? 0 : lastAtMost(startsA, 0, linesA - 1, head - 1);
  // A's first line starting inside the common tail (past its first byte), else the end.
  let endA = linesA;
  if (tail > 0) {
    const k = lastAtMost(startsA, 0, linesA, la - tail) + 1;
    if (k < linesA) endA = k;
  }
  const c0 = startsA[first]!;
  const cA1 = startsA[endA]!;
  const shiftBy = lb - la;
  const cB1 = cA1 + shiftBy;
  const mid = breaksIn(b, c0, cB1);
  // The break ending the differing part opens the common tail's first line: that start comes from A.
  if (endA < linesA && mid.pop() !== cB1) return undefined;
  const endB = first + 1 + mid.length;
  const linesB = endB + (linesA - endA);
  // Starts and hashes share one allocation.
  const both = new Uint32Array(2 * linesB + 1);
  const starts = both.subarray(0, linesB + 1);
  starts.set(startsA.subarray(0, first + 1));
  for (let i = 0; i < mid.length; i++) starts[first + 1 + i] = mid[i]!;
  for (let k = endA; k <= linesA; k++) starts[endB + k - endA] = startsA[k]! + shiftBy;
  // Line hashes: the common head's and tail's from A, the differing part's worked out.
  const hashes = both.subarray(linesB + 1);
  hashes.set(prev.hashes.subarray(0, first));
  hashLines(body, starts, first, endB, hashes, first);
  hashes.set(prev.hashes.subarray(endA), endB);
  // Which lines of the differing part A had too (equal bytes, each of A's lines once).
  const map = scratchI32(SLOT_MAP, linesB);
  for (let j = 0; j < first; j++) map[j] = j;
  for (let j = endB; j < linesB; j++) map[j] = j - endB + endA;
  const kept = matchLines({ text: prev.bytes, starts: startsA, hashes: prev.hashes }, first, endA, { text: body, starts, hashes }, first, endB, map, first - 1);
  // Keyword counts: A's, less the lines that went, plus the lines that came.
  const counts = denseCounts(prev.counts, m.keywords.length);
  forRuns(endA - first, (k) => kept[k] === 0, (x, y) => countKeywords(m, prev.bytes, startsA[first + x]!, startsA[first + y]!, counts, -1));
  forRuns(endB - first, (k) => map[first + k]! < 0, (x, y) => countKeywords(m, body, starts[first + x]!, starts[first + y]!, counts, 1));
  return { starts, counts: sparseCounts(counts), hashes, map };
}

/** Keyword counts as pairs (see {@link BlobSummary.counts}) spread out by id, in working memory. */
function denseCounts(pairs: number[], n: number): Int32Array {
  const out = scratchI32(SLOT_COUNTS, n);
  for (let k = 0; k < pairs.length; k += 2) out[pairs[k]!] = pairs[k + 1]!;
  return out;
}

/** The ids that occur in `dense`, with their counts, as pairs. */
function sparseCounts(dense: Int32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < dense.length; i++) if (dense[i]! > 0) out.push(i, dense[i]!);
  return out;
}

/** Calls `each(x, y)` for every maximal run [x, y) of k in [0, n) where `on(k)` holds. */
function forRuns(n: number, on: (k: number) => boolean, each: (x: number, y: number) => void): void {
  for (let k = 0; k < n; ) {
    if (!on(k)) {
      k++;
      continue;
    }
    const x = k;
    while (k < n && on(k)) k++;
    each(x, k);
  }
}

/** The rules the keyword `counts` (pairs) switch on: `prev`'s key when the same keywords occur. */
function activeOf(rs: CompiledRuleSet, counts: number[], prev?: BlobSummary): string {
  if (prev && sameIds(counts, prev.counts)) return prev.active;
  return activeKey(rs, seenOf(rs, counts));
}

/** True when two count lists name the same ids (the same keywords and markers occur). */
function sameIds(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k += 2) if (a[k] !== b[k]) return false;
  return true;
}

/** 1 for each rule keyword that occurs (markers left out), in working memory. */
function seenOf(rs: CompiledRuleSet, counts: number[]): Uint8Array {
  const kws = rs.keywords.keywords.length;
  const seen = scratchU8(SLOT_SEEN, kws);
  for (let k = 0; k < counts.length; k += 2) if (counts[k]! < kws) seen[counts[k]!] = 1;
  return seen;
}

/** Decodes and scans one blob, whole or only where it differs from its predecessor. */
export function scanBlobDelta(ctx: DeltaContext, job: DeltaJob, maxSize = Infinity): DeltaOutcome {
  if (job.data.length > maxSize) return { kind: "too-large" };
  const bytes = job.data.length;
  const body = utf8Body(job.data);
  if (!body) {
    // Binary, an LFS pointer, or UTF-16: decided and scanned whole as ever, with no summary.
    const d = decodeBytes(job.data);
    if (d.kind !== "text") return { kind: d.kind };
    return whole(ctx, job, d.text, bytes);
  }
  const m = automatonFor(ctx.rs, BLOCK_MARKERS);
  const prev = job.prev && countsByLine(m) ? job.prev : undefined;
  const layout = prev ? layoutFrom(m, prev, body) : undefined;
  if (!prev || !layout) {
    const table = scanLines(m, body);
    const hashes = new Uint32Array(table.starts.length - 1);
    hashLines(body, table.starts, 0, hashes.length, hashes, 0);
    const counts = sparseCounts(table.counts);
    return whole(ctx, job, utf8Text(body), bytes, body, { starts: table.starts, counts, hashes }, activeOf(ctx.rs, counts));
  }
  const active = activeOf(ctx.rs, layout.counts, prev);
  const keywords = ctx.rs.keywords.keywords.length;
  let blocks = false;
  for (let k = 0; k < layout.counts.length; k += 2) if (layout.counts[k]! >= keywords) blocks = true;
  if (prev.active !== active || parsedWhole(ctx.rs, job.path, active) || blocks) return whole(ctx, job, utf8Text(body), bytes, body, layout, active);
  const map = layout.map;
  const near = nearChanges(map, prev.starts.length - 1, NEAR);
  const result = scanNear(ctx, job, body, layout.starts, near, layout.counts);
  if (!result) return whole(ctx, job, utf8Text(body), bytes, body, layout, active);
  carry(prev, map, near, result);
  result.findings.sort((x, y) => x.line - y.line || x.column - y.column || x.ruleId.localeCompare(y.ruleId));
  if (result.timedOut) return { kind: "scanned", bytes, result, mode: "delta" };
  return { kind: "scanned", bytes, result, mode: "delta", summary: { bytes: body, starts: layout.starts, counts: layout.counts, hashes: layout.hashes, active, findings: result.findings, suppressed: result.suppressed } };
}

/**
 * Scans the windows around the changes, keeping candidates whose secret
 * touches a changed neighbourhood. A window's bytes start at a line start
 * (after an ASCII break, which no UTF-8 sequence spans), so they decode to
 * exactly the whole text's characters there; but a window opening with a
 * BOM, which a decoder may drop at the start, is no such slice: undefined,
 * and the blob is scanned whole.
 */
function scanNear(ctx: DeltaContext, job: BlobJob, body: Uint8Array, starts: Uint32Array, near: Uint8Array, counts: number[]): EngineResult | undefined {
  const out: EngineResult = { findings: [], suppressed: [] };
  const nearRuns = runs(near);
  if (nearRuns.length === 0) return out;
  // The whole blob's keywords: each window runs exactly the rules the whole blob runs.
  const seen = seenOf(ctx.rs, counts);
  const engine: EngineOptions = { ...ctx.engine, seen };
  const lines = near.length;
  const windows: Array<[number, number]> = [];
  for (const [a, b] of nearRuns) {
    const w: [number, number] = [Math.max(0, a - CONTEXT), Math.min(lines - 1, b + CONTEXT)];
    const last = windows[windows.length - 1];
    if (last && last[1] >= w[0] - 1) last[1] = w[1];
    else windows.push(w);
  }
  const lineRanges = nearRuns.map(([a, b]) => [a + 1, b + 1] as const);
  for (const [a, b] of windows) {
    const from = starts[a]!;
    if (body[from] === 0xef && body[from + 1] === 0xbb && body[from + 2] === 0xbf) return undefined;
    const frag = { text: utf8Text(body.subarray(from, starts[b + 1])), path: job.path, commit: job.commit, source: job.source, lineOffset: a, lineRanges };
    const r = scanWithRules(ctx.rs, frag, engine);
    append(out.findings, r.findings);
    append(out.suppressed, r.suppressed);
    if (r.timedOut) out.timedOut = true;
  }
  return out;
}

/** Adds A's candidates that lie far from every change, at their lines in B. */
function carry(prev: BlobSummary, map: Int32Array, near: Uint8Array, into: EngineResult): void {
  if (prev.findings.length === 0 && prev.suppressed.length === 0) return;
  const aToB = scratchI32(SLOT_A_TO_B, prev.starts.length - 1, -1);
  map.forEach((i, j) => {
    if (i >= 0) aToB[i] = j;
  });
  for (const f of prev.findings) {
    const line = carryLine(f, aToB, near);
    if (line !== undefined) into.findings.push(shift(f, line - f.line));
  }
  for (const s of prev.suppressed) {
    const line = carryLine(s.finding, aToB, near);
    if (line !== undefined) into.suppressed.push({ ...s, finding: shift(s.finding, line - s.finding.line) });
  }
}
