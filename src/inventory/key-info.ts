/**
 * How a private key is named in the inventory: its type and a fingerprint of
 * its decoded body ("RSA private key · SHA256:…"), never its `-----BEGIN`
 * armour or any of its text. The fingerprint is SHA-256 over the base64-decoded
 * body (as `ssh-keygen -l` shows, unpadded base64), so two reports of the same
 * key agree; it is one-way and reveals nothing usable. It is NOT the public
 * key fingerprint `ssh-keygen -lf key.pub` prints for OpenSSH keys (that
 * hashes the public key blob). Pure (node:crypto is computation).
 *
 * @example
 *   keyInfoOf(pemText); // → { type: "RSA private key", sha256: "SHA256:3q2+…" }
 */
import { createHash } from "node:crypto";

/** A private key as the inventory shows it. */
export interface KeyInfo {
  /** e.g. `RSA private key`, `EC private key`, `OpenSSH private key`, `PGP private key`. */
  type: string;
  /** `SHA256:` and the unpadded base64 SHA-256 of the decoded key body. */
  sha256: string;
}

const ARMOUR = /-----BEGIN ([A-Z0-9 ]{1,40})-----([\s\S]*?)-----END [A-Z0-9 ]{1,40}-----/;

const NAMES: Record<string, string> = {
  "RSA PRIVATE KEY": "RSA private key",
  "EC PRIVATE KEY": "EC private key",
  "DSA PRIVATE KEY": "DSA private key",
  "PRIVATE KEY": "PKCS#8 private key",
  "ENCRYPTED PRIVATE KEY": "encrypted PKCS#8 private key",
  "OPENSSH PRIVATE KEY": "OpenSSH private key",
  "PGP PRIVATE KEY BLOCK": "PGP private key",
};

/** The key's type and body fingerprint, or undefined when `secret` is not an armoured private key. */
export function keyInfoOf(secret: string): KeyInfo | undefined {
  const m = ARMOUR.exec(secret);
  if (!m || !/PRIVATE KEY/.test(m[1]!)) return undefined;
  const label = m[1]!.trim();
  let body = m[2]!;
  // Headers (Proc-Type, DEK-Info, PGP's Version/Comment) and a PGP checksum line are not the key.
  body = body
    .split(/\r?\n/)
    .filter((l) => !/^[A-Za-z-]+: /.test(l.trim()) && !/^=[A-Za-z0-9+/]{4}$/.test(l.trim()))
    .join("");
  body = body.replace(/[^A-Za-z0-9+/=]/g, "");
  if (body.length < 16) return undefined;
  const der = Buffer.from(body, "base64");
  let type = NAMES[label] ?? `${label.toLowerCase()}`;
  if (/Proc-Type: 4,ENCRYPTED/.test(m[2]!)) type = `encrypted ${type}`;
  const sha256 = "SHA256:" + createHash("sha256").update(der).digest("base64").replace(/=+$/, "");
  return { type, sha256 };
}

/** `type · SHA256:…`, the one-line name of a key. */
export function keyLabel(k: KeyInfo): string {
  return `${k.type} · ${k.sha256}`;
}
