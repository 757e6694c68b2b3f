/**
 * MD5-crypt (`$1$`, and Apache's `$apr1$` variant), to tell whether a hash
 * holds a password derivable from its user name. Pure.
 * https://httpd.apache.org/docs/2.4/misc/password_encryptions.html
 *
 * MD5 itself is computed here (RFC 1321) into reused buffers: MD5-crypt hashes
 * 1,002 short messages per guess, and node:crypto's per-hash object and
 * buffers cost about ten times the hashing (a test fixture with three logins,
 * as git/git has, took ~0.15 s of a scan).
 */

const ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Per-step additive constants: floor(|sin(i + 1)| * 2^32). */
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
/** Per-step rotation amounts: four per round, repeated. */
const ROUND_SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const SHIFT = Int8Array.from({ length: 64 }, (_, i) => ROUND_SHIFTS[(i >> 4) * 4 + (i & 3)]!);
const words = new Int32Array(16);

/** Writes the MD5 digest of `data[0..len)` into `out[0..16)`; `data` must have room for the padding (len + 72 bytes). */
function md5Into(data: Uint8Array, len: number, out: Uint8Array): void {
  const blocks = ((len + 8) >> 6) + 1;
  const end = blocks * 64;
  data[len] = 0x80;
  data.fill(0, len + 1, end - 8);
  const bits = len * 8;
  for (let i = 0; i < 4; i++) data[end - 8 + i] = (bits >>> (8 * i)) & 0xff;
  const high = Math.floor(bits / 2 ** 32);
  for (let i = 0; i < 4; i++) data[end - 4 + i] = (high >>> (8 * i)) & 0xff;
  let a0 = 0x67452301 | 0;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476 | 0;
  for (let off = 0; off < end; off += 64) {
    for (let j = 0; j < 16; j++) {
      const p = off + j * 4;
      words[j] = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    // The four rounds as four loops: no branch per step.
    let t: number;
    for (let i = 0; i < 16; i++) {
      t = (((b & c) | (~b & d)) + a + K[i]! + words[i]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((t << SHIFT[i]!) | (t >>> (32 - SHIFT[i]!)))) | 0;
    }
    for (let i = 16; i < 32; i++) {
      t = (((d & b) | (~d & c)) + a + K[i]! + words[(5 * i + 1) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((t << SHIFT[i]!) | (t >>> (32 - SHIFT[i]!)))) | 0;
    }
    for (let i = 32; i < 48; i++) {
      t = ((b ^ c ^ d) + a + K[i]! + words[(3 * i + 5) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((t << SHIFT[i]!) | (t >>> (32 - SHIFT[i]!)))) | 0;
    }
    for (let i = 48; i < 64; i++) {
      t = ((c ^ (b | ~d)) + a + K[i]! + words[(7 * i) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((t << SHIFT[i]!) | (t >>> (32 - SHIFT[i]!)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  for (let i = 0; i < 4; i++) {
    out[i] = (a0 >>> (8 * i)) & 0xff;
    out[4 + i] = (b0 >>> (8 * i)) & 0xff;
    out[8 + i] = (c0 >>> (8 * i)) & 0xff;
    out[12 + i] = (d0 >>> (8 * i)) & 0xff;
  }
}

/** The MD5 digest of `data` (for tests against node:crypto). */
export function md5(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(data.length + 72);
  buf.set(data);
  const out = new Uint8Array(16);
  md5Into(buf, data.length, out);
  return out;
}

function to64(v: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++, v >>= 6) s += ITOA64[v & 0x3f];
  return s;
}

/** The MD5-crypt hash of `password` with `salt` (at most 8 characters) and `magic` (`$1$` or `$apr1$`). */
export function md5crypt(password: string, salt: string, magic = "$apr1$"): string {
  const enc = new TextEncoder();
  const pw = enc.encode(password);
  const sl = enc.encode(salt.slice(0, 8));
  const mg = enc.encode(magic);
  // Every message below fits: the longest is pw + magic + salt + pw (alt pieces) + a byte per bit of pw's length.
  const msg = new Uint8Array(2 * pw.length + mg.length + sl.length + 32 + 72 + 64);
  let n = 0;
  const put = (bytes: Uint8Array, len = bytes.length): void => {
    msg.set(len === bytes.length ? bytes : bytes.subarray(0, len), n);
    n += len;
  };
  const alt = new Uint8Array(16);
  put(pw);
  put(sl);
  put(pw);
  md5Into(msg, n, alt);
  n = 0;
  put(pw);
  put(mg);
  put(sl);
  for (let k = pw.length; k > 0; k -= 16) put(alt, Math.min(16, k));
  for (let k = pw.length; k > 0; k >>= 1) msg[n++] = k & 1 ? 0 : pw[0]!;
  const f = new Uint8Array(16);
  md5Into(msg, n, f);
  for (let i = 0; i < 1000; i++) {
    n = 0;
    put(i & 1 ? pw : f);
    if (i % 3) put(sl);
    if (i % 7) put(pw);
    put(i & 1 ? f : pw);
    md5Into(msg, n, f);
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
