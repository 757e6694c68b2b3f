/**
 * Small helpers shared by the credential-file parsers. Pure.
 */
import { PLACEHOLDER_VALUES, PLACEHOLDER_WORDS, wordAlternation } from "../placeholder-words.js";
import type { CredentialField } from "./types.js";

/** Each line of `text` with the offset of its first character (line breaks excluded). */
export function* linesOf(text: string): Generator<{ line: string; start: number }> {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text[end - 1] === "\r" ? end - 1 : end);
    yield { line, start };
    if (end >= text.length) break;
    start = end + 1;
  }
}

// Masks, templates, "your password here" phrases, the engine's placeholder words and values
// (placeholder-words.ts) and a field's own name as its value ("password"), each as the whole value.
const PLACEHOLDER = new RegExp(
  "^(?:\\*+|x{3,}|\\.{3,}|_+|-+|\\?+|•+|<[^<>]*>|\\[[^\\]]*\\]|\\$\\{[^}]*\\}|\\$\\([^)]*\\)|\\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|\\{\\{[^}]*\\}\\}" +
    "|(?:your|my|enter|insert)[-_ ]?(?:[a-z]{1,20}[-_ ])?(?:password|passwd|pass|pwd|secret|token|key|api[-_ ]?key|passphrase)(?:[-_ ]?here)?" +
    `|(?:${wordAlternation(PLACEHOLDER_WORDS)}|${wordAlternation(PLACEHOLDER_VALUES)}|password|passwd|pass|pwd|secret|token|[a-z_]*_here|put your unique phrase here))$`,
  "i",
);

/** True when a value is empty or a placeholder (`*`, `changeme`, `<password>`, `${VAR}`, …), not a secret. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  return v.length === 0 || PLACEHOLDER.test(v);
}

/** A field for the span [start, end) of `text`, or nothing when the value is a placeholder. */
export function field(text: string, start: number, end: number, name: string): CredentialField[] {
  const secret = text.slice(start, end);
  return isPlaceholderValue(secret) ? [] : [{ start, end, secret, field: name }];
}

/**
 * The span of a value that may be quoted: inside the quotes when the raw
 * value is wrapped in matching `'` or `"`, else the raw value trimmed.
 */
export function unquotedSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  const q = text[start];
  if (end - start >= 2 && (q === '"' || q === "'") && text[end - 1] === q) return [start + 1, end - 1];
  return [start, end];
}
