/**
 * Decoders are passed in, not registered by importing a module (issue 14,
 * item 3): the engine decodes exactly when it is given decoders, and a
 * scanner decodes by default and not when told `decoders: []`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "../../src/engine/compile.js";
import { DEFAULT_DECODERS } from "../../src/engine/passes.js";
import { scanFragment } from "../../src/engine/scan.js";
import { createScanner, loadConfig } from "../../src/index.js";
import { githubToken } from "../helpers/secrets.js";

const token = githubToken(41);
const encoded = Buffer.from(`token=${token}`).toString("base64");
const text = `blob: ${encoded}\n`;

describe("decoders", () => {
  it("the engine decodes only when given decoders, though decode.js is imported in this file", () => {
    const config = loadConfig({ noConfigFile: true });
    const rs = compileRuleSet(config.rules, config.allowlists);
    expect(scanFragment(rs, { text, path: "a.yml" }).findings).toEqual([]);
    const found = scanFragment(rs, { text, path: "a.yml" }, { decoders: DEFAULT_DECODERS }).findings;
    expect(found.map((f) => [f.ruleId, f.encoding])).toEqual([["github-pat", "base64"]]);
  });

  it("a scanner decodes by default; decoders: [] turns it off; it says which it runs", () => {
    const config = loadConfig({ noConfigFile: true });
    const on = createScanner(config);
    expect(on.decoders).toEqual(DEFAULT_DECODERS);
    expect(on.scanText(text, "a.yml").map((f) => f.encoding)).toEqual(["base64"]);
    const off = createScanner(config, { decoders: [] });
    expect(off.scanText(text, "a.yml")).toEqual([]);
  });

  it("the package declares no module with side effects", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { sideEffects?: unknown };
    expect(pkg.sideEffects).toBe(false);
  });
});
