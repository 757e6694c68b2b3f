/**
 * INI-style credential files: `key = value` lines under `[section]`
 * headers, `#` and `;` comments. Used for s3cmd's `.s3cfg` and the AWS CLI's
 * `credentials` / `config`, MySQL's `.my.cnf`. Pure.
 * https://s3tools.org/kb/item14.htm
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
 * https://dev.mysql.com/doc/refman/8.0/en/option-files.html
 */
import type { CredentialField, CredentialParser } from "./types.js";
import { field, linesOf, unquotedSpan } from "./util.js";

/** A parser reporting the values of the given keys (compared case-insensitively). */
export function iniKeysParser(keys: readonly string[]): CredentialParser {
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  return (text) => {
    const out: CredentialField[] = [];
    for (const { line, start } of linesOf(text)) {
      const eq = line.search(/[=:]/);
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim().toLowerCase();
      if (!wanted.has(key)) continue;
      const [a, b] = unquotedSpan(text, start + eq + 1, start + line.length);
      out.push(...field(text, a, b, key));
    }
    return out;
  };
}

/** s3cmd: the secret key, a session token, and the passphrase of client-side encryption. */
export const parseS3cfg = iniKeysParser(["secret_key", "access_token", "gpg_passphrase", "proxy_password"]);

/** MySQL / MariaDB option files (`~/.my.cnf`, `my.ini`): `password` in `[client]`, `[mysqldump]`, … */
export const parseMyCnf = iniKeysParser(["password"]);

/** AWS CLI / SDK shared files: secret access keys and session tokens of every profile. */
export const parseAwsCredentials = iniKeysParser(["aws_secret_access_key", "aws_session_token", "aws_security_token"]);
