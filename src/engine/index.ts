/**
 * The pure scanning engine.
 *
 * Role: text and rules in, findings out. Inputs are {@link Fragment}s (text plus
 * provenance) and a {@link CompiledRuleSet}; outputs are {@link Finding}s and the
 * candidates that were suppressed, with why. No module below this folder reads
 * files, runs git or touches the process: adapters in `src/sources/` do that.
 *
 * @example
 *   import { compileRuleSet, scanFragment } from "./engine/index.js";
 *   const rs = compileRuleSet(ruleDefs);
 *   const { findings } = scanFragment(rs, { text: "key = AKIA…", path: "a.env" });
 */
export * from "./types.js";
export { compileRuleSet, compileRule, RuleError, type CompiledRule, type CompiledRuleSet } from "./compile.js";
export { scanFragment, collectMatches, INLINE_ALLOW, type EngineOptions, type EngineResult, type RawMatch, type Decoder, type DecoderContext, type ExtraPass } from "./scan.js";
export { fingerprintOf, valueFingerprintOf, DEFAULT_SALT } from "./fingerprint.js";
export { redactFinding, redactSecret, redactIn } from "./redact.js";
export { shannonEntropy } from "./entropy.js";
export { LineIndex } from "./lines.js";
export { translateRegex, compileRuleRegex, RegexSyntaxError } from "./regex.js";
export { placeholderReason } from "./filters.js";
export { VALIDATORS } from "./validators.js";
export { awsAccountFromKeyId, canaryOf, canaryIssuer, CANARY_NOTE, type CanaryInfo } from "./canary.js";
export { genericReason, knownExample, LOCK_FILE } from "./filters.js";
export { decodePass, findEncodedSegments, type DecodedSegment } from "./decode.js";
export { PARSERS, type CredentialField, type CredentialParser } from "./credfiles/registry.js";
export { credentialFilePass } from "./credfiles/pass.js";
export { DEFAULT_DECODERS, workerDecoders } from "./passes.js";
