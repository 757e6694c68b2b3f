/**
 * Shared false-positive filters: values that match a rule's shape but are
 * placeholders, templates or documented examples. Applied to every rule unless
 * it sets `skipFilters`. Rules tagged `generic` (keyword-plus-assignment rules
 * with no distinctive prefix) also go through {@link genericReason}, which
 * rejects values that are identifiers, expressions, paths, hashes and other
 * things that are assigned to variables called `token` or `password` all day
 * long. Pure and cheap: a handful of anchored regexes per candidate.
 */

import { PLACEHOLDER_VALUES as WHOLE_VALUES, PLACEHOLDER_WORDS as WORDS, wordAlternation } from "./placeholder-words.js";

const TEMPLATE = /\$\{[^}]*\}|\{\{[^}]*\}\}|<[^<>\s]{1,60}>|%\([a-z_]+\)s|^\$[A-Z_][A-Z0-9_]*$|^%[A-Z_]+%$|^\$\([^)]{1,80}\)$|^#\{[^}]{1,80}\}$|^\{[A-Za-z_][\w.\[\]'"]{0,60}\}/i;
const PLACEHOLDER_WORDS = new RegExp(
  `(x{5,}|X{5,}|\\*{3,}|\\.{3,}|…|•{3,}|${wordAlternation(WORDS)}|your[-_ ]?(api[-_ ]?|access[-_ ]?|secret[-_ ]?|auth[-_ ]?)?(key|token|secret|password|pass)|insert[-_ ]?(your|key|token)|^(?:${wordAlternation(WHOLE_VALUES)})$)`,
  "i",
);

/**
 * Documented example credentials, published by vendors in their docs and
 * copied into countless READMEs and tests. A secret containing one is an
 * example, not a leak.
 */
const KNOWN_EXAMPLES = [
  "AKIAIOSFODNN7EXAMPLE", // AWS docs access key id
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", // AWS docs secret access key
  "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", // AWS docs secret access key (STS examples)
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", // jwt.io's default token signature
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc", // Stripe docs test key
  "sk_test_BQokikJOvBiI2HlWgH4olfQ2", // Stripe docs test key (older)
  "2YotnFZFEjr1zCsicMWpAA", // RFC 6749 example access token
  "tGzv3JOkF0XG5Qx2TlKWIA", // RFC 6749 example refresh token
  "czZCaGRSa3F0MzpnWDFmQmF0M2JW", // RFC 6749 example client credentials (s6BhdRkqt3:gX1fBat3bV)
  "gX1fBat3bV", // RFC 6749 example client secret
  "SplxlOBeZQQYbYS6WxSbIA", // RFC 6749 example authorization code
  "4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg", // PyJWT docs example signature
];

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

/** The documented example that `secret` contains, if any. */
export function knownExample(secret: string): string | undefined {
  for (const k of KNOWN_EXAMPLES) if (secret.includes(k)) return k;
  return undefined;
}

/** `Name: value` header lines of a multi-line key (PuTTY, PGP armour, PEM `Proc-Type`). */
const KEY_HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]{0,40}:[^\r\n]*(?:\r?\n|$)/gm;

/**
 * The part of `secret` that placeholder words are judged on: a multi-line key
 * without its header lines. A key's comment ("Comment: dummy-key") is a label
 * chosen by whoever generated it, not a sign that the key material is fake.
 */
function placeholderSubject(secret: string): string {
  return secret.includes("\n") ? secret.replace(KEY_HEADER_LINE, "") : secret;
}

/** Why `secret` looks like a placeholder, or undefined when it does not. */
export function placeholderReason(secret: string): string | undefined {
  if (knownExample(secret)) return "documented example";
  secret = placeholderSubject(secret);
  if (TEMPLATE.test(secret)) return "template variable";
  if (PLACEHOLDER_WORDS.test(secret)) return "placeholder word";
  // The tail after a known prefix (e.g. "sk_live_") is what carries randomness.
  const tail = secret.replace(/^[a-z]{2,8}[_-](live_|test_)?/i, "");
  if (isMonotone(tail) || isMonotone(secret)) return "repeated or sequential characters";
  if (/^(.{1,4})\1{4,}$/.test(tail)) return "repeated pattern";
  return undefined;
}

/** Lock files: integrity hashes and resolved URLs, never credentials assigned by hand. */
export const LOCK_FILE =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.ya?ml|bun\.lockb?|composer\.lock|Gemfile\.lock|Cargo\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|go\.sum|packages\.lock\.json|flake\.lock|mix\.lock|pubspec\.lock|Podfile\.lock)$/;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HASH_HEX = /^(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
const DIGEST = /^(?:sha1|sha224|sha256|sha384|sha512|md5|blake2b?|sha3-\d{3})[-:]/i;
const NUMERIC = /^[-+]?[\d.,:_/ x]+$/i;
const VERSION = /^v?\d{1,4}(?:\.\d{1,6}){1,3}(?:[-+][\w.-]{1,40})?$/;
const PATH =
  /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\|\\\\)|^[\w@.-]{1,80}(?:\/[\w@.-]{1,80}){1,30}\.[a-z][a-z0-9]{0,5}$|:\/\//i;
const ENV_LOOKUP =
  /^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|env\.|ENV\[|System\.getenv|Environment\.|getenv|config\.|settings\.|self\.|this\.|props\.|args\.|options\.|opts\.|params\.|req\.|request\.|secrets\.|vars\.|inputs\.|context\.|ctx\.)/i;
const DOTTED_IDENT = /^[A-Za-z_$][\w$]{0,80}(?:(?:\.|::|->)[A-Za-z_$][\w$]{0,80}){1,12}$/;
const CALL_OR_INDEX = /[\w$\]]\(|^[[{(]|[)\]}]$|\$[A-Za-z_{(]/;
const CONSTANT_NAME = /^[A-Z][A-Z0-9]{0,40}(?:_[A-Z0-9]{1,40}){1,12}$/;
const WORD_NUMBER = /^(?:[A-Za-z]{2,40}[-_.@!#]?\d{1,4}[!.#?]?|\d{1,4}[-_.]?[A-Za-z]{2,40})$/;
const KEBAB_SNAKE = /^[a-z]{1,30}(?:[-_.][a-z0-9]{1,30}){1,12}$/;
// Pieces are unambiguous (lookaheads stop re-splitting runs), so failing inputs cost linear time.
const CAMEL = /^[A-Za-z][a-z]{0,30}(?:[A-Z][a-z]{1,30}|[A-Z]{2,6}(?![A-Z])|[A-Z]?\d{1,4}(?!\d)){1,12}$/;
/** Words that mark a template or test value. */
const TEMPLATE_WORDS = "test|fake|dummy|mock|sample|example|placeholder|lorem|foobar|changeme|redacted|xxx|default|localhost|undefined|function|return|string";
/** The template words, and the words of secrets nobody chose (a value saying "secret", `qwerty`, `admin`). */
const GENERIC_STOPWORDS = new RegExp(`${TEMPLATE_WORDS}|secret|passw|token|apikey|api_key|qwerty|letmein|admin`, "i");

/** Key names under which hex is an identifier or a digest, not a credential. */
const HEX_IDENTIFIER_KEY = /sha|hash|checksum|digest|integrity|commit|uuid|guid|nonce|salt|(?:\b|_)ids?(?:\b|_)/i;
/** The same in camel case: `tokenId`, `secretIDs`. */
const HEX_IDENTIFIER_CAMEL = /[a-z0-9](?:Id|ID)s?(?![a-z])/;
/** Key names that say the value is a secret. */
const SECRET_KEY = /passw(?:or)?d|passphrase|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|license[_.-]?key|private[_.-]?key|credentials?/i;

/**
 * True when `key` (the text before the value: the key name and operator)
 * names a secret and no identifier or digest. Hex or a UUID under such a key
 * is an API key (Datadog, Sentry, Heroku, legacy npm tokens…), not a git SHA
 * or a record id.
 */
function secretNamedKey(key: string | undefined): boolean {
  return key !== undefined && SECRET_KEY.test(key) && !HEX_IDENTIFIER_KEY.test(key) && !HEX_IDENTIFIER_CAMEL.test(key);
}

/** Minimum entropy for a generic value of length `n`: near the maximum for short values, 3.5 from 20 characters on. */
function minGenericEntropy(n: number): number {
  return Math.min(3.5, 0.85 * Math.log2(Math.max(n, 2)));
}

function entropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1);
  let h = 0;
  for (const k of counts.values()) {
    const p = k / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * The identifier characters (letters, digits, `_`, `.`, `-`, at most 40) that
 * end at `end` in `text`: the start of a key name that a rule matched only
 * from its keyword on (`commit_token` is matched at `token`).
 */
export function namePrefix(text: string, end: number): string {
  let i = end;
  while (i > 0 && end - i < 40) {
    const c = text.charCodeAt(i - 1);
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
    if (!word) break;
    i--;
  }
  return text.slice(i, end);
}

/** True for a package manager's lock file (generic rules report nothing there). */
export function isLockFile(path: string): boolean {
  return path !== "" && LOCK_FILE.test(path);
}

/**
 * Extra filters for rules tagged `generic`: why `secret` (found at `path`,
 * after `key`, the matched text before it) is not a credential, or undefined
 * to report it. Prefers missing a weak dictionary password over flagging
 * every `token = getToken()`.
 */
export function genericReason(secret: string, path: string, key?: string): string | undefined {
  if (isLockFile(path)) return "lock file";
  const s = secret;
  if (s.length < 8) return "too short";
  if (UUID.test(s) && !secretNamedKey(key)) return "uuid";
  if (HASH_HEX.test(s) && !secretNamedKey(key)) return "hex digest (hash or git sha)";
  if (DIGEST.test(s)) return "integrity digest";
  if (NUMERIC.test(s) || VERSION.test(s)) return "number or version";
  if (PATH.test(s)) return "path or url";
  if (ENV_LOOKUP.test(s) || DOTTED_IDENT.test(s)) return "variable reference";
  if (CALL_OR_INDEX.test(s)) return "expression";
  // Identifier checks also on the core without up to 3 punctuation characters at
  // either end ("?InterpolationInJSX", "--color-primary", "@scope/pkg-name!").
  const core = s.replace(/^[^A-Za-z0-9]{1,3}|[^A-Za-z0-9]{1,3}$/g, "");
  for (const v of core === s ? [s] : [s, core]) {
    if (WORD_NUMBER.test(v)) return "word plus number";
    if (CONSTANT_NAME.test(v) || KEBAB_SNAKE.test(v) || CAMEL.test(v)) return "identifier";
    if (!/[0-9]/.test(v) && !/[^A-Za-z0-9_.\-/ ]/.test(v)) return "no digit or symbol";
  }
  if (GENERIC_STOPWORDS.test(s)) return "stopword";
  if (/^[a-z0-9]{8,16}$/.test(s)) return "short lower-case alphanumeric";
  // Base64 of a placeholder ("not my real password") is still a placeholder.
  if (s.length >= 12 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
    const dec = Buffer.from(s, "base64").toString("latin1");
    if (/^[\x20-\x7e]+$/.test(dec) && (GENERIC_STOPWORDS.test(dec) || PLACEHOLDER_WORDS.test(dec) || /\s/.test(dec))) {
      return "base64 of a placeholder";
    }
  }
  if (entropy(s) < minGenericEntropy(s.length)) return "low entropy";
  return undefined;
}

/**
 * Reasons of {@link genericReason} that say a value is a real but weak value,
 * not that it is no value at all: in audit mode these are reported, and for a
 * password in a config file they only lower the confidence.
 */
const WEAKNESS = new Set(["word plus number", "short lower-case alphanumeric", "low entropy"]);

/** Reasons that say a candidate is code or a vendor's published example, not a literal secret: dropped even in audit mode. */
const NOT_A_VALUE = new Set(["documented example", "template variable", "variable reference", "expression", "lock file", "path or url"]);

/** True when the filter reason `detail` means "this is not a value" rather than "this value looks fake or weak". */
export function notAValue(detail: string): boolean {
  return NOT_A_VALUE.has(detail);
}

/** Config files where `password = value` is a setting, not code: .env, YAML, INI, properties, JSON, TOML. */
export const CONFIG_FILE =
  /(?:^|\/)(?:\.env(?:\.[\w.-]{1,30})?|[\w.-]{1,80}\.(?:env|properties|ini|cfg|conf|ya?ml|toml|json))$/i;

/**
 * Code and scripts that are configuration all the same: settings.py,
 * config/database.php, wp-config.php, Terraform, Dockerfiles, shell scripts.
 * A weak password there was typed in by someone, as in a .env file.
 */
const CONFIG_CODE =
  /(?:^|\/)(?:(?:local_)?settings|config|configuration|secrets?|wp-config)\.(?:py|rb|php|js|cjs|mjs|ts|exs?|groovy|gradle)$|(?:^|\/)config\/[\w.-]{1,80}\.(?:php|rb|exs?)$|\.(?:tf|tfvars|hcl|sh|bash|zsh|envrc|ps1)$|(?:^|\/)(?:[\w.-]{0,80}\.)?(?:dockerfile|containerfile)(?:\.[\w.-]{1,40})?$/i;

/** A key name that says password (not token, not key). */
const PASSWORD_KEY = /pass(?:w(?:or)?d|phrase)|pwd/i;

/** Stopwords that mark a template or test value even inside a weak password (`test1234`, `example99`). */
const TEMPLATE_STOPWORDS = new RegExp(TEMPLATE_WORDS, "i");

/**
 * Upper case, lower case, a digit and a symbol: a password chosen to pass a
 * password policy (`Password2019!`, `Qwerty1994?`), not a template default
 * (`password123`, `admin123`, `secret99`).
 */
function policyShaped(secret: string): boolean {
  return /[A-Z]/.test(secret) && /[a-z]/.test(secret) && /[0-9]/.test(secret) && /[^A-Za-z0-9]/.test(secret);
}

/**
 * True when a generic candidate rejected for `detail` is nonetheless a real,
 * weak password: a password-named key (`key`, the text before the value) in a
 * config file at `path` (or code that is configuration: settings.py,
 * Terraform, Dockerfiles, shell scripts), whose value is weak (word plus
 * number, low entropy, a dictionary word chosen to pass a policy) but neither
 * a placeholder nor a template default. `Summer2024!` and `Password2019!` are
 * passwords someone chose; they are reported at low confidence instead of
 * dropped, while `password123` stays a template default.
 */
export function weakPassword(secret: string, detail: string, key: string, path: string): boolean {
  if (!(WEAKNESS.has(detail) || detail === "stopword") || LOCK_FILE.test(path)) return false;
  if (!CONFIG_FILE.test(path) && !CONFIG_CODE.test(path)) return false;
  if (!PASSWORD_KEY.test(key) || TEMPLATE_STOPWORDS.test(secret)) return false;
  if (GENERIC_STOPWORDS.test(secret) && !policyShaped(secret)) return false;
  return secret.length >= 8 && /[0-9]/.test(secret) && /[A-Za-z]/.test(secret);
}
