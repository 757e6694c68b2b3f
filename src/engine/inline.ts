/**
 * Inline allow markers: `leakguard:allow`, and for teams that migrate
 * `gitleaks:allow` and `pragma: allowlist secret` (detect-secrets). Text after
 * the marker is the reason, shown by `--show-suppressed`. Pure.
 */

/** Inline markers that suppress a finding on their line. */
export const INLINE_ALLOW = /leakguard:allow|gitleaks:allow|pragma:\s*allowlist[ -]secret/i;

/**
 * The detail for a line holding a marker: the marker, then the reason written
 * after it (comment closers and quotes trimmed), e.g.
 * `leakguard:allow: test fixture, rotated 2024-05`. `secret` is cut out of the
 * reason so the detail never carries it.
 */
export function inlineAllowDetail(line: string, secret: string): string | undefined {
  const m = INLINE_ALLOW.exec(line);
  if (!m) return undefined;
  let reason = line.slice(m.index + m[0].length);
  if (secret) reason = reason.split(secret).join("…");
  // A reason is a short note; a minified line holds no more of it than this.
  reason = reason.slice(0, 400);
  reason = reason
    .replace(/(\*\/|-->|%>|\?>|#}|}})\s*$/, "")
    .replace(/^[\s:=\-—–,;]+/, "")
    .replace(/["'`\s]+$/, "")
    .trim();
  if (reason.length > 200) reason = reason.slice(0, 199) + "…";
  const marker = m[0].toLowerCase().replace(/\s+/g, " ");
  return reason ? `${marker}: ${reason}` : marker;
}
