/**
 * Shell and client history files (`.bash_history`, `.zsh_history` with its
 * `: 1700000000:0;` prefix, `.mysql_history`, `.psql_history`, …): each line
 * is split into shell words, and the secrets typed on command lines are
 * reported: `mysql -pSECRET`, `--password=SECRET`, `curl -u user:SECRET`,
 * `sshpass -p SECRET`, `docker login -p SECRET`, `export API_TOKEN=SECRET`,
 * `PGPASSWORD=SECRET psql`, and `IDENTIFIED BY 'SECRET'` in SQL clients.
 * Pure.
 */
import type { CredentialField } from "./types.js";
import { field, linesOf } from "./util.js";

/** One shell word: its raw text and where its value starts (after `NAME=` or a flag). */
interface Word {
  raw: string;
  start: number;
}

/** Splits a command line into words (quotes kept in `raw`); `;`, `|` and `&` end a command. */
function commands(line: string, offset: number): Word[][] {
  const out: Word[][] = [[]];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === ";" || c === "|" || c === "&" || c === "(" || c === ")") {
      if (out[out.length - 1]!.length > 0) out.push([]);
      i++;
      continue;
    }
    const start = i;
    while (i < line.length && !" \t;|&()".includes(line[i]!)) {
      const q = line[i]!;
      if (q === "'" || q === '"') {
        const close = line.indexOf(q, i + 1);
        i = close < 0 ? line.length : close + 1;
      } else i += q === "\\" ? 2 : 1;
    }
    out[out.length - 1]!.push({ raw: line.slice(start, Math.min(i, line.length)), start: offset + start });
  }
  return out.filter((c) => c.length > 0);
}

/** The span of a word's value from `from` (inside its quotes when quoted). */
function valueSpan(w: Word, from = 0): [number, number] {
  const v = w.raw.slice(from);
  const q = v[0];
  if ((q === "'" || q === '"') && v.length >= 2 && v.endsWith(q)) return [w.start + from + 1, w.start + w.raw.length - 1];
  return [w.start + from, w.start + w.raw.length];
}

const SECRET_NAME = /(?:PASSWORD|PASSWD|PASSPHRASE|_PWD|^PWD$|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|AUTH_KEY|CREDENTIALS?)$|^(?:PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH|SSHPASS)$/i;
const MYSQL = /^(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mariadb|mariadb-dump)$/;
/** Commands whose `-p` takes the password as the next word. */
const LOGIN_P = /^(?:docker|podman|buildah|skopeo|helm|oras|nerdctl)$/;
const PASSWORD_FLAG = /^--?(?:password|passwd|pass|token|api-key|apikey|api-token|secret|client-secret|secret-key|access-token|auth-token)$/i;

/** A field, unless the value is a shell expansion (`$VAR`, `$(cmd)`, `` `cmd` ``) typed in place of the secret. */
function typed(text: string, [a, b]: [number, number], name: string): CredentialField[] {
  const c = text[a];
  return c === "$" || c === "`" ? [] : field(text, a, b, name);
}

/** Secrets typed into one command. */
function secretsOf(text: string, words: Word[], out: CredentialField[]): void {
  let k = 0;
  // Leading `export`/`env` and NAME=VALUE assignments.
  for (; k < words.length; k++) {
    const w = words[k]!;
    if (w.raw === "export" || w.raw === "env" || w.raw === "set" || w.raw === "sudo") continue;
    const eq = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.raw);
    if (!eq) break;
    if (SECRET_NAME.test(eq[1]!)) out.push(...typed(text, valueSpan(w, eq[0].length), eq[1]!));
  }
  if (k >= words.length) return;
  const cmd = words[k]!.raw.replace(/^.*\//, "");
  for (let j = k + 1; j < words.length; j++) {
    const w = words[j]!;
    const next = words[j + 1];
    const eq = w.raw.indexOf("=");
    if (w.raw.startsWith("-") && eq > 0 && PASSWORD_FLAG.test(w.raw.slice(0, eq))) {
      out.push(...typed(text, valueSpan(w, eq + 1), w.raw.slice(0, eq)));
    } else if (MYSQL.test(cmd) && /^-p./.test(w.raw)) {
      out.push(...typed(text, valueSpan(w, 2), "-p"));
    } else if (cmd === "sshpass" && w.raw === "-p" && next) {
      out.push(...typed(text, valueSpan(next), "-p"));
      j++;
    } else if (cmd === "sshpass" && /^-p./.test(w.raw)) {
      out.push(...typed(text, valueSpan(w, 2), "-p"));
    } else if ((cmd === "curl" || cmd === "wget") && (w.raw === "-u" || w.raw === "--user") && next) {
      const [a, b] = valueSpan(next);
      const colon = text.indexOf(":", a);
      if (colon >= 0 && colon < b) out.push(...typed(text, [colon + 1, b], "-u"));
      j++;
    } else if (next && !next.raw.startsWith("-") && (PASSWORD_FLAG.test(w.raw) ? !MYSQL.test(cmd) : w.raw === "-p" && LOGIN_P.test(cmd))) {
      // `docker login -p X`, `--password X`; mysql's bare --password prompts (the next word is a database).
      out.push(...typed(text, valueSpan(next), w.raw));
      j++;
    } else if (cmd === "redis-cli" && w.raw === "-a" && next) {
      out.push(...typed(text, valueSpan(next), "-a"));
      j++;
    }
  }
}

/** SQL typed into a client: `IDENTIFIED BY 'x'`, `PASSWORD 'x'`. */
const SQL_PASSWORD = /\b(?:IDENTIFIED\s+(?:WITH\s+\w+\s+)?BY|PASSWORD)\s+'([^'\r\n]{1,256})'/gi;

/** Secrets typed on the command lines of a history file. */
export function parseShellHistory(text: string): CredentialField[] {
  const out: CredentialField[] = [];
  for (const { line, start } of linesOf(text)) {
    // zsh extended history: ": <epoch>:<elapsed>;command".
    const zsh = /^: \d{1,12}:\d{1,9};/.exec(line);
    const body = zsh ? line.slice(zsh[0].length) : line;
    const off = start + (zsh ? zsh[0].length : 0);
    for (const words of commands(body, off)) secretsOf(text, words, out);
    SQL_PASSWORD.lastIndex = 0;
    for (let m = SQL_PASSWORD.exec(body); m; m = SQL_PASSWORD.exec(body)) {
      const a = off + m.index + m[0].length - 1 - m[1]!.length;
      out.push(...field(text, a, a + m[1]!.length, "sql password"));
    }
  }
  return out;
}
