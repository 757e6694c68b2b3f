/**
 * Apache htpasswd files: `user:hash` per line, the hash one of apr1/MD5-crypt,
 * `{SHA}`, bcrypt or SHA-crypt. A hash in a test fixture whose password is
 * the user name or derived from it (`user` → `pass`, `proxuser` → `proxpass`)
 * is that fixture's throwaway login, not a credential (and so is the same
 * hash on another line); elsewhere it is
 * reported like any other hash (a guessable password is no less exposed).
 * Pure.
 * https://httpd.apache.org/docs/2.4/misc/password_encryptions.html
 */
import { isTestPath } from "../scan.js";
import { md5crypt } from "./md5crypt.js";
import type { CredentialField } from "./types.js";
import { linesOf } from "./util.js";
import { nodeCrypto } from "../hashing.js";

const LINE =
  /^([A-Za-z0-9._@-]{1,64}):(\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\$1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\{SHA\}[A-Za-z0-9+/]{27}=|\$2[abxy]\$[0-9]{2}\$[./A-Za-z0-9]{53}|\$[56]\$(?:rounds=[0-9]{1,9}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{43,86})[ \t]*$/;

/** What an entry of {@link LINE} has right after the user name, anywhere in a text. */
const HASH_START = /:(?:\$apr1\$|\$1\$|\{SHA\}|\$2[abxy]\$|\$[56]\$)/;

/** Passwords a test fixture would use for `user`. */
function guesses(user: string): string[] {
  const local = user.split("@")[0]!;
  const swap = (s: string) => s.replace(/user/gi, "pass");
  return [...new Set([user, local, swap(user), swap(local), user + "pass", local + "pass", "pass", "password", "secret", "test"])];
}

/** True when `hash` (apr1, MD5-crypt or {SHA}) is the hash of a password derived from `user`. */
export function hashesGuessablePassword(user: string, hash: string): boolean {
  const md5 = /^(\$apr1\$|\$1\$)([^$]{1,8})\$/.exec(hash);
  if (md5) return guesses(user).some((g) => md5crypt(g, md5[2]!, md5[1]!) === hash);
  if (hash.startsWith("{SHA}")) {
    return guesses(user).some((g) => "{SHA}" + nodeCrypto().createHash("sha1").update(g, "utf8").digest("base64") === hash);
  }
  return false;
}

/** Password hashes of an htpasswd file. */
export function parseHtpasswd(text: string, path: string): CredentialField[] {
  const entries: Array<{ user: string; hash: string; start: number }> = [];
  // Every entry holds one of these right after its colon: without one (a shell script's "$1$2"
  // is what woke the parser), no line can match and no line need be cut out.
  if (!HASH_START.test(text)) return [];
  for (const { line, start } of linesOf(text)) {
    const m = LINE.exec(line);
    if (m) entries.push({ user: m[1]!, hash: m[2]!, start: start + m[1]!.length + 1 });
  }
  // In a fixture, a hash equal to a guessable one is the same throwaway password.
  const throwaway = new Set<string>();
  if (isTestPath(path)) for (const e of entries) if (!throwaway.has(e.hash) && hashesGuessablePassword(e.user, e.hash)) throwaway.add(e.hash);
  return entries
    .filter((e) => !throwaway.has(e.hash))
    .map((e) => ({ start: e.start, end: e.start + e.hash.length, secret: e.hash, field: e.user }));
}
