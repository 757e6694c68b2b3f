/**
 * The history scan's blob cache (`--cache DIR`): which blobs were already
 * scanned with this exact rule set and salt, each at which kind of place. An
 * entry is a blob id followed by its place tag (a hash of engine/place.ts's
 * key: which path rules, path allowlists and test-file tagging apply), since
 * the same content is clean under an allowlisted path and a leak elsewhere.
 * Clean entries are skipped on the next run; entries that held findings are
 * listed too and scanned again (a few, cheap); skipped blobs (binary, too
 * large) keep their reason so the next run names them again. The cache file
 * never stores a secret, only object ids, tags and reasons.
 *
 * Format: `DIR/history-<key>.json`, `{version, key, oidLength, clean, hits,
 * skipped}` where `oidLength` is the length of one entry, `clean` every clean
 * entry concatenated (compact: no separators), `hits` the entries with
 * findings and `skipped` entry → reason. Written atomically.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ResolvedConfig } from "../config/load.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { InputError } from "../errors.js";
import { VERSION } from "../version.js";
import type { AllowlistDef } from "../engine/types.js";

// 2: entries carry a place tag (version 1 judged a blob by its first path only).
const FORMAT_VERSION = 2;
/** Hex characters of a place tag. */
const TAG_LENGTH = 12;

/** The cache tag of a place key (engine/place.ts): fixed length, so entries stay fixed length. */
export function placeTag(placeKey: string): string {
  return createHash("sha256").update(placeKey).digest("hex").slice(0, TAG_LENGTH);
}

/** Key of a cache: what could change a blob's findings. */
export function cacheKey(config: ResolvedConfig, salt: string | undefined): string {
  const h = createHash("sha256");
  // Where a rule or allowlist was written does not change what it finds: a moved config keeps the cache.
  const als = (l: readonly AllowlistDef[] | undefined): object[] | undefined => l?.map((a) => ({ ...a, origin: undefined }));
  const rules = config.rules.map((r) => ({ ...r, origin: undefined, allowlists: als(r.allowlists) }));
  h.update(JSON.stringify({ v: FORMAT_VERSION, tool: VERSION, rules, allowlists: als(config.allowlists), salt: salt ?? "", max: config.scan.maxFileSize ?? null, min: config.minConfidence ?? null, ...(config.ignoreInlineAllow === true ? { noInline: true } : {}) }));
  return h.digest("hex").slice(0, 32);
}

/** Entries (blob id + place tag) known clean, known to hold findings, or skipped with a reason. */
export class BlobCache {
  readonly clean = new Set<string>();
  readonly hits = new Set<string>();
  readonly skipped = new Map<string, string>();
  private readonly file: string;
  private readonly loaded: number;

  constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    // Refused before any work: a file in the folder's place could never be written (the run used to end in an internal error).
    if (dir === "") throw new InputError("--cache needs a folder (it was empty)");
    let kind: "folder" | "other" | "none";
    try {
      const st = statSync(dir, { throwIfNoEntry: false });
      kind = st === undefined ? "none" : st.isDirectory() ? "folder" : "other";
    } catch {
      kind = "other"; // ENOTDIR (a path under a file), EACCES…: it cannot be the cache folder either
    }
    if (kind === "other") throw new InputError(`--cache ${dir}: not a folder`);
    this.file = join(dir, `history-${key}.json`);
    try {
      const j = JSON.parse(readFileSync(this.file, "utf8")) as { version: number; key: string; oidLength: number; clean: string; hits: string[]; skipped?: Record<string, string> };
      if (j.version === FORMAT_VERSION && j.key === key && j.oidLength > 0) {
        for (let i = 0; i + j.oidLength <= j.clean.length; i += j.oidLength) this.clean.add(j.clean.slice(i, i + j.oidLength));
        for (const h of j.hits) this.hits.add(h);
        for (const [e, why] of Object.entries(j.skipped ?? {})) if (typeof why === "string") this.skipped.set(e, why);
      }
    } catch {
      /* no cache yet, or unreadable: start empty */
    }
    this.loaded = this.clean.size + this.hits.size + this.skipped.size;
  }

  /** Blob ids remembered when the cache was opened. */
  get size(): number {
    return this.loaded;
  }

  /** Writes the cache atomically (creating DIR). */
  save(): void {
    mkdirSync(this.dir, { recursive: true });
    const first = this.clean.values().next().value ?? this.hits.values().next().value ?? "";
    const oidLength = first.length || 40;
    const clean = [...this.clean].filter((o) => o.length === oidLength).join("");
    writeFileAtomic(this.file, JSON.stringify({ version: FORMAT_VERSION, key: this.key, oidLength, clean, hits: [...this.hits], skipped: Object.fromEntries(this.skipped) }));
  }
}
