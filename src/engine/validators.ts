/**
 * Named post-match validators: checks of a secret's own structure (checksums,
 * decodable headers) that turn "looks like" into "is". A rule lists them in
 * `validators`; a candidate failing one is suppressed (reason `validator`).
 * Pure.
 */

/** A validator returns true when `secret` is structurally valid. */
export type Validator = (secret: string) => boolean;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

let crcTable: Uint32Array | undefined;
/** CRC-32 (IEEE) of a latin-1 string. */
export function crc32(s: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = crcTable[(crc ^ s.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base62 encoding of `n`, left-padded with "0" to `width`. */
export function base62(n: number, width: number): string {
  let out = "";
  let v = n;
  do {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(width, "0");
}

/**
 * GitHub's token format (ghp_, gho_, ghu_, ghs_, ghr_, and npm_): 30 random base62
 * characters then the base62 CRC-32 of them in 6 characters.
 */
function prefixedCrc32(secret: string): boolean {
  const us = secret.indexOf("_");
  const body = secret.slice(us + 1);
  if (body.length !== 36) return false;
  const payload = body.slice(0, 30);
  return base62(crc32(payload), 6) === body.slice(30);
}

/** A JWT whose header decodes to a JSON object with `alg`. */
function jwt(secret: string): boolean {
  const parts = secret.split(".");
  if (parts.length < 2) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as unknown;
    return typeof header === "object" && header !== null && "alg" in header;
  } catch {
    return false;
  }
}

/** Base64 (standard or URL-safe) decoded as text when it is printable ASCII/UTF-8, else undefined. */
function decodedText(secret: string): string | undefined {
  const body = secret.replace(/=+$/, "");
  if (body.length < 4 || body.length % 4 === 1 || /[^A-Za-z0-9+/_-]/.test(body)) return undefined;
  const bytes = Buffer.from(body, /[-_]/.test(body) ? "base64url" : "base64");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return undefined;
  return text;
}

/** Words that make a decoded value a placeholder rather than a credential. */
const DECODED_PLACEHOLDER = /^(?:password|passwd|secret|changeme|admin|root|test|example|pass|user|username|guest|token|xxx+|\*+|<[^>]*>|\$\{[^}]*\})$/i;

/** Base64 that decodes to printable text of 6+ characters that is not a placeholder word. */
function base64Printable(secret: string): boolean {
  const t = decodedText(secret);
  return t !== undefined && t.trim().length >= 6 && !DECODED_PLACEHOLDER.test(t.trim());
}

/** Base64 of `user:password` (HTTP Basic, npm `_auth`, Docker `auth`) with a non-placeholder password. */
function basicAuth(secret: string): boolean {
  const t = decodedText(secret);
  if (t === undefined) return false;
  const colon = t.indexOf(":");
  if (colon < 1) return false;
  const pass = t.slice(colon + 1);
  return pass.length >= 4 && !/\s/.test(pass) && !DECODED_PLACEHOLDER.test(pass) && pass !== t.slice(0, colon);
}

/**
 * Discord bot token: the first dot-separated part is the bot's user id (a numeric
 * snowflake, 17-20 digits) in unpadded base64. Makes the three-part shape precise
 * without the word "discord" nearby.
 */
function discordSnowflake(secret: string): boolean {
  const first = secret.slice(0, secret.indexOf("."));
  if (first.length < 23 || first.length > 27 || /[^A-Za-z0-9_-]/.test(first)) return false;
  return /^[1-9][0-9]{16,19}$/.test(Buffer.from(first, "base64url").toString("latin1"));
}

/** AWS access key ids: the 16 characters after the 4-letter prefix are base32 (A-Z, 2-7). */
function awsBase32(secret: string): boolean {
  return /^[A-Z2-7]{16}$/.test(secret.slice(4));
}

/** The registry of validators, by the name rules use. */
export const VALIDATORS: Readonly<Record<string, Validator>> = {
  "github-crc32": prefixedCrc32,
  "npm-crc32": prefixedCrc32,
  jwt,
  "base64-printable": base64Printable,
  "basic-auth": basicAuth,
  "discord-snowflake": discordSnowflake,
  "aws-base32": awsBase32,
};
