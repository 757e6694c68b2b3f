/**
 * Shared false-positive filters: values that match a rule's shape but are
 * placeholders, templates or documented examples. Applied to every rule unless
 * it sets `skipFilters`. Pure.
 */

const TEMPLATE = /\$\{[^}]*\}|\{\{[^}]*\}\}|<[^<>\s]{1,60}>|%\([a-z_]+\)s|^\$[A-Z_][A-Z0-9_]*$|^%[A-Z_]+%$/i;
const PLACEHOLDER_WORDS =
  /(x{5,}|\*{4,}|\.{4,}|changeme|change_me|replace[-_]?me|your[-_ ]?(api[-_ ]?)?(key|token|secret|password)|placeholder|redacted|dummy|example|sample|insert[-_ ]?(your|key|token))/i;

/** True when every character is the same, or the string is an ascending/descending run. */
function isMonotone(s: string): boolean {
  if (s.length < 4) return false;
  let same = true;
  let up = true;
  let down = true;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (d !== 0) same = false;
    if (d !== 1) up = false;
    if (d !== -1) down = false;
  }
  return same || up || down;
}

/** Why `secret` looks like a placeholder, or undefined when it does not. */
export function placeholderReason(secret: string): string | undefined {
  if (TEMPLATE.test(secret)) return "template variable";
  if (PLACEHOLDER_WORDS.test(secret)) return "placeholder word";
  // The tail after a known prefix (e.g. "sk_live_") is what carries randomness.
  const tail = secret.replace(/^[a-z]{2,8}[_-](live_|test_)?/i, "");
  if (isMonotone(tail) || isMonotone(secret)) return "repeated or sequential characters";
  if (/^(.{1,4})\1{4,}$/.test(tail)) return "repeated pattern";
  return undefined;
}
