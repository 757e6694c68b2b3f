/**
 * The derived views every scanner runs after the direct pass, in order:
 * decoding (base64, hex, percent; decode.ts) and credential files parsed by
 * rules that name a parser (.pgpass, .netrc, …; credfiles/pass.ts). Handed
 * to the engine in `EngineOptions.decoders`, never registered by importing a
 * module, so what a scan finds depends only on its arguments. Pure.
 */
import { credentialFilePass } from "./credfiles/pass.js";
import { decodePass } from "./decode.js";
import type { Decoder } from "./scan.js";

/** The passes every scanner runs by default (see ScannerOptions.decoders). */
export const DEFAULT_DECODERS: readonly Decoder[] = Object.freeze([decodePass, credentialFilePass]);

/**
 * How a worker thread can rebuild `decoders` (functions cannot cross threads):
 * `true` for the defaults, `false` for none, undefined for anything else.
 */
export function workerDecoders(decoders: readonly Decoder[]): boolean | undefined {
  if (decoders.length === 0) return false;
  return decoders.length === DEFAULT_DECODERS.length && decoders.every((d, i) => d === DEFAULT_DECODERS[i]) ? true : undefined;
}
