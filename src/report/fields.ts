/**
 * The wire form of a finding: the contract's fields, in a fixed order, without
 * internal fields. Shared by json, jsonl and the library's serializers.
 */
import type { Finding } from "../engine/types.js";

const ORDER: ReadonlyArray<keyof Finding> = [
  "ruleId", "title", "severity", "confidence", "file", "line", "column", "endLine", "endColumn", "secret", "match",
  "fingerprint", "location", "commit", "author", "email", "date", "message", "entropy", "encoding", "tags", "source", "pushed",
  // Audit mode only; last so that csv columns keep their places.
  "auditReason",
];

/** A plain object with the contract's fields in order (absent ones left out). */
export function findingToJson(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ORDER) if (f[k] !== undefined) out[k] = f[k];
  return out;
}

/** The contract's finding fields, in json order (csv header). */
export const FINDING_FIELDS: ReadonlyArray<keyof Finding> = ORDER;
