/**
 * git's credential-store file (`~/.git-credentials`,
 * `$XDG_CONFIG_HOME/git/credentials`): one URL per line,
 * `https://user:token@host[/path]`, user and password percent-encoded. Pure.
 * https://git-scm.com/docs/git-credential-store#_storage_format
 */
import type { CredentialField } from "./types.js";
import { field, linesOf } from "./util.js";

/** Passwords (tokens) of a `.git-credentials` file. */
export function parseGitCredentials(text: string): CredentialField[] {
  const out: CredentialField[] = [];
  for (const { line, start } of linesOf(text)) {
    const scheme = line.indexOf("://");
    if (scheme < 0) continue;
    const authStart = scheme + 3;
    // The authority ends at the first "/" after the scheme; its userinfo at the last "@" in it.
    let authEnd = line.indexOf("/", authStart);
    if (authEnd < 0) authEnd = line.length;
    const at = line.lastIndexOf("@", authEnd - 1);
    if (at < authStart) continue;
    const colon = line.indexOf(":", authStart);
    if (colon < 0 || colon > at) continue;
    out.push(...field(text, start + colon + 1, start + at, "password"));
  }
  return out;
}
