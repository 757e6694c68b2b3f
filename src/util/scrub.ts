/**
 * Error text that is safe to print. Messages of unexpected errors can quote
 * the input they choked on (Node's JSON.parse does: `"AKIA…" is not valid
 * JSON`), and that input may be a secret. Pure.
 */
import { redactSecret } from "../engine/redact.js";

// A run of token characters long enough to be a credential, holding a letter and a digit.
const TOKENISH = /[A-Za-z0-9_+=\-]{12,}/g;
const HAS_LETTER = /[A-Za-z]/;
const HAS_DIGIT = /[0-9]/;

/**
 * Redacts everything in `text` that looks like a credential: runs of 12 or
 * more token characters that mix letters and digits keep a short prefix and
 * `…`. Words and most paths survive, so the message stays useful.
 *
 * @example scrubText('Unexpected token, "ghp_abc123…" is not valid JSON')
 */
export function scrubText(text: string): string {
  return text.replace(TOKENISH, (run) => (HAS_LETTER.test(run) && HAS_DIGIT.test(run) ? redactSecret(run) : run));
}

/** One line naming an unexpected error: its class, code and scrubbed message (shortened). */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return "non-error thrown";
  const code = (e as NodeJS.ErrnoException).code;
  const msg = scrubText(e.message.split("\n")[0] ?? "");
  return `${e.name}${code ? ` ${code}` : ""}: ${msg.length > 160 ? msg.slice(0, 157) + "…" : msg}`;
}
