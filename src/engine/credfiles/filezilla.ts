/**
 * FileZilla's `sitemanager.xml`, `recentservers.xml` and `filezilla.xml`:
 * `<Pass>` holds the server password, base64-encoded when the element says
 * `encoding="base64"` (FileZilla 3.26+), plain text in older files. The
 * base64 form is reported decoded, with `encoding: base64` and the span of
 * the encoded text. Pure.
 * https://wiki.filezilla-project.org/Site_Manager
 */
import type { CredentialField } from "./types.js";
import { isPlaceholderValue } from "./util.js";

const PASS = /<(Pass|Password|ProxyPass)(\s[^<>]{0,200})?>([^<]{1,4096})<\/\1>/g;

/** Passwords of a FileZilla XML file. */
export function parseFilezilla(text: string): CredentialField[] {
  const out: CredentialField[] = [];
  PASS.lastIndex = 0;
  for (let m = PASS.exec(text); m; m = PASS.exec(text)) {
    const value = m[3]!;
    const start = m.index + m[0].length - `</${m[1]}>`.length - value.length;
    const end = start + value.length;
    const encoding = /\bencoding\s*=\s*["']([^"']*)["']/i.exec(m[2] ?? "")?.[1]?.toLowerCase();
    // encoding="crypt": protected by FileZilla's master password, not readable without it.
    if (encoding !== undefined && encoding !== "base64" && encoding !== "plain") continue;
    if (encoding === "base64") {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) continue;
      const secret = Buffer.from(value.trim(), "base64").toString("utf8");
      if (isPlaceholderValue(secret) || /[\x00-\x08\ufffd]/.test(secret)) continue;
      out.push({ start, end, secret, field: m[1]!, encoding: "base64" });
    } else if (!isPlaceholderValue(value)) {
      out.push({ start, end, secret: value, field: m[1]! });
    }
  }
  return out;
}
