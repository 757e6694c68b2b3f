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
  // Found after decoding: the line holds the secret encoded (base64, hex, %XX), which is as
  // good as raw. Hide every encoded run that decodes to text holding the secret.
  if (f.encoding !== undefined && out.lineText !== undefined) out.lineText = redactEncoded(out.lineText, f.secret);
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

// Candidate encoded runs, each a single character class (linear time): base64 (standard or
// URL-safe, optional padding) and hex; and URL text, which counts only when it holds a %XX.
const B64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const PCT_RUN = /[A-Za-z0-9._~+%-]{16,}/g;

/** Text from one decoding of `run`, each way it could be encoded. */
function decodings(run: string): string[] {
  const out: string[] = [];
  if (/^[0-9A-Fa-f]+$/.test(run) && run.length % 2 === 0) out.push(Buffer.from(run, "hex").toString("latin1"));
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(run)) out.push(Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1"));
  if (run.includes("%")) {
    try {
      out.push(decodeURIComponent(run));
    } catch {
      // not valid percent-encoding
    }
  }
  return out;
}

/** The encoded-looking runs of `text`. */
function runsOf(text: string): string[] {
  return [...(text.match(B64_RUN) ?? []), ...(text.match(PCT_RUN) ?? []).filter((r) => r.includes("%"))];
}

/** True when `run`, decoded up to `depth` times, holds `secret`. */
function hidesSecret(run: string, secret: string, depth: number): boolean {
  for (const text of decodings(run)) {
    if (text.includes(secret)) return true;
    if (depth > 1 && runsOf(text).some((inner) => hidesSecret(inner, secret, depth - 1))) return true;
  }
  return false;
}

/** Replaces every run in `text` that decodes (up to two levels) to something holding `secret`. */
export function redactEncoded(text: string, secret: string): string {
  if (!secret || text.length > 100_000) return text;
  const hide = (run: string): string => (hidesSecret(run, secret, 2) ? redactSecret(run) : run);
  return text.replace(B64_RUN, hide).replace(PCT_RUN, (run) => (run.includes("%") ? hide(run) : run));
}
