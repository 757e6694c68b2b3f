/**
 * Fake secrets for tests, built at run time so that no secret-shaped literal
 * sits in test source (scanning this repository must report nothing).
 */
import { createHash } from "node:crypto";
import { base62, crc32 } from "../../src/engine/validators.js";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Deterministic pseudo-random bytes from a seed. */
export function bytes(seed: string, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 64 < n; i++) out.push(createHash("sha512").update(seed + ":" + i).digest());
  return Buffer.concat(out).subarray(0, n);
}

/** Random string over `alphabet`. */
export function randomOf(alphabet: string, seed: string, n: number): string {
  return [...bytes(seed, n)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** A fake AWS access key id (new generation shape). */
export function fakeAwsKeyId(seed: string): string {
  return ["AK", "IA"].join("") + "Q" + randomOf(B32, seed, 15);
}

/** A fake GitHub classic PAT with a valid checksum. */
export function fakeGithubPat(seed: string): string {
  const body = randomOf(ALNUM, seed, 30);
  return ["gh", "p_"].join("") + body + base62(crc32(body), 6);
}

/** A mixed-case alphanumeric password-like value with digits and a symbol. */
export function fakePassword(seed: string, n = 16): string {
  const s = randomOf(ALNUM, seed, n - 1);
  return s.slice(0, 3) + "9" + s.slice(3, n - 2) + "#";
}

export const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
export const hex = (s: string): string => Buffer.from(s, "utf8").toString("hex");
