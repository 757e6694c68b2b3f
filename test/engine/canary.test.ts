import { describe, expect, it } from "vitest";
import { awsAccountFromKeyId, canaryOf, CANARY_NOTE } from "../../src/engine/canary.js";
import { compileRuleSet } from "../../src/engine/compile.js";
import { scanFragment } from "../../src/engine/scan.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Builds a new-generation key id that encodes `account` (the inverse of the decoder). */
function keyIdFor(account: string, prefix = "AKIA", seed = 7): string {
  // 80 bits. The first 48 hold: top bit 0, the 40-bit account, 7 low bits (arbitrary here).
  const first48 = (BigInt(account) << 7n) | 0x5an;
  let x = (first48 << 32n) | BigInt((seed * 2654435761) >>> 0); // then 32 arbitrary bits
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = B32[Number(x & 31n)]! + out;
    x >>= 5n;
  }
  return prefix + out;
}

describe("aws account from key id", () => {
  it("decodes the published example (Aidan Steele / Tal Be'ery)", () => {
    expect(awsAccountFromKeyId(["ASIA", "Y34FZKBOKMUTVV7A"].join(""))).toBe("609629065308");
  });
  it("round-trips constructed keys", () => {
    for (const acct of ["123456789012", "000000000042", "999999999999", "052310077262"]) {
      const id = keyIdFor(acct);
      expect(id).toMatch(/^AKIA[A-Z2-7]{16}$/);
      expect(awsAccountFromKeyId(id)).toBe(acct);
    }
  });
  it("refuses what is not a key id", () => {
    expect(awsAccountFromKeyId("AKIA" + "1234")).toBeUndefined();
    expect(awsAccountFromKeyId("AKIA" + "0".repeat(16))).toBeUndefined();
  });
  it("knows canary accounts and only those", () => {
    expect(canaryOf(keyIdFor("052310077262"))?.issuer).toBe("canarytokens.org");
    expect(canaryOf(keyIdFor("982842642351"))?.issuer).toBe("canarytokens.org-style");
    expect(canaryOf(keyIdFor("123456789012"))).toBeUndefined();
  });
});

describe("canary findings", () => {
  const rs = compileRuleSet(readRuleFiles());
  it("tags an AWS key id of a canary account and says so in the title", () => {
    const id = keyIdFor("171436882533", "AKIA", 99);
    const { findings } = scanFragment(rs, { text: `aws_access_key_id = ${id}\n`, path: "creds" });
    const f = findings.find((x) => x.ruleId === "aws-access-key-id");
    expect(f).toBeDefined();
    expect(f!.tags).toContain("canary");
    expect(f!.title).toContain(CANARY_NOTE);
  });
  it("leaves ordinary keys alone", () => {
    const id = keyIdFor("123456789012", "AKIA", 5);
    const { findings } = scanFragment(rs, { text: `aws_access_key_id = ${id}\n`, path: "creds" });
    const f = findings.find((x) => x.ruleId === "aws-access-key-id");
    expect(f).toBeDefined();
    expect(f!.tags).not.toContain("canary");
  });
});
