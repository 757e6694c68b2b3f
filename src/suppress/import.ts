/**
 * Starting a baseline from another scanner's accepted findings
 * (`leakguard baseline create --from FILE`):
 *
 * - a detect-secrets `.secrets.baseline` (`results: {file: [{type,
 *   hashed_secret, line_number, is_secret?}]}`): a finding matches when its
 *   file is listed and the SHA-1 of its secret equals `hashed_secret`. The
 *   SHA-1 is computed in memory while matching and never written anywhere.
 * - a gitleaks JSON report (an array of findings with `File`, `RuleID`,
 *   `Secret`, `StartLine`, `Commit`, `Fingerprint`): a finding matches by file
 *   and secret (rule ids differ between the tools, so the rule is preferred
 *   but not required), or, for a report written with `--redact`, by location.
 *
 * - leakguard's own JSON report (`{ tool: "leakguard", findings }`, what
 *   `-f json` and gitleaks' `detect --report-path` write): a finding matches
 *   by fingerprint and file, as a baseline entry does (the report's secrets
 *   are redacted; the fingerprints are not).
 *
 * Matched findings become ordinary baseline entries (fingerprint, rule, file)
 * with a reason naming where they came from. Pure apart from nothing: the
 * caller reads the file.
 */
import type { Finding } from "../engine/types.js";
import { InputError } from "../errors.js";
import { nodeCrypto } from "../engine/hashing.js";

/** A foreign baseline, ready to match findings against. */
export interface ImportedBaseline {
  kind: "detect-secrets" | "gitleaks" | "leakguard";
  /** Number of entries in the file. */
  size: number;
  /** The reason for a matching finding, or undefined. Marks the entry used. */
  match(f: Finding): string | undefined;
  /** Entries that matched no finding so far. */
  unused(): number;
}

const sha1 = (s: string): string => nodeCrypto().createHash("sha1").update(s).digest("hex");
const norm = (p: string): string => p.replace(/\\/g, "/").replace(/^\.\//, "");

/** True when `doc` is leakguard's JSON report (`-f json`). */
export function isLeakguardReport(doc: unknown): doc is { findings: unknown[] } {
  return typeof doc === "object" && doc !== null && (doc as { tool?: unknown }).tool === "leakguard" && Array.isArray((doc as { findings?: unknown }).findings);
}

/** Parses a detect-secrets baseline, a gitleaks JSON report or leakguard's JSON report. */
export function parseImport(text: string, file: string): ImportedBaseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message}); --from takes a detect-secrets .secrets.baseline, a gitleaks JSON report or a leakguard JSON report`);
  }
  if (Array.isArray(doc)) return gitleaksReport(doc, file);
  if (isLeakguardReport(doc)) return leakguardReport(doc.findings, file);
  if (typeof doc === "object" && doc !== null && typeof (doc as { results?: unknown }).results === "object") {
    return detectSecrets((doc as { results: Record<string, unknown> }).results, file);
  }
  throw new InputError(`${file}: neither a detect-secrets baseline (no "results"), a gitleaks JSON report (not an array) nor a leakguard JSON report (no "findings")`);
}

function leakguardReport(list: unknown[], file: string): ImportedBaseline {
  const byKey = new Map<string, { rule: string; used: boolean }>();
  list.forEach((o, i) => {
    const r = o as Record<string, unknown>;
    if (typeof r?.fingerprint !== "string" || typeof r.file !== "string" || typeof r.ruleId !== "string") {
      throw new InputError(`${file}: findings[${i}] is not a leakguard finding (no fingerprint/file/ruleId)`);
    }
    byKey.set(`${r.fingerprint}\0${norm(r.file)}`, { rule: r.ruleId, used: false });
  });
  return {
    kind: "leakguard",
    size: byKey.size,
    match(f) {
      const e = byKey.get(`${f.fingerprint}\0${f.file}`);
      if (!e) return undefined;
      e.used = true;
      return `imported from a leakguard report (${e.rule})`;
    },
    unused: () => [...byKey.values()].filter((e) => !e.used).length,
  };
}

function detectSecrets(results: Record<string, unknown>, file: string): ImportedBaseline {
  // file -> sha1 -> [used, is_secret]
  const byFile = new Map<string, Map<string, { used: boolean; isSecret?: boolean; type?: string }>>();
  let size = 0;
  for (const [name, list] of Object.entries(results)) {
    if (!Array.isArray(list)) throw new InputError(`${file}: results["${name}"] must be a list`);
    const m = byFile.get(norm(name)) ?? new Map();
    for (const r of list as Array<Record<string, unknown>>) {
      if (typeof r?.hashed_secret !== "string") throw new InputError(`${file}: results["${name}"] has an entry without hashed_secret`);
      const e: { used: boolean; isSecret?: boolean; type?: string } = { used: false };
      if (typeof r.is_secret === "boolean") e.isSecret = r.is_secret;
      if (typeof r.type === "string") e.type = r.type;
      m.set(r.hashed_secret.toLowerCase(), e);
      size++;
    }
    byFile.set(norm(name), m);
  }
  return {
    kind: "detect-secrets",
    size,
    match(f) {
      const m = byFile.get(f.file);
      if (!m) return undefined;
      const e = m.get(sha1(f.secret));
      if (!e) return undefined;
      e.used = true;
      const what = e.type ? ` (${e.type})` : "";
      if (e.isSecret === false) return `imported from detect-secrets${what}: audited, not a secret`;
      if (e.isSecret === true) return `imported from detect-secrets${what}: audited as a real secret, rotate it`;
      return `imported from detect-secrets${what}`;
    },
    unused() {
      let n = 0;
      for (const m of byFile.values()) for (const e of m.values()) if (!e.used) n++;
      return n;
    },
  };
}

function gitleaksReport(list: unknown[], file: string): ImportedBaseline {
  interface G {
    file: string;
    rule: string;
    secret?: string;
    line?: number;
    location?: string;
    used: boolean;
  }
  const all: G[] = list.map((o, i) => {
    const r = o as Record<string, unknown>;
    if (typeof r?.File !== "string" || typeof r.RuleID !== "string") throw new InputError(`${file}: [${i}] is not a gitleaks finding (no File/RuleID)`);
    const g: G = { file: norm(r.File), rule: r.RuleID, used: false };
    // `gitleaks --redact` writes REDACTED (or a prefix and ...): only the location can match then.
    if (typeof r.Secret === "string" && r.Secret && !/REDACTED/.test(r.Secret)) g.secret = r.Secret;
    if (typeof r.StartLine === "number") g.line = r.StartLine;
    if (typeof r.Fingerprint === "string") g.location = r.Fingerprint;
    return g;
  });
  return {
    kind: "gitleaks",
    size: all.length,
    match(f) {
      const hit =
        all.find((g) => g.secret !== undefined && g.file === f.file && g.rule === f.ruleId && g.secret === f.secret) ??
        all.find((g) => g.secret !== undefined && g.file === f.file && g.secret === f.secret) ??
        all.find((g) => g.location !== undefined && g.location === f.location) ??
        all.find((g) => g.secret === undefined && g.file === f.file && g.line === f.line);
      if (!hit) return undefined;
      hit.used = true;
      return `imported from gitleaks (${hit.rule})`;
    },
    unused: () => all.filter((g) => !g.used).length,
  };
}
