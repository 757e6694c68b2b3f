import { describe, expect, it } from "vitest";
import { genericReason, knownExample, placeholderReason } from "../../src/engine/filters.js";
import { bytes, fakePassword, randomOf } from "../helpers/engine.js";

const HEX = "0123456789abcdef";

describe("placeholderReason (all rules)", () => {
  it("recognises documented example keys", () => {
    // Built from parts so the literal never appears whole in this file.
    expect(knownExample(["AKIAIOSFODNN7", "EXAMPLE"].join(""))).toBeDefined();
    expect(placeholderReason("prefix-" + ["2YotnFZFEjr1", "zCsicMWpAA"].join(""))).toBe("documented example");
  });
  it("recognises templates and placeholder words", () => {
    for (const s of ["${DB_PASSWORD}", "{{ .Values.token }}", "<your-api-key>", "%(password)s", "$API_TOKEN", "%SECRET%", "{self.password}", "changeme", "your_api_key_here", "********", "xxxxxxxxxxxxxxxx", "REDACTED"]) {
      expect(placeholderReason(s), s).toBeDefined();
    }
  });
  it("recognises repeated and sequential values", () => {
    expect(placeholderReason("a".repeat(20))).toBeDefined();
    expect(placeholderReason("abcdefghijklmnop")).toBeDefined();
    expect(placeholderReason("abcabcabcabcabc")).toBeDefined();
  });
  it("leaves random values alone", () => {
    expect(placeholderReason(fakePassword("f1", 24))).toBeUndefined();
    expect(placeholderReason(bytes("f2", 30).toString("base64"))).toBeUndefined();
  });
});

describe("genericReason (rules tagged generic)", () => {
  const cases: Array<[string, string]> = [
    [[randomOf(HEX, "u1", 8), randomOf(HEX, "u2", 4), "4" + randomOf(HEX, "u3", 3), "8" + randomOf(HEX, "u4", 3), randomOf(HEX, "u5", 12)].join("-"), "uuid"],
    [randomOf(HEX, "sha", 40), "hex digest (hash or git sha)"],
    [randomOf(HEX, "sha256", 64), "hex digest (hash or git sha)"],
    ["sha512-" + bytes("i", 64).toString("base64"), "integrity digest"],
    ["1234567890", "number or version"],
    ["v2.14.3-beta.1", "number or version"],
    ["/etc/ssl/private/server.key", "path or url"],
    ["https://api.acme.io/v1", "path or url"],
    ["process.env.DB_PASSWORD", "variable reference"],
    ["os.getenv('X1')", "variable reference"],
    ["config.auth.secretValue", "variable reference"],
    ["getToken(req1)", "expression"],
    ["PASSWORD_RESET_TOKEN", "identifier"],
    ["my-app-token-v2", "identifier"],
    ["userSessionV2Provider", "identifier"],
    ["Summer2024!", "word plus number"],
    ["?InterpolationInJSX", "identifier"],
    ["password123", "word plus number"],
    ["mysecretpassword", "no digit or symbol"],
    ["Correct-Horse-Battery", "no digit or symbol"],
    ["ab12cd34ef", "short lower-case alphanumeric"],
    ["aaaa1111bbbb2222cccc", "low entropy"],
  ];
  for (const [value, reason] of cases) {
    it(`rejects ${JSON.stringify(value)} (${reason})`, () => {
      expect(genericReason(value, "src/app.ts")).toBe(reason);
    });
  }
  it("a 32-hex value is a dash-less UUID unless its key names a secret (and no id or digest)", () => {
    const hex = randomOf(HEX, "h32", 32);
    expect(genericReason(hex, "src/app.ts")).toBe("uuid");
    for (const key of ["api_key: ", "DD_API_KEY=", "license_key = ", "\"client_secret\": \"", "password=", "token: "]) {
      expect(genericReason(hex, "datadog.yaml", key), key).toBeUndefined();
    }
    for (const key of ["session_id: ", "token_hash: ", "secret_sha = ", "commit_token=", "request_uuid: ", "tokenIds: ", "checksum: "]) {
      expect(genericReason(hex, "a.yaml", key), key).toBe("uuid");
    }
    // Low-entropy hex stays rejected under any key.
    expect(genericReason("0a0b0c0d".repeat(4), "a.yaml", "api_key: ")).toBe("low entropy");
  });
  it("a dashed UUID or a 40/64-hex value under a secret-named key is a key (Heroku, legacy npm, Sentry), elsewhere an id or digest", () => {
    const uuid = [randomOf(HEX, "v1", 8), randomOf(HEX, "v2", 4), "4" + randomOf(HEX, "v3", 3), "8" + randomOf(HEX, "v4", 3), randomOf(HEX, "v5", 12)].join("-");
    const sha = randomOf(HEX, "v6", 40);
    const sha256 = randomOf(HEX, "v7", 64);
    for (const v of [uuid, sha, sha256]) {
      for (const key of ["api_key: ", "token = \"", "NPM_TOKEN=", "\"client_secret\": \""]) expect(genericReason(v, "a.yaml", key), key).toBeUndefined();
      for (const key of ["secret_id: ", "commit_token=", "token_sha256: ", "tokenId = \"", undefined]) expect(genericReason(v, "a.yaml", key), String(key)).toMatch(/uuid|hex digest/);
    }
  });
  it("rejects base64 of a placeholder phrase", () => {
    expect(genericReason(Buffer.from("not my real password").toString("base64"), "a.js")).toBe("base64 of a placeholder");
  });
  it("suppresses everything in lock files", () => {
    expect(genericReason(fakePassword("l1", 24), "web/package-lock.json")).toBe("lock file");
    expect(genericReason(fakePassword("l2", 24), "yarn.lock")).toBe("lock file");
    expect(genericReason(fakePassword("l3", 24), "pnpm-lock.yaml")).toBe("lock file");
  });
  it("keeps values that look random", () => {
    for (let i = 0; i < 20; i++) expect(genericReason(fakePassword("k" + i, 12 + i), "src/app.ts")).toBeUndefined();
    expect(genericReason(bytes("k", 24).toString("base64"), "src/app.ts")).toBeUndefined();
  });
});

describe("filter regexes finish on adversarial values", () => {
  // A catastrophic filter regex would show as this test's timeout.
  it("long runs of digits, capitals and separators", () => {
    for (const v of ["a" + "1".repeat(190) + "!", "a" + "AB".repeat(95) + "!", "a" + "-b".repeat(95) + "!", "x/".repeat(99) + "!", "A_".repeat(99) + "!"]) {
      expect(typeof (genericReason(v, "a.ts") ?? "")).toBe("string");
    }
  });
});
