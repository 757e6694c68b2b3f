/**
 * The baseline file, `.leakguard-baseline.json`: the findings a team has
 * accepted (or will fix later), so that only new ones are reported.
 *
 * Layout, chosen so two branches' baselines merge without conflicts:
 *
 *   {
 *     "version": 1,
 *     "tool": "leakguard",
 *     "saltId": "9a0c…",
 *     "saltKind": "key",
 *     "keyId": "5be1c0de",
 *     "entries": [
 *       {"fingerprint":"3f9c…","ruleId":"aws-access-key-id","file":"deploy/app.env","reason":"rotated","reviewedBy":"kim"},
 *       {"fingerprint":"77d1…","ruleId":"github-pat","file":"test/fixtures/token.txt"}
 *     ]
 *   }
 *
 * One entry per line, sorted by file, rule and fingerprint; no timestamps and
 * no line numbers, so an entry changes only when its secret does. No raw
 * secret: the fingerprint is a salted hash. A finding is in the baseline when
 * an entry has its fingerprint and file: lines may move, a copy of the same
 * secret into another file is new. The reader also accepts a file whose
 * commas a line-based (union) merge got wrong.
 */
import { readConfigFile } from "../util/read-config-file.js";
import { saltIdOf, type FingerprintSalt, type SaltKind } from "../config/fingerprint-salt.js";
import type { Finding } from "../engine/types.js";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/** Default file name, at the repository root. */
export const BASELINE_NAME = ".leakguard-baseline.json";

/** One accepted finding. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  reason?: string;
  reviewedBy?: string;
}

/** A baseline file's content. */
export interface Baseline {
  version: 1;
  /**
   * HMAC of a constant under the fingerprint salt: tells whether the baseline's
   * fingerprints were made with the salt in use now, without revealing it.
   */
  saltId?: string;
  /** Which kind of salt made it: `key` (LEAKGUARD_FINGERPRINT_KEY), `repository`, `config`, … (never the salt itself). */
  saltKind?: SaltKind;
  /** With `saltKind: "key"`: the key id, so a scan with another key or none can say so. */
  keyId?: string;
  entries: BaselineEntry[];
}

export { saltIdOf };

const SALT_KINDS: readonly string[] = ["salt", "key", "config", "repository", "default"];

/** The key a finding and an entry share. */
export const baselineKey = (e: { fingerprint: string; file: string }): string => `${e.fingerprint}\0${e.file}`;

/** Sort order: file, rule, fingerprint. */
function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const k = (e: BaselineEntry): string[] => [e.file, e.ruleId, e.fingerprint];
  const x = k(a);
  const y = k(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** Serialises a baseline: sorted, deduplicated, one entry per line, fixed key order. */
export function formatBaseline(b: Baseline): string {
  const seen = new Set<string>();
  const entries = [...b.entries].sort(compareEntries).filter((e) => {
    const k = baselineKey(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const lines = entries.map((e) => {
    const o: Record<string, string> = { fingerprint: e.fingerprint, ruleId: e.ruleId, file: e.file };
    if (e.reason) o.reason = e.reason;
    if (e.reviewedBy) o.reviewedBy = e.reviewedBy;
    return "    " + JSON.stringify(o);
  });
  const head = [`  "version": 1,`, `  "tool": "leakguard",`];
  if (b.saltId) head.push(`  "saltId": ${JSON.stringify(b.saltId)},`);
  if (b.saltKind) head.push(`  "saltKind": ${JSON.stringify(b.saltKind)},`);
  if (b.keyId) head.push(`  "keyId": ${JSON.stringify(b.keyId)},`);
  const body = lines.length ? `  "entries": [\n${lines.join(",\n")}\n  ]` : `  "entries": []`;
  return `{\n${head.join("\n")}\n${body}\n}\n`;
}

function entryOf(o: unknown, where: string): BaselineEntry {
  if (typeof o !== "object" || o === null) throw new InputError(`${where}: a baseline entry must be an object`);
  const r = o as Record<string, unknown>;
  for (const k of ["fingerprint", "ruleId", "file"]) {
    if (typeof r[k] !== "string") throw new InputError(`${where}: baseline entry without a "${k}" string`);
  }
  const e: BaselineEntry = { fingerprint: r.fingerprint as string, ruleId: r.ruleId as string, file: r.file as string };
  if (typeof r.reason === "string" && r.reason) e.reason = r.reason;
  if (typeof r.reviewedBy === "string" && r.reviewedBy) e.reviewedBy = r.reviewedBy;
  return e;
}

/** Entries without repeats (a union merge keeps both spellings of a line that only differ by a comma). */
function uniqueEntries(entries: BaselineEntry[]): BaselineEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const k = baselineKey(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Parses a baseline text; `file` names it in errors. */
export function parseBaseline(text: string, file: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // A union merge can leave a missing or doubled comma: read entry lines one by one.
    const entries: BaselineEntry[] = [];
    let ok = /"tool"\s*:\s*"leakguard"/.test(text);
    const lines = text.split(/\r?\n/);
    lines.forEach((l, i) => {
      const t = l.trim().replace(/^,+/, "").replace(/,+$/, "").trim();
      if (!t.startsWith("{\"")) return;
      try {
        entries.push(entryOf(JSON.parse(t), `${file}:${i + 1}`));
      } catch {
        ok = false;
      }
    });
    if (!ok) throw new InputError(`${file}: not a leakguard baseline (${(e as Error).message})`);
    const saltId = /"saltId"\s*:\s*"([0-9a-f]+)"/.exec(text)?.[1];
    const saltKind = /"saltKind"\s*:\s*"([a-z]+)"/.exec(text)?.[1];
    const keyId = /"keyId"\s*:\s*"([0-9a-f]+)"/.exec(text)?.[1];
    return {
      version: 1,
      ...(saltId ? { saltId } : {}),
      ...(saltKind && SALT_KINDS.includes(saltKind) ? { saltKind: saltKind as SaltKind } : {}),
      ...(keyId ? { keyId } : {}),
      entries: uniqueEntries(entries),
    };
  }
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { entries?: unknown }).entries)) {
    throw new InputError(`${file}: not a leakguard baseline (no "entries" list)`);
  }
  const d = doc as { version?: unknown; saltId?: unknown; saltKind?: unknown; keyId?: unknown; entries: unknown[] };
  if (d.version !== undefined && d.version !== 1) throw new InputError(`${file}: baseline version ${String(d.version)} is not supported (this leakguard reads version 1)`);
  const out: Baseline = { version: 1, entries: uniqueEntries(d.entries.map((o, i) => entryOf(o, `${file}: entries[${i}]`))) };
  if (typeof d.saltId === "string") out.saltId = d.saltId;
  if (typeof d.saltKind === "string" && SALT_KINDS.includes(d.saltKind)) out.saltKind = d.saltKind as SaltKind;
  if (typeof d.keyId === "string" && /^[0-9a-f]{1,64}$/.test(d.keyId)) out.keyId = d.keyId;
  return out;
}

/** Largest baseline read: generous, since an imported gitleaks report holds whole lines. */
export const BASELINE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Reads a baseline file; undefined when it does not exist and `mustExist` is
 * false. `within` (the repository, for the default baseline found there)
 * bounds where a symlink may point; any baseline must be a regular file under
 * {@link BASELINE_MAX_BYTES} (util/read-config-file.ts).
 */
export function readBaseline(path: string, label = path, mustExist = true, within?: string): Baseline | undefined {
  const text = readConfigFile(path, { kind: "baseline", label, maxBytes: BASELINE_MAX_BYTES, ...(within !== undefined ? { within } : {}) });
  if (text === undefined) {
    if (!mustExist) return undefined;
    throw new InputError(`${label}: cannot read baseline (no such file)`);
  }
  return parseBaseline(text, label);
}

/** Writes a baseline atomically: a failed run never leaves half a file. */
export function writeBaseline(path: string, b: Baseline): void {
  writeFileAtomic(path, formatBaseline(b));
}

/** A baseline entry for a finding. */
export function entryFor(f: Finding, extra: { reason?: string; reviewedBy?: string } = {}): BaselineEntry {
  const e: BaselineEntry = { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file };
  if (extra.reason) e.reason = extra.reason;
  if (extra.reviewedBy) e.reviewedBy = extra.reviewedBy;
  return e;
}

/** What {@link updateBaseline} did. */
export interface BaselineUpdate {
  baseline: Baseline;
  added: BaselineEntry[];
  kept: BaselineEntry[];
  dropped: BaselineEntry[];
}

/**
 * Today's findings as a baseline: entries of `old` that still occur keep their
 * reason and reviewer; those that no longer occur are dropped; new findings are
 * added (with `extra`). Pure.
 */
export function updateBaseline(
  old: Baseline | undefined,
  findings: readonly Finding[],
  salt: string | FingerprintSalt,
  extra: { reason?: string; reviewedBy?: string } = {},
): BaselineUpdate {
  const oldByKey = new Map((old?.entries ?? []).map((e) => [baselineKey(e), e]));
  const now = new Map<string, BaselineEntry>();
  const added: BaselineEntry[] = [];
  const kept: BaselineEntry[] = [];
  for (const f of findings) {
    const k = baselineKey(f);
    if (now.has(k)) continue;
    const prev = oldByKey.get(k);
    if (prev) {
      now.set(k, prev);
      kept.push(prev);
    } else {
      const e = entryFor(f, extra);
      now.set(k, e);
      added.push(e);
    }
  }
  const dropped = (old?.entries ?? []).filter((e) => !now.has(baselineKey(e)));
  // A salt id alone (callers of 0.1) records no kind; a salt record says which kind made the file, never the salt.
  const head: Omit<Baseline, "entries"> =
    typeof salt === "string"
      ? { version: 1, saltId: salt }
      : { version: 1, saltId: salt.saltId, saltKind: salt.kind, ...(salt.keyId !== undefined ? { keyId: salt.keyId } : {}) };
  return { baseline: { ...head, entries: [...now.values()] }, added, kept, dropped };
}
