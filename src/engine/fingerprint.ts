/**
 * Fingerprints: a keyed hash of (rule id, secret value). The same secret under
 * the same rule gets the same fingerprint wherever it stands, on every run with
 * the same salt. HMAC-SHA-256 keyed by a salt (the repository's root commit or a
 * configured value) so that a public dictionary of weak passwords cannot be
 * hashed once and matched against every repository's fingerprints.
 *
 * Pure (node:crypto is a computation, not I/O).
 */
import { nodeCrypto } from "./hashing.js";

/** Salt used when nothing better is known (plain folders, stdin). */
export const DEFAULT_SALT = "leakguard:v1";

/** Hex fingerprint (32 chars) of `secret` under `ruleId` with `salt`. */
export function fingerprintOf(ruleId: string, secret: string, salt: string = DEFAULT_SALT): string {
  return nodeCrypto()
    .createHmac("sha256", `leakguard-fp:${salt}`)
    .update(ruleId)
    .update("\0")
    .update(secret)
    .digest("hex")
    .slice(0, 32);
}

/**
 * Digits of a fingerprint shown where space is short (text report, SARIF
 * message, hook guidance). Ignore files accept any prefix this long or longer.
 */
export const SHORT_FINGERPRINT_LENGTH = 12;

/** The first {@link SHORT_FINGERPRINT_LENGTH} digits of a fingerprint. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, SHORT_FINGERPRINT_LENGTH);
}

/** Fingerprint of the value alone (any rule): used to spot one secret reused under several rules. */
export function valueFingerprintOf(secret: string, salt: string = DEFAULT_SALT): string {
  return fingerprintOf("*", secret, salt);
}
