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

/** True when `s` has the shape {@link redactSecret} gives (at most 4 characters and `…`): a value that claims to be redacted and is not gets redacted again. */
export function isRedacted(s: string): boolean {
  return s.endsWith("…") && [...s].length <= 5;
}

/** Replaces every occurrence of `secret` in `text` with its redacted form. */
export function redactIn(text: string, secret: string): string {
  if (!secret || !text) return text;
  const r = redactSecret(secret);
  // Also hide any 16+ char fragment of a long secret, e.g. a secret split by a line wrap.
  return text.split(secret).join(r);
}

/**
 * A copy of `f` that is safe to print: secret, match, lineText, message, and
 * the file, location, author and email it names are redacted (the secret
 * and, for a decoded one, its encoded form), and the raw encoded form is left
 * out. With `show` true the finding is returned as is.
 *
 * Only `f`'s own secret is known here: a report with several secrets on one
 * line must go through {@link SecretRedactor} (see report/index.ts, which does).
 */
export function redactFinding(f: Finding, show = false): Finding {
  if (show) return f;
  return redactFindingWith(f, new SecretRedactor([]));
}

/**
 * A secret long enough to be redacted inside a path, a location or an
 * author: a short one (a password such as `secret`) would cut words out of
 * paths and rule ids (`generic-s…-assignment`).
 */
export const MIN_PLACE_SECRET = 12;

/** {@link redactFinding} against `f`'s own secret and every secret `known` holds; names (file, location, author, email) against `places` (default: the secrets of `known` and `f` of {@link MIN_PLACE_SECRET} characters or more). */
export function redactFindingWith(f: Finding, known: SecretRedactor, places?: SecretRedactor): Finding {
  const own = f.encodedSecret !== undefined ? [f.secret, f.encodedSecret] : [f.secret];
  const { encodedSecret: _form, ...rest } = f;
  const out: Finding = { ...rest, secret: redactSecret(f.secret), match: known.redact(f.match, own) };
  if (f.lineText !== undefined) out.lineText = known.redact(f.lineText, own);
  if (f.message !== undefined) out.message = known.redact(f.message, own);
  // A path or an author can hold a secret too (a key saved under its own name). The location's file part
  // alone: the rule id and line stay as they are.
  const names = places ?? known.longOnes(MIN_PLACE_SECRET);
  const ownLong = own.filter((x) => x.length >= MIN_PLACE_SECRET);
  out.file = names.redact(f.file, ownLong);
  if (out.file !== f.file) out.location = f.location.replace(f.file, out.file);
  if (f.author !== undefined) out.author = names.redact(f.author, ownLong);
  if (f.email !== undefined) out.email = names.redact(f.email, ownLong);
  return out;
}

/** Shortest secret redacted wherever it stands in a report; a shorter one only in its own finding's fields. */
const MIN_SHARED = 6;
/** Secrets of this length or more are looked up by a 12-character key at either end. */
const LONG = 12;
/** The pair tables of a redactor that knows no secret yet (never read: see SecretRedactor.spans). */
const NO_PAIRS = new Uint8Array(0);

/**
 * Every secret a report knows, redacted at once wherever it stands in a text:
 * a line may hold several secrets (one reported, one suppressed by the
 * baseline), a commit message attached to a finding may hold another one.
 * Occurrences that overlap are merged and redacted as one run, so no part of
 * either survives; so is every base64, hex or %XX run that decodes (up to two
 * levels) to text holding a known secret. A multi-line secret (PEM) counts
 * each of its lines too, since a text may hold it only partly.
 *
 * Lookup: each text position's next 12 characters are looked up among the
 * secrets' first 12 and among their last 12 (each secret is filed under
 * whichever end is rarer so far: tokens of one kind share a prefix such as
 * `ghp_` or a JWT header, but rarely an ending), and the next 6 among the
 * short secrets'. The cost per text is linear, whatever the number of
 * secrets. Pure.
 *
 * @example
 *   const r = new SecretRedactor([keyId, keySecret]);
 *   r.redact(`AWS_ACCESS_KEY_ID=${keyId} AWS_SECRET_ACCESS_KEY=${keySecret}`);
 */
export class SecretRedactor {
  /** Long secrets by their first LONG characters. */
  private readonly byHead = new Map<string, string[]>();
  /** Long secrets by their last LONG characters. */
  private readonly byTail = new Map<string, string[]>();
  /** Secrets shorter than LONG by their first MIN_SHARED characters. */
  private readonly short = new Map<string, string[]>();
  private readonly seen = new Set<string>();
  // Which two-character starts each map's keys have (low byte of each code): most text
  // positions are ruled out without building a key. Made with the first secret: a clean
  // run's redactor knows none, and 192 KB of fresh tables cost the pre-commit hook ~50
  // pages of memory first touched (read only once a secret is known: see spans).
  private headPairs = NO_PAIRS;
  private tailPairs = NO_PAIRS;
  private shortPairs = NO_PAIRS;

  constructor(secrets: Iterable<string>) {
    for (const s of secrets) this.add(s);
  }

  /** Adds a secret (and each line of a multi-line one); shorter than 6 characters is ignored. */
  add(secret: string): void {
    for (const s of searchForms(secret)) {
      if (s.length < MIN_SHARED || this.seen.has(s)) continue;
      if (this.seen.size === 0) {
        this.headPairs = new Uint8Array(65536);
        this.tailPairs = new Uint8Array(65536);
        this.shortPairs = new Uint8Array(65536);
      }
      this.seen.add(s);
      if (s.length < LONG) {
        file(this.short, s.slice(0, MIN_SHARED), s);
        this.shortPairs[pair(s, 0)] = 1;
        continue;
      }
      const head = s.slice(0, LONG);
      const tail = s.slice(-LONG);
      if ((this.byHead.get(head)?.length ?? 0) <= (this.byTail.get(tail)?.length ?? 0)) {
        file(this.byHead, head, s);
        this.headPairs[pair(s, 0)] = 1;
      } else {
        file(this.byTail, tail, s);
        this.tailPairs[pair(s, s.length - LONG)] = 1;
      }
    }
  }

  /** A redactor of the known secrets of `min` characters or more (made once per redactor and length). */
  longOnes(min: number): SecretRedactor {
    let r = this.long.get(min);
    if (r === undefined) {
      r = new SecretRedactor([...this.seen].filter((s) => s.length >= min));
      this.long.set(min, r);
    }
    return r;
  }

  private readonly long = new Map<number, SecretRedactor>();

  /** How many distinct secrets (and secret lines) are known. */
  get count(): number {
    return this.seen.size;
  }

  /** `text` with every known secret, every one of `extra`, and every encoded form of them redacted. */
  redact(text: string, extra: readonly string[] = []): string {
    if (!text) return text;
    const own = extra.flatMap((s) => (s ? searchForms(s) : []));
    let out = replaceSpans(text, this.spans(text, own));
    if (this.seen.size > 0 || own.length > 0) out = this.redactEncodedRuns(out, own);
    return out;
  }

  /** True when `text` holds a known secret or one of `extra`. */
  private holds(text: string, extra: readonly string[]): boolean {
    return this.spans(text, extra, true).length > 0;
  }

  /** [start, end) of every occurrence of a known secret or of `extra` in `text` (the first only, with `firstOnly`). */
  private spans(text: string, extra: readonly string[], firstOnly = false): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const s of extra) {
      for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
        out.push([i, i + s.length]);
        if (firstOnly) return out;
      }
    }
    if (this.seen.size === 0) return out;
    const n = text.length;
    for (let i = 0; i + MIN_SHARED <= n; i++) {
      const p = pair(text, i);
      if (this.shortPairs[p] === 1) {
        for (const s of this.short.get(text.slice(i, i + MIN_SHARED)) ?? NONE) {
          if (text.startsWith(s, i)) {
            out.push([i, i + s.length]);
            if (firstOnly) return out;
          }
        }
      }
      if (i + LONG > n || (this.headPairs[p] === 0 && this.tailPairs[p] === 0)) continue;
      const key = text.slice(i, i + LONG);
      for (const s of this.byHead.get(key) ?? NONE) {
        if (text.startsWith(s, i)) {
          out.push([i, i + s.length]);
          if (firstOnly) return out;
        }
      }
      // Filed by its ending: the key is the last LONG characters of an occurrence ending at i + LONG.
      for (const s of this.byTail.get(key) ?? NONE) {
        const at = i + LONG - s.length;
        if (at >= 0 && text.startsWith(s, at)) {
          out.push([at, at + s.length]);
          if (firstOnly) return out;
        }
      }
    }
    return out;
  }

  /**
   * Replaces every run in `text` that decodes (up to two levels) to something
   * holding a known secret. A text too long to check so (a commit message of a
   * megabyte) is not shown at all: printing it unchecked could print a secret.
   */
  private redactEncodedRuns(text: string, extra: readonly string[]): string {
    if (text.length > MAX_CHECKED) return `[${text.length} characters not shown: too long to check for encoded secrets]`;
    const hide = (run: string): string => (this.hidden(run, extra, 2) ? redactSecret(run) : run);
    return text.replace(B64_RUN, hide).replace(PCT_RUN, (run) => (run.includes("%") ? hide(run) : run));
  }

  /** True when `run`, decoded up to `depth` times, holds a known secret. */
  private hidden(run: string, extra: readonly string[], depth: number): boolean {
    for (const t of decodings(run)) {
      if (this.holds(t, extra)) return true;
      if (depth > 1 && runsOf(t).some((inner) => this.hidden(inner, extra, depth - 1))) return true;
    }
    return false;
  }
}

const NONE: readonly string[] = [];

/** Longest text whose encoded runs are checked (a linear pass, but one per finding that carries the text). */
export const MAX_CHECKED = 1_000_000;

/** The two characters at `i` as one 16-bit number (low byte of each). */
function pair(s: string, i: number): number {
  return ((s.charCodeAt(i) & 0xff) << 8) | (s.charCodeAt(i + 1) & 0xff);
}

/** Files `s` under `key`. */
function file(map: Map<string, string[]>, key: string, s: string): void {
  const b = map.get(key);
  if (b) b.push(s);
  else map.set(key, [s]);
}

/** A secret as searched for: itself, plus each line (8+ characters) of a multi-line one. */
function searchForms(secret: string): string[] {
  if (!secret.includes("\n") && !secret.includes("\r")) return [secret];
  return [secret, ...secret.split(/\r?\n|\r/).filter((p) => p.length >= 8)];
}

/** `text` with each run covered by `spans` (merged where they overlap or touch) redacted as one. */
function replaceSpans(text: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = "";
  let at = 0;
  let i = 0;
  while (i < spans.length) {
    const start = spans[i]![0];
    let end = spans[i]![1];
    for (i++; i < spans.length && spans[i]![0] <= end; i++) end = Math.max(end, spans[i]![1]);
    out += text.slice(at, start) + redactSecret(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
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
