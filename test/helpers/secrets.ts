/**
 * Fake secrets for tests, built at run time so that this repository's own
 * source never holds a literal secret (`leakguard scan .` stays clean).
 */
import { base62, crc32 } from "../../src/engine/validators.js";

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Deterministic pseudo-random generator (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(alphabet: string, n: number, r: () => number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

/** A GitHub classic PAT with a valid checksum. */
export function githubToken(seed = 1, prefix = "ghp"): string {
  const body = pick(B62, 30, rng(seed));
  return `${prefix}_${body}${base62(crc32(body), 6)}`;
}

/** An AWS access key id (AKIA + 16 base32 chars). */
export function awsKeyId(seed = 2): string {
  return "AKIA" + pick(B32, 16, rng(seed));
}

/** An AWS secret access key (40 chars). */
export function awsSecret(seed = 3): string {
  return pick(B62 + "+/", 40, rng(seed)).replace(/^[+/]/, "Q");
}

/** A random base62 string. */
export function randomToken(n: number, seed = 4): string {
  return pick(B62, n, rng(seed));
}
