/**
 * The generic-family rules on adversarial inputs (the attack shapes a ReDoS
 * checker reports for bounded repetitions): each must scan ~200 KB of such
 * text and finish. Bounded repetitions keep the cost at most k·n with k <= 16384.
 * No assertion on elapsed time (shared machines are noisy): a catastrophic
 * regression shows as the test's timeout, and growth with input size is
 * judged by `npm run bench:hostile`.
 */
import { describe, expect, it } from "vitest";
import { compileRuleSet, DEFAULT_DECODERS, scanFragment } from "../../src/engine/index.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";

const rs = compileRuleSet(readRuleFiles());
const N = 200_000;
const rep = (s: string): string => s.repeat(Math.ceil(N / s.length)).slice(0, N);

const attacks: Record<string, string> = {
  jdbc: rep("JDBC:"),
  adonet: rep("HOST=U;\u0000"),
  generic: "MAX-" + rep("PWDPWDPC"),
  mysql: rep("MYSQL$"),
  curl: rep("\nCURL\t-U\t\t"),
  jwt: rep("eyJ-"),
  pemEncrypted: rep("-----BEGIN RSA PRIVATE KEY-----\tProc-Type: 4,ENCRYPTED DEK-Info: KAH,B0D0D0D0D0D0D0D0D0D0D0D0D0D"),
  putty: rep("yPuTTY-User-Key-File-2: L\n "),
  pgp: "-----BEGIN PGP PRIVATE KEY BLOCK----- \t  " + rep("I\r"),
  pemNoEnd: rep("-----BEGIN RSA PRIVATE KEY-----\n" + "A".repeat(200) + "\n"),
  pemNoEndLong: "-----BEGIN PRIVATE KEY-----\n" + rep("QUJD\n"),
  base64: rep("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="),
  percent: rep("%41"),
  assignments: rep("password = token = secret = "),
  urls: rep("https://a:b@"),
};

describe("adversarial inputs finish", () => {
  for (const [name, text] of Object.entries(attacks)) {
    it(name, () => {
      const r = scanFragment(rs, { text, path: "attack.txt" }, { decoders: DEFAULT_DECODERS });
      // Repeated attack shapes are not secrets, and no scan was cut short.
      expect(r.findings.filter((f) => f.confidence === "high")).toEqual([]);
    });
  }
});
