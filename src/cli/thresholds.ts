/**
 * `--fail-on SEVERITY` and `--min-confidence LEVEL` (README, "Commands"): which
 * findings are reported, and which of them fail the run.
 *
 * - `--min-confidence high|medium` moves findings below that confidence to
 *   the suppressed list (reason `confidence`), so `--show-suppressed` still
 *   shows them. `low` is audit mode: candidates the rules' heuristics
 *   rejected (entropy, stopword, placeholder, checksum) are reported too,
 *   with confidence `low`, `auditReason` and a `rejected:<reason>` tag. The
 *   engine does both (configFor puts the level in the config, see
 *   EngineOptions.minConfidence): it judges audit candidates after the user's
 *   allowlists and markers, keeps what is no value at all dropped, and lets
 *   no audit candidate displace a real finding; core/postprocess.ts's
 *   applyMinConfidence is the safety net every scan ends with.
 * - `--fail-on SEVERITY` keeps every finding in the report but exits 1 (or
 *   --exit-code) only when one is at or above SEVERITY.
 */
import type { Confidence, Severity } from "../engine/types.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";

export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];
export const CONFIDENCES: readonly Confidence[] = ["low", "medium", "high"];


function level<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase() as T;
  if (!allowed.includes(v)) throw new UsageError(`${flag} ${value} is not one of ${allowed.join(", ")}${didYouMean(value, allowed)}`);
  return v;
}

/** Parses --fail-on (case-insensitive). */
export const parseSeverity = (flag: string, value: string | undefined): Severity | undefined => level(flag, value, SEVERITIES);
/** Parses --min-confidence (case-insensitive). */
export const parseConfidence = (flag: string, value: string | undefined): Confidence | undefined => level(flag, value, CONFIDENCES);

const rank = <T>(list: readonly T[], v: T): number => list.indexOf(v);

/** True when `sev` is at or above `min`. */
export const atLeastSeverity = (sev: Severity, min: Severity): boolean => rank(SEVERITIES, sev) >= rank(SEVERITIES, min);
/** True when the reported findings should fail the run under --fail-on. */
export function failsOn(findings: readonly { severity: Severity }[], min: Severity | undefined): boolean {
  return min === undefined ? findings.length > 0 : findings.some((f) => atLeastSeverity(f.severity, min));
}
