/**
 * Which key the fingerprints of a scan are made with: the one place that
 * decides it, for every command and library function.
 *
 * In order, the first that is set wins:
 * 1. an explicit `salt` (library option; the history workers pass the parent's on);
 * 2. a private key: the `fingerprintKey` option, else `LEAKGUARD_FINGERPRINT_KEY`
 *    in the environment (an empty value counts as unset);
 * 3. `salt = "…"` in the configuration file;
 * 4. the repository's root commit id (the same in every clone);
 * 5. a fixed default (plain folders, stdin).
 *
 * What each protects: every salt stops a dictionary of weak secrets from being
 * hashed once and matched against every repository. Only the private key
 * stops someone who holds the repository and a report, baseline or ignore
 * file from testing guesses offline: the root commit id and a config salt are
 * public to anyone who can clone. The key itself is never printed: reports and
 * baselines carry at most its key id, a short HMAC of a constant under it.
 *
 * @example
 *   const fp = await resolveFingerprintSalt({ root: "/repo", configSalt: config.salt });
 *   createScanner(config, { fingerprint: fp });
 */
import { inspect } from "node:util";
import { DEFAULT_SALT, fingerprintOf } from "../engine/fingerprint.js";
import { rootCommitSalt } from "../git/repo.js";
import { nodeCrypto } from "../engine/hashing.js";

/** The environment variable holding the private fingerprint key. */
export const FINGERPRINT_KEY_ENV = "LEAKGUARD_FINGERPRINT_KEY";

/** Where the salt of a scan came from. */
export type SaltKind = "salt" | "key" | "config" | "repository" | "default";

/** The decided salt. `value` is secret when `kind` is `key`: never print it. */
export interface FingerprintSalt {
  readonly kind: SaltKind;
  /** The HMAC salt handed to the engine. */
  readonly value: string;
  /** Non-secret id of the private key (`kind: "key"` only): 8 hex digits of HMAC(key, "leakguard-key-id"). */
  readonly keyId?: string;
  /** The salt check stored in baselines: a short HMAC of a constant under the salt. */
  readonly saltId: string;
}

/** What {@link decideSalt} chooses from. */
export interface SaltInputs {
  /** Explicit salt: wins over everything. */
  salt?: string | undefined;
  /** Private key; default: `LEAKGUARD_FINGERPRINT_KEY` in `env`. */
  fingerprintKey?: string | undefined;
  /** Environment to read the key from (default: process.env). */
  env?: NodeJS.ProcessEnv | undefined;
  /** `salt` from the configuration file. */
  configSalt?: string | undefined;
  /** The repository's root commit id, when known. */
  repoSalt?: string | undefined;
}

/** The non-secret id of a private key. */
export function keyIdOf(key: string): string {
  return nodeCrypto().createHmac("sha256", key).update("leakguard-key-id").digest("hex").slice(0, 8);
}

/** The salt check stored in a baseline (same value as before keys existed). */
export function saltIdOf(salt: string | undefined): string {
  return fingerprintOf("leakguard-salt-id", "", salt).slice(0, 16);
}

/** The private key from the options or the environment; undefined when unset or empty. */
export function fingerprintKeyOf(inputs: Pick<SaltInputs, "fingerprintKey" | "env">): string | undefined {
  const k = inputs.fingerprintKey ?? (inputs.env ?? process.env)[FINGERPRINT_KEY_ENV];
  return k ? k : undefined;
}

/** Defines `name` on `o` as a value worked out when first read (then kept, read-only). */
function lazyField(o: object, name: string, get: () => string): void {
  Object.defineProperty(o, name, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = get();
      Object.defineProperty(o, name, { value, enumerable: true });
      return value;
    },
  });
}

/**
 * Builds a salt record; its value is hidden from JSON and util.inspect so a
 * stray log cannot print a key. The ids are HMACs worked out when first read:
 * a clean pre-commit run reads neither (and so never loads node:crypto).
 */
function saltRecord(kind: SaltKind, value: string): FingerprintSalt {
  const rec: { kind: SaltKind } = { kind };
  lazyField(rec, "saltId", () => saltIdOf(value));
  if (kind === "key") lazyField(rec, "keyId", () => keyIdOf(value));
  const shown = (): object => ({ ...rec });
  return Object.defineProperties(rec, {
    value: { value, enumerable: false },
    toJSON: { value: shown, enumerable: false },
    [inspect.custom]: { value: shown, enumerable: false },
  }) as unknown as FingerprintSalt;
}

/** Decides the salt from what is known (see the module header for the order). Pure but for reading `process.env` by default. */
export function decideSalt(inputs: SaltInputs = {}): FingerprintSalt {
  if (inputs.salt !== undefined) return saltRecord("salt", inputs.salt);
  const key = fingerprintKeyOf(inputs);
  if (key !== undefined) return saltRecord("key", key);
  if (inputs.configSalt !== undefined) return saltRecord("config", inputs.configSalt);
  if (inputs.repoSalt !== undefined) return saltRecord("repository", inputs.repoSalt);
  return saltRecord("default", DEFAULT_SALT);
}

/** True when the decision would fall through to the repository's root commit (nothing stronger is set). */
function needsRepoSalt(inputs: SaltInputs): boolean {
  return inputs.salt === undefined && fingerprintKeyOf(inputs) === undefined && inputs.configSalt === undefined && inputs.repoSalt === undefined;
}

/**
 * The salt decision of one scan, made lazily: {@link SaltPlan.initial} is
 * what is known without git; {@link SaltPlan.final} asks git for the
 * repository's root commit only when that is what decides, and at most once.
 * A scan asks for the final salt only when a fingerprint is needed (a finding
 * exists, a baseline is applied or written), so a clean pre-commit hook never
 * walks the history.
 */
export interface SaltPlan {
  /** The decision without the repository: final unless {@link SaltPlan.pending}. */
  readonly initial: FingerprintSalt;
  /** True when the root commit of the repository may still decide (nothing stronger is set). */
  readonly pending: boolean;
  /** The decided salt (asks git at most once, and only when pending). */
  final(): Promise<FingerprintSalt>;
  /**
   * With a private key: the salt the repository uses without it (the config's
   * salt, else the root commit, else the default), which ignore entries and
   * baselines written before the key carry. Undefined when the salt is not a key.
   */
  withoutKey(): Promise<FingerprintSalt | undefined>;
}

/**
 * Plans the salt of a scan of `repository` (none: a plain folder or a string,
 * whose last resort is the default salt). `asked` is `repository`'s root
 * commit when the caller started asking git for it already (rootCommitSalt):
 * taken when the root commit decides (the caller may stop it otherwise).
 */
export function planSalt(inputs: SaltInputs, repository?: string, asked?: Promise<string | undefined>): SaltPlan {
  const initial = decideSalt(inputs);
  let rootCommit: Promise<string | undefined> | undefined;
  const repoSalt = (): Promise<string | undefined> =>
    (rootCommit ??= inputs.repoSalt !== undefined || repository === undefined ? Promise.resolve(inputs.repoSalt) : ((pending ? asked : undefined) ?? rootCommitSalt(repository)));
  const pending = needsRepoSalt(inputs) && repository !== undefined;
  let decided: Promise<FingerprintSalt> | undefined;
  let unkeyed: Promise<FingerprintSalt | undefined> | undefined;
  return {
    initial,
    pending,
    final: () => (decided ??= pending ? repoSalt().then((r) => decideSalt({ ...inputs, repoSalt: r })) : Promise.resolve(initial)),
    withoutKey: () =>
      (unkeyed ??=
        initial.kind !== "key"
          ? Promise.resolve(undefined)
          : inputs.configSalt !== undefined
            ? Promise.resolve(decideSalt({ configSalt: inputs.configSalt, env: {} }))
            : repoSalt().then((r) => decideSalt({ repoSalt: r, env: {} }))),
  };
}

/**
 * {@link decideSalt} for a scan rooted at `root`: asks git for the root
 * commit only when nothing stronger is set (see {@link planSalt}).
 */
export function resolveFingerprintSalt(inputs: SaltInputs & { root?: string | undefined }): Promise<FingerprintSalt> {
  return planSalt(inputs, inputs.root).final();
}

/** How a salt is named in warnings (never its value). */
export function describeSalt(s: { kind: SaltKind; keyId?: string | undefined }): string {
  switch (s.kind) {
    case "key":
      return `${FINGERPRINT_KEY_ENV} (key id ${s.keyId ?? "?"})`;
    case "config":
      return "the config file's salt";
    case "repository":
      return "the repository salt (root commit)";
    case "default":
      return "the default salt";
    default:
      return "an explicit salt";
  }
}
