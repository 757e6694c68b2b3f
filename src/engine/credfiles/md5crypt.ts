/**
 * MD5-crypt (`$1$`, and Apache's `$apr1$` variant), to tell whether a hash
 * holds a password derivable from its user name. Pure.
 * https://httpd.apache.org/docs/2.4/misc/password_encryptions.html
 */
import { createHash } from "node:crypto";

const ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const md5 = (...parts: Buffer[]): Buffer => {
  const h = createHash("md5");
  for (const p of parts) h.update(p);
  return h.digest();
};

function to64(v: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++, v >>= 6) s += ITOA64[v & 0x3f];
  return s;
}

/** The MD5-crypt hash of `password` with `salt` (at most 8 characters) and `magic` (`$1$` or `$apr1$`). */
export function md5crypt(password: string, salt: string, magic = "$apr1$"): string {
  const pw = Buffer.from(password, "utf8");
  const sl = Buffer.from(salt.slice(0, 8), "utf8");
  const alt = md5(pw, sl, pw);
  const parts: Buffer[] = [pw, Buffer.from(magic), sl];
  for (let n = pw.length; n > 0; n -= 16) parts.push(alt.subarray(0, Math.min(16, n)));
  for (let n = pw.length; n > 0; n >>= 1) parts.push(n & 1 ? Buffer.alloc(1) : pw.subarray(0, 1));
  let f = md5(...parts);
  for (let i = 0; i < 1000; i++) {
    const p: Buffer[] = [];
    p.push(i & 1 ? pw : f);
    if (i % 3) p.push(sl);
    if (i % 7) p.push(pw);
    p.push(i & 1 ? f : pw);
    f = md5(...p);
  }
  const b = (i: number): number => f[i]!;
  const out =
    to64((b(0) << 16) | (b(6) << 8) | b(12), 4) +
    to64((b(1) << 16) | (b(7) << 8) | b(13), 4) +
    to64((b(2) << 16) | (b(8) << 8) | b(14), 4) +
    to64((b(3) << 16) | (b(9) << 8) | b(15), 4) +
    to64((b(4) << 16) | (b(10) << 8) | b(5), 4) +
    to64(b(11), 2);
  return `${magic}${salt.slice(0, 8)}$${out}`;
}
