/**
 * The history scan's blob cache (`--cache DIR`): which blob ids were already
 * scanned with this exact rule set and salt. Clean blobs are skipped on the
 * next run; blobs that held findings are listed too and scanned again (a few,
 * cheap), so the cache file never stores a secret — only object ids.
 *
 * Format: `DIR/history-<key>.json`, `{version, key, oidLength, clean, hits}`
 * where `clean` is every clean id concatenated (compact: no separators) and
 * `hits` the ids with findings. Written atomically.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ResolvedConfig } from "../config/load.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { VERSION } from "../version.js";

const FORMAT_VERSION = 1;

/** Key of a cache: what could change a blob's findings. */
export function cacheKey(config: ResolvedConfig, salt: string | undefined): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ v: FORMAT_VERSION, tool: VERSION, rules: config.rules.map((r) => ({ ...r, origin: undefined })), allowlists: config.allowlists, salt: salt ?? "", max: config.scan.maxFileSize ?? null }));
  return h.digest("hex").slice(0, 32);
}

/** Blob ids known clean or known to hold findings. */
export class BlobCache {
  readonly clean = new Set<string>();
  readonly hits = new Set<string>();
  private readonly file: string;
  private readonly loaded: number;

  constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    this.file = join(dir, `history-${key}.json`);
    try {
      const j = JSON.parse(readFileSync(this.file, "utf8")) as { version: number; key: string; oidLength: number; clean: string; hits: string[] };
      if (j.version === FORMAT_VERSION && j.key === key && j.oidLength > 0) {
        for (let i = 0; i + j.oidLength <= j.clean.length; i += j.oidLength) this.clean.add(j.clean.slice(i, i + j.oidLength));
        for (const h of j.hits) this.hits.add(h);
      }
    } catch {
      /* no cache yet, or unreadable: start empty */
    }
    this.loaded = this.clean.size + this.hits.size;
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
    writeFileAtomic(this.file, JSON.stringify({ version: FORMAT_VERSION, key: this.key, oidLength, clean, hits: [...this.hits] }));
  }
}
