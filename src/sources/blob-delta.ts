/**
 * Scanning only what a blob version adds (the history scan's fast path).
 * Pure: no I/O; runs in the scan pool's workers and in the main thread.
 *
 * A blob B whose predecessor A (the blob at the same path in the first
 * parent, scanned at the same place key) left a {@link BlobSummary} is not
 * scanned whole. Its lines are aligned with A's by content (a Myers diff
 * over line hashes); the lines B adds, and both sides of every place where A
 * lost lines, are the changes. Lines within {@link NEAR} of a change are
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
 *   set is taken over the whole blob; when it differs from A's, B is scanned
 *   whole, else the windows run exactly the rules B's keywords select;
 * - multi-line blocks (PEM and PGP keys, PuTTY keys, Ansible vaults, PKCS#12
 *   bundles) can span hundreds of lines: a blob holding one of their
 *   {@link BLOCK_MARKERS} is scanned whole, as are blobs rewritten beyond
 *   {@link MAX_EDITS} edits and rule sets with custom rules (their reach is
 *   unknown);
 * - decoded views (base64, …) stay within a line and keep their own keyword
 *   gate (the windows' decoders see the original rules); credential files
 *   parsed whole (.netrc, .pgpass, …: rules with a parser for the path) are
 *   scanned whole.
 * test/git/history-delta.test.ts compares both paths on planted secrets.
 */
import { scanFragment as scanWithRules, type Decoder, type EngineOptions, type EngineResult } from "../engine/scan.js";
import type { CompiledRuleSet } from "../engine/compile.js";
import type { Finding, SuppressedFinding } from "../engine/types.js";
import type { Scanner } from "../core/scanner.js";
import { myersAlign } from "../git/linediff.js";
import { decodeBytes } from "./text.js";
import { scanLines } from "./line-keywords.js";
import type { BlobJob, BlobOutcome } from "./git-blob.js";

/** Lines around a change whose candidates are found again rather than carried. */
export const NEAR = 6;
/** Extra lines of context on each side of a re-scanned window. */
export const CONTEXT = 6;
/** A diff with more edits than this scans the blob whole. */
export const MAX_EDITS = 1000;
/** Texts that start a multi-line secret block: a blob holding one is scanned whole. */
export const BLOCK_MARKERS = ["-----BEGIN", "ANSIBLE_VAULT", "PuTTY-User-Key-File", "IBAzCC", "MIACAQMwgA"];

/** What a later version of a blob needs from this one. */
export interface BlobSummary {
  /** One hash per line (see line-keywords.ts). */
  hashes: Float64Array;
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
}

/** A blob outcome with the summary for the blob's successors (when scanned as text). */
export type DeltaOutcome = BlobOutcome & { summary?: BlobSummary; mode?: "whole" | "delta" };

/** What scanning needs: the rules, the engine options, and the whole-blob scan itself. */
export interface DeltaContext {
  rs: CompiledRuleSet;
  engine: EngineOptions;
  /** The scanner's own whole-text scan (the reference). */
  scanWhole: (f: { text: string; path: string; commit: BlobJob["commit"]; source: BlobJob["source"] }) => EngineResult;
  /** Rule sets with every active rule ungated, by active key. */
  derived?: Map<string, CompiledRuleSet>;
  /** The engine options of the windows: decoders gated by their own view, with the original rules. */
  windowEngine?: EngineOptions;
}

/** The context of `scanner`: its rules and exactly the engine options createScanner gives it. */
export function deltaContextOf(scanner: Scanner): DeltaContext {
  return {
    rs: scanner.ruleSet,
    engine: {
      salt: scanner.salt,
      decoders: scanner.decoders,
      ...(scanner.timeBudgetMs !== undefined ? { timeBudgetMs: scanner.timeBudgetMs } : {}),
      ...(scanner.config.minConfidence !== undefined ? { minConfidence: scanner.config.minConfidence } : {}),
    },
    scanWhole: (f) => scanner.scanFragment(f),
  };
}

/** Engine options for the windows: the same, but every decoder gets the original rule set. */
function windowEngine(ctx: DeltaContext): EngineOptions {
  if (ctx.windowEngine) return ctx.windowEngine;
  const decoders = (ctx.engine.decoders ?? []).map((d): Decoder => (_rs, text, path, emit) => d(ctx.rs, text, path, emit));
  return (ctx.windowEngine = { ...ctx.engine, decoders });
}

/**
 * True when a rule parses this blob whole (a credential file: its path, or
 * for a parser without a path, its keywords, switch the rule on): such
 * blobs are scanned whole.
 */
function parsedWhole(rs: CompiledRuleSet, path: string, active: string): boolean {
  return rs.rules.some((r, i) => r.def.parser !== undefined && (r.pathRegex ? r.pathRegex.test(path) : active[i] === "1"));
}

/** True when `job` is a {@link DeltaJob}. */
export const isDeltaJob = (job: object): job is DeltaJob => (job as DeltaJob).delta === true;

/** The rules the keywords `seen` switch on, as a key ('1' per active rule). */
export function activeKey(rs: CompiledRuleSet, seen: Uint8Array): string {
  let key = "";
  for (const r of rs.rules) key += r.keywordIds.length === 0 || r.keywordIds.some((id) => seen[id] === 1) ? "1" : "0";
  return key;
}

/** `rs` with every rule of `active` ungated, so a window runs exactly the rules the whole blob selects. */
function rulesFor(ctx: DeltaContext, active: string): CompiledRuleSet {
  const cache = (ctx.derived ??= new Map());
  let rs = cache.get(active);
  if (rs) return rs;
  rs = { ...ctx.rs, rules: ctx.rs.rules.map((r, i) => (active[i] === "1" && r.keywordIds.length > 0 ? { ...r, keywordIds: [] } : r)) };
  if (cache.size >= 64) cache.clear();
  cache.set(active, rs);
  return rs;
}

/**
 * For each line of `b`, the line of `a` it is kept from, or -1 when added;
 * undefined past {@link MAX_EDITS} edits. Myers' algorithm after trimming the common head and tail.
 */
export function alignLines(a: Float64Array, b: Float64Array): Int32Array | undefined {
  const map = new Int32Array(b.length).fill(-1);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) map[head] = head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    map[b.length - 1 - tail] = a.length - 1 - tail;
    tail++;
  }
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 || m === 0) return map;
  const inner = myersAlign(a.subarray(head, head + n), b.subarray(head, head + m), MAX_EDITS);
  if (!inner) return undefined;
  for (let j = 0; j < m; j++) if (inner[j]! >= 0) map[head + j] = inner[j]! + head;
  return map;
}

/** Lines (0-based) within `radius` of a change: an added line, or either side of lost lines. */
function nearChanges(map: Int32Array, aLines: number, radius: number): Uint8Array {
  const n = map.length;
  const seed = new Uint8Array(n);
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
  const out = new Uint8Array(n);
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

/** The whole-blob result, with the summary its successors use. */
function whole(ctx: DeltaContext, job: BlobJob, text: string, table: { hashes: Float64Array }, active: string, bytes: number): DeltaOutcome {
  const result = ctx.scanWhole({ text, path: job.path, commit: job.commit, source: job.source });
  // A result the time budget cut short is no reference for a successor.
  if (result.timedOut) return { kind: "scanned", bytes, result, mode: "whole" };
  return { kind: "scanned", bytes, result, mode: "whole", summary: { hashes: table.hashes, active, findings: result.findings, suppressed: result.suppressed } };
}

/** Decodes and scans one blob, whole or only where it differs from its predecessor. */
export function scanBlobDelta(ctx: DeltaContext, job: DeltaJob, maxSize = Infinity): DeltaOutcome {
  if (job.data.length > maxSize) return { kind: "too-large" };
  const d = decodeBytes(job.data);
  if (d.kind === "binary") return { kind: "binary" };
  if (d.kind === "lfs-pointer") return { kind: "lfs-pointer" };
  const text = d.text;
  const bytes = job.data.length;
  const table = scanLines(ctx.rs, text, BLOCK_MARKERS);
  const keywords = ctx.rs.keywords.keywords.length;
  const blocks = BLOCK_MARKERS.some((_, i) => table.seen[keywords + i] === 1);
  const active = activeKey(ctx.rs, table.seen);
  const prev = job.prev;
  if (!prev || prev.active !== active || parsedWhole(ctx.rs, job.path, active) || blocks) {
    return whole(ctx, job, text, table, active, bytes);
  }
  const map = alignLines(prev.hashes, table.hashes);
  if (!map) return whole(ctx, job, text, table, active, bytes);
  const near = nearChanges(map, prev.hashes.length, NEAR);
  const result = scanNear(ctx, job, text, table.starts, near, active);
  carry(prev, map, near, result);
  result.findings.sort((x, y) => x.line - y.line || x.column - y.column || x.ruleId.localeCompare(y.ruleId));
  if (result.timedOut) return { kind: "scanned", bytes, result, mode: "delta" };
  return { kind: "scanned", bytes, result, mode: "delta", summary: { hashes: table.hashes, active, findings: result.findings, suppressed: result.suppressed } };
}

/** Scans the windows around the changes, keeping candidates whose secret touches a changed neighbourhood. */
function scanNear(ctx: DeltaContext, job: BlobJob, text: string, starts: Uint32Array, near: Uint8Array, active: string): EngineResult {
  const out: EngineResult = { findings: [], suppressed: [] };
  const nearRuns = runs(near);
  if (nearRuns.length === 0) return out;
  const rs = rulesFor(ctx, active);
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
    const frag = { text: text.slice(starts[a], starts[b + 1]), path: job.path, commit: job.commit, source: job.source, lineOffset: a, lineRanges };
    const r = scanWithRules(rs, frag, windowEngine(ctx));
    out.findings.push(...r.findings);
    out.suppressed.push(...r.suppressed);
    if (r.timedOut) out.timedOut = true;
  }
  return out;
}

/** Adds A's candidates that lie far from every change, at their lines in B. */
function carry(prev: BlobSummary, map: Int32Array, near: Uint8Array, into: EngineResult): void {
  if (prev.findings.length === 0 && prev.suppressed.length === 0) return;
  const aToB = new Int32Array(prev.hashes.length).fill(-1);
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
