/**
 * `.leakguardignore` and `.gitleaksignore`: one entry per line.
 *
 *   # comments start with '#'
 *   3f9c0a…e1                          rotated 2024-05, see INC-1234
 *   3f9c0a…e1 path=test/fixtures/**    only under this glob
 *   3f9c0a…e1 rotated 2026-11-30 by alice@example.com  INC-1234
 *   src/app.env:aws-access-key-id:12   a location (gitleaks' format)
 *   4a80290…:src/app.env:aws-access-key-id:12
 *
 * A fingerprint matches that secret under that rule wherever it stands: it
 * survives moves, renames, rebases and squashes, and never hides another
 * value. Any prefix of 12 or more hex digits is accepted, so the short form
 * the text report and the hooks print can be pasted as it is (a prefix that
 * matches two different fingerprints in one scan hides neither; see
 * suppress/index.ts). A location `file:ruleId:line`
 * matches that place (in any commit for git scans); `commit:file:ruleId:line`
 * one place in one commit. Text after the entry is its reason. Parsing is
 * pure; {@link readIgnoreFile} is the only I/O.
 *
 * A fingerprint followed by `rotated YYYY-MM-DD [by WHO]` is a rotation
 * record, not an ignore entry: the secret was revoked and replaced on that
 * day. It hides nothing (scans keep reporting the secret, tagged `rotated`);
 * the inventory marks the secret rotated, stops counting its exposure at that
 * date and lowers its risk. To stop scans from reporting it as well, list the
 * fingerprint again on a line of its own (an ordinary entry) or baseline it.
 */
import { SHORT_FINGERPRINT_LENGTH } from "../engine/fingerprint.js";
import { globMatcher } from "../engine/glob.js";
import type { Finding } from "../engine/types.js";
import { InputError } from "../errors.js";
import { readConfigFile } from "../util/read-config-file.js";

/** One line of an ignore file. */
export interface IgnoreEntry {
  kind: "fingerprint" | "location";
  /** The fingerprint or location as written. */
  value: string;
  /** Optional path glob the entry is limited to (`path=GLOB`). */
  path?: string;
  reason?: string;
  /** A rotation record (`rotated DATE [by WHO]`): marks the secret rotated, hides nothing. */
  rotated?: { date: string; by?: string };
  /** Where it was written: file and 1-based line. */
  file: string;
  line: number;
}

/** Full length of our fingerprints in hex digits. */
const FULL_FINGERPRINT_LENGTH = 32;
/** Our fingerprints or a prefix of 12+ digits (gitleaks' "fingerprints" are locations). */
const FINGERPRINT = new RegExp(`^[0-9a-f]{${SHORT_FINGERPRINT_LENGTH},${FULL_FINGERPRINT_LENGTH}}$`, "i");
/** The tail of a location: `:ruleId:line`, then whitespace or the end of the line. */
const LOCATION_TAIL = /:[A-Za-z0-9][A-Za-z0-9._-]*:\d+(?=\s|$)/g;

/** The location at the start of `line` (the path may hold spaces): up to the first `:ruleId:line` tail. */
function leadingLocation(line: string): string | undefined {
  LOCATION_TAIL.lastIndex = 0;
  const m = LOCATION_TAIL.exec(line);
  if (!m || m.index === 0) return undefined;
  return line.slice(0, m.index + m[0].length);
}
/** A commit prefix of a location: 40 (sha1) or 64 (sha256) hex digits. */
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?:/i;

/** True for a real calendar day `YYYY-MM-DD`. */
function validDay(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** Parses the text of an ignore file; `file` names it in entries and errors. */
export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  const out: IgnoreEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let value: string;
    let kind: IgnoreEntry["kind"];
    let rest: string;
    const first = line.split(/\s+/, 1)[0]!;
    if (FINGERPRINT.test(first)) {
      kind = "fingerprint";
      value = first.toLowerCase();
      rest = line.slice(first.length);
    } else {
      const loc = leadingLocation(line);
      if (!loc) {
        throw new InputError(`${file}:${i + 1}: not a fingerprint (${SHORT_FINGERPRINT_LENGTH} to ${FULL_FINGERPRINT_LENGTH} hex digits) or a location (file:ruleId:line): ${first.slice(0, 80)}`);
      }
      kind = "location";
      value = loc;
      rest = line.slice(loc.length);
    }
    const entry: IgnoreEntry = { kind, value, file, line: i + 1 };
    rest = rest.trim();
    const scope = /^path=(\S+)/.exec(rest);
    if (scope) {
      entry.path = scope[1]!;
      rest = rest.slice(scope[0].length).trim();
    }
    if (kind === "fingerprint") {
      const rot = /^rotated\s+(\d{4}-\d{2}-\d{2})(?=\s|$)(?:\s+by\s+(\S+))?/i.exec(rest);
      if (rot) {
        const date = rot[1]!;
        if (!validDay(date)) throw new InputError(`${file}:${i + 1}: rotated ${date} is not a date (YYYY-MM-DD)`);
        entry.rotated = { date, ...(rot[2] ? { by: rot[2] } : {}) };
        rest = rest.slice(rot[0].length).trim();
      }
    }
    const reason = rest.replace(/^(#|--|—|-)\s*/, "").trim();
    if (reason) entry.reason = reason;
    out.push(entry);
  });
  return out;
}

/**
 * Reads an ignore file; undefined when it does not exist. `within` (the
 * scanned tree, for an ignore file found there) bounds where a symlink may
 * point; any file must be a regular file under 4 MiB (util/read-config-file.ts).
 */
export function readIgnoreFile(path: string, label = path, within?: string): IgnoreEntry[] | undefined {
  const text = readConfigFile(path, { kind: "ignore file", label, ...(within !== undefined ? { within } : {}) });
  return text === undefined ? undefined : parseIgnoreFile(text, label);
}

/** Compiled entries: a finding in, the entry that hides it (if any) out. */
export interface IgnoreMatcher {
  match(f: Finding): IgnoreEntry | undefined;
}

/** True when `e` is a fingerprint written shorter than in full. */
export const isFingerprintPrefix = (e: IgnoreEntry): boolean => e.kind === "fingerprint" && e.value.length < FULL_FINGERPRINT_LENGTH;

/** Builds a matcher over `entries`. Full fingerprints are looked up; prefixes compared (exact entries win). */
export function ignoreMatcher(entries: readonly IgnoreEntry[]): IgnoreMatcher {
  type Scoped = { e: IgnoreEntry; inScope: (p: string) => boolean };
  const byFp = new Map<string, Scoped[]>();
  const prefixes: Scoped[] = [];
  const byLoc = new Map<string, IgnoreEntry>();
  for (const e of entries) {
    if (e.kind === "fingerprint") {
      const scoped = { e, inScope: e.path ? globMatcher([e.path]) : () => true };
      if (isFingerprintPrefix(e)) {
        prefixes.push(scoped);
        continue;
      }
      const list = byFp.get(e.value) ?? [];
      list.push(scoped);
      byFp.set(e.value, list);
    } else if (!byLoc.has(e.value)) byLoc.set(e.value, e);
  }
  return {
    match(f) {
      for (const c of byFp.get(f.fingerprint) ?? []) if (c.inScope(f.file)) return c.e;
      for (const c of prefixes) if (f.fingerprint.startsWith(c.e.value) && c.inScope(f.file)) return c.e;
      const exact = byLoc.get(f.location);
      if (exact) return exact;
      // A location without a commit matches that place in every commit.
      if (f.commit && COMMIT.test(f.location)) return byLoc.get(f.location.slice(f.location.indexOf(":") + 1));
      return undefined;
    },
  };
}
