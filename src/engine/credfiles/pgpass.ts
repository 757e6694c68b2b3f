/**
 * PostgreSQL password file (`~/.pgpass`, `%APPDATA%\postgresql\pgpass.conf`):
 * one `host:port:database:user:password` per line, `\:` and `\\` escaped,
 * `#` comments. The password is the fifth field. Pure.
 * https://www.postgresql.org/docs/current/libpq-pgpass.html
 */
import type { CredentialField } from "./types.js";
import { field, linesOf } from "./util.js";

/** Passwords of a `.pgpass` file, one per entry line. */
export function parsePgpass(text: string): CredentialField[] {
  const out: CredentialField[] = [];
  for (const { line, start } of linesOf(text)) {
    if (line.trimStart().startsWith("#")) continue;
    // Offset of the fourth unescaped colon: the password follows it.
    let colons = 0;
    let i = 0;
    for (; i < line.length && colons < 4; i++) {
      if (line[i] === "\\") i++;
      else if (line[i] === ":") colons++;
    }
    if (colons < 4) continue;
    out.push(...field(text, start + i, start + line.length, "password"));
  }
  return out;
}
