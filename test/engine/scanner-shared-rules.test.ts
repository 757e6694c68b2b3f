/**
 * Scanners made from the built-in rules share one compiled rule set per
 * process; any other config (allowlists, custom or changed rules) compiles its
 * own. Sharing must not carry state from one scan or scanner to the next.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, type ResolvedConfig } from "../../src/config/load.js";
import { createScanner } from "../../src/core/scanner.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

afterAll(removeTempFolders);

const builtin = (): ResolvedConfig => loadConfig({ root: tempFolder({}, "lg-shared-") });

describe("compiled built-in rules", () => {
  it("are shared by scanners of the built-in config, and scans stay independent", () => {
    const a = createScanner(builtin(), { salt: "a" });
    const b = createScanner(builtin(), { salt: "b", minConfidence: "low" });
    expect(b.ruleSet).toBe(a.ruleSet);
    const text = `token = "${githubToken(3)}"\nid = ${awsKeyId(4)}\n`;
    const first = a.scanText(text, "one.env");
    // A scan by another scanner in between leaves nothing behind for the next.
    b.scanText(`x = "${githubToken(5)}"`, "two.env");
    expect(a.scanText(text, "one.env")).toEqual(first);
    expect(first.map((f) => f.ruleId).sort()).toEqual(["aws-access-key-id", "github-pat"].sort());
    // Salts differ per scanner although the rules are shared.
    expect(b.scanText(text, "one.env").map((f) => f.fingerprint)).not.toEqual(first.map((f) => f.fingerprint));
  });

  it("are not used for a config with allowlists or its own rules", () => {
    const base = builtin();
    const shared = createScanner(base).ruleSet;
    expect(createScanner({ ...base, allowlists: [{ regexes: ["^never$"] }] }).ruleSet).not.toBe(shared);
    expect(createScanner({ ...base, rules: base.rules.slice(1) }).ruleSet).not.toBe(shared);
  });
});
