/**
 * Redaction: the only way a secret reaches an output. Pure.
 */
import type { Finding } from "./types.js";

/** A short prefix and `…`: enough to recognise, too little to use. */
export function redactSecret(secret: string): string {
  if (secret.length === 0) return "";
  // Reveal at most 4 chars, and never more than a quarter of the secret.
  const show = Math.min(4, Math.floor(secret.length / 4));
  return secret.slice(0, show) + "…";
}

/** Replaces every occurrence of `secret` in `text` with its redacted form. */
export function redactIn(text: string, secret: string): string {
  if (!secret || !text) return text;
  const r = redactSecret(secret);
  // Also hide any 16+ char fragment of a long secret, e.g. a secret split by a line wrap.
  return text.split(secret).join(r);
}

/**
 * A copy of `f` that is safe to print: secret, match, lineText and message are
 * redacted. With `show` true the finding is returned as is.
 */
export function redactFinding(f: Finding, show = false): Finding {
  if (show) return f;
  const out: Finding = { ...f, secret: redactSecret(f.secret), match: redactIn(f.match, f.secret) };
  if (f.lineText !== undefined) out.lineText = redactIn(f.lineText, f.secret);
  if (f.message !== undefined) out.message = redactIn(f.message, f.secret);
  // A multi-line secret (PEM) may appear in match only partly; hide each of its lines.
  if (f.secret.includes("\n")) {
    for (const part of f.secret.split(/\r?\n/)) {
      if (part.length >= 8) {
        out.match = redactIn(out.match, part);
        if (out.lineText !== undefined) out.lineText = redactIn(out.lineText, part);
      }
    }
  }
  return out;
}
