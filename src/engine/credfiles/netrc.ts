/**
 * `.netrc` / `_netrc` files (curl, ftp, git over http): whitespace-separated
 * tokens across lines, `machine NAME` or `default` entries with `login`,
 * `password` and `account` tokens in any order; `macdef` bodies run to the
 * next blank line. A value may be double-quoted (curl 7.84+). Pure.
 * https://everything.curl.dev/usingcurl/netrc.html
 */
import type { CredentialField } from "./types.js";
import { field } from "./util.js";

/** One token with its offset. */
interface Token {
  text: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      // Quoted value: runs to the next unescaped quote on the same line.
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      if (text[i] === '"') i++;
    } else {
      while (i < text.length && !/[ \t\r\n]/.test(text[i]!)) i++;
    }
    out.push({ text: text.slice(start, i), start, end: i });
  }
  return out;
}

/** Passwords and accounts of a `.netrc` file. */
export function parseNetrc(text: string): CredentialField[] {
  const out: CredentialField[] = [];
  const toks = tokens(text);
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.text === "macdef") {
      // Skip the macro body: up to the first empty line.
      const blank = text.slice(t.end).search(/\r?\n[ \t]*\r?\n/);
      const stop = blank < 0 ? text.length : t.end + blank + 1;
      while (k + 1 < toks.length && toks[k + 1]!.start < stop) k++;
      continue;
    }
    if ((t.text === "password" || t.text === "account") && k + 1 < toks.length) {
      const v = toks[++k]!;
      const quoted = v.text.length >= 2 && v.text.startsWith('"') && v.text.endsWith('"');
      out.push(...field(text, quoted ? v.start + 1 : v.start, quoted ? v.end - 1 : v.end, t.text));
    }
  }
  return out;
}
