/**
 * Error text that is safe to print. Messages of unexpected errors can quote
 * the input they choked on (Node's JSON.parse does: `"AKIA…" is not valid
 * JSON`), and that input may be a secret. Pure.
 */
import { redactSecret } from "../engine/redact.js";

// A run of token characters long enough to be a credential.
const TOKENISH = /[A-Za-z0-9_+=\-]{12,}/g;
// Runs that are words, not credentials: lower-case words joined by - or _ (a flag's leading dashes
// too), CONSTANT_NAMES, camelCase.
const WORDISH = /^(?:-{0,2}[a-z]+(?:[-_][a-z]+)*|[A-Z]+(?:_[A-Z]+)+|[A-Za-z][a-z]+(?:[A-Z][a-z]+)+)$/;

/**
 * Redacts everything in `text` that looks like a credential: runs of 12 or
 * more token characters, unless they read as words (kebab-case, snake_case,
 * CONSTANT_CASE, camelCase), keep a short prefix and `…`. Best effort: the
 * message stays useful, and a path segment that looks like a token is
 * shortened too.
 *
 * @example scrubText('Unexpected token, "ghp_abc123…" is not valid JSON')
 */
export function scrubText(text: string): string {
  return text.replace(TOKENISH, (run) => (WORDISH.test(run) ? run : redactSecret(run)));
}

/** One line naming an unexpected error: its class, code and scrubbed message (shortened). */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return "non-error thrown";
  const code = (e as NodeJS.ErrnoException).code;
  const msg = scrubText(e.message.split("\n")[0] ?? "");
  return `${e.name}${code ? ` ${code}` : ""}: ${msg.length > 160 ? msg.slice(0, 157) + "…" : msg}`;
}
