/**
 * node:crypto for the engine's hashes (fingerprints, htpasswd's SHA-1), loaded
 * when first used instead of at start-up: the pre-commit hook pays module
 * loading on every commit (node:crypto ~5 ms here), and a clean commit hashes
 * nothing. Pure: hashing is a computation; this module loads node:crypto and
 * nothing else.
 */
import { createRequire } from "node:module";

let crypto: typeof import("node:crypto") | undefined;

/** node:crypto, loaded on the first call. */
export function nodeCrypto(): typeof import("node:crypto") {
  return (crypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto"));
}
