/**
 * Escaping for the text formats reporters write: XML (JUnit), HTML (inventory
 * page), CSV (RFC 4180 with formula-injection guard) and GitHub workflow
 * commands. Pure; each function is total, so any file name or commit message
 * survives.
 */

/**
 * Characters XML 1.0 cannot hold at all, even as references: C0 controls
 * other than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF.
 */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Visible stand-in for a character XML cannot carry, e.g. `\u001b`. */
function visible(c: string): string {
  return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
}

/** Text content for XML: `& < >` escaped, impossible characters shown as `\uXXXX`. */
export function xmlText(s: string): string {
  return s.replace(XML_INVALID, visible).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An XML attribute value (inside double quotes); tab, CR and LF kept as references so parsers do not fold them. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

/** HTML text or attribute value (double- or single-quoted). */
export function html(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the
 * line separators escaped as \u sequences, so neither `</script>` nor
 * `<!--` can end or confuse the block, and JSON.parse gives back the same data.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * Cells a spreadsheet would run as a formula start with one of these
 * (OWASP "CSV injection"); leakguard prefixes such cells with `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell (RFC 4180): formula guard, then quoted when it holds `,` `"` CR or LF. */
export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record with its CRLF terminator. */
export function csvRow(cells: ReadonlyArray<string | number | boolean | undefined>): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** A workflow command's message (data): `%`, CR and LF escaped. */
export function ghData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command's property value: as data, plus `:` and `,`. */
export function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Control characters (ESC, CR, BEL…) shown as `\u001b`, so a file name cannot drive the terminal. */
export function terminalSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}
