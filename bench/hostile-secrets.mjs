/** Fake GitHub tokens for the benchmarks, built at run time (same scheme as test/helpers/secrets.ts). */
import { base62, crc32 } from "../dist/engine/validators.js";

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A GitHub classic PAT with a valid checksum, from a seed. */
export function githubToken(seed) {
  let a = seed >>> 0;
  let body = "";
  for (let i = 0; i < 30; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    body += B62[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 62)];
  }
  return `ghp_${body}${base62(crc32(body), 6)}`;
}
