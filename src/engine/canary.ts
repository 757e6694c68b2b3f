/**
 * Canary awareness: AWS access key ids carry the id of the account that owns
 * them. Keys owned by the accounts that canary-token services use are
 * tripwires: whoever tries the key sets off an alert. They are still reported
 * (a committed canary is worth knowing about, and removing it is cheap), but
 * tagged `canary` and titled so that nobody rotates a "leak" in a panic.
 *
 * Decoding (published by Aidan Steele, 2020, corrected by Tal Be'ery): the 16
 * characters after the 4-letter prefix are base32 (RFC 4648 alphabet); of the
 * decoded bytes, the first 6 form a 48-bit big-endian integer whose bits
 * `0x7fffffffff80` shifted right by 7 are the 12-digit account id. Only keys of
 * the "new generation" (the first decoded character at or after 'Q') decode
 * reliably; for older keys the result is meaningless, so we do not guess.
 *
 * Pure.
 */

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Account ids of known canary-token issuers, as published by TruffleHog's AWS
 * detector (trufflesecurity/trufflehog, pkg/detectors/aws/access_keys/canary.go:
 * `thinkstCanaryList` for canarytokens.org / Thinkst Canary, and
 * `thinkstKnockoffsCanaryList` for other services modelled on it).
 */
const THINKST = new Set([
  "052310077262", "171436882533", "534261010715", "595918472158", "717712589309",
  "819147034852", "992382622183", "730335385048", "266735846894", "893192397702",
]);
const KNOCKOFFS = new Set([
  "044858866125", "251535659677", "344043088457", "351906852752", "390477818340",
  "426127672474", "427150556519", "439872796651", "445142720921", "465867158099",
  "637958123769", "693412236332", "732624840810", "735421457923", "959235150393",
  "982842642351",
]);

const KEY_ID = /^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;

/**
 * The 12-digit AWS account id encoded in an access key id, or undefined when
 * `keyId` is not a 20-character key id. Works for new-generation keys only.
 */
export function awsAccountFromKeyId(keyId: string): string | undefined {
  if (!KEY_ID.test(keyId)) return undefined;
  // Decode the first 10 base32 characters after the prefix: 50 bits, enough for 6 bytes (48 bits).
  let acc = 0n;
  for (let i = 4; i < 14; i++) acc = (acc << 5n) | BigInt(B32.indexOf(keyId[i]!));
  const first48 = acc >> 2n; // 50 bits -> the first 48 bits (6 bytes)
  const account = (first48 & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, "0");
}

/** Which canary service issued `account`, if any. */
export function canaryIssuer(account: string): "canarytokens.org" | "canarytokens.org-style" | undefined {
  if (THINKST.has(account)) return "canarytokens.org";
  if (KNOCKOFFS.has(account)) return "canarytokens.org-style";
  return undefined;
}

/** What the engine adds to a finding whose secret is a canary token. */
export interface CanaryInfo {
  account: string;
  issuer: string;
  note: string;
}

/** Note put into the title of a canary finding. */
export const CANARY_NOTE = "canary token: a tripwire; someone is alerted when it is used";

/**
 * Canary information for a secret, or undefined. Only AWS access key ids are
 * decoded today.
 */
export function canaryOf(secret: string): CanaryInfo | undefined {
  const account = awsAccountFromKeyId(secret);
  if (!account) return undefined;
  const issuer = canaryIssuer(account);
  if (!issuer) return undefined;
  return { account, issuer, note: CANARY_NOTE };
}
