/**
 * The engine's path rule is data (engine/test-paths.ts) and documented
 * (rules/README.md); canary detection depends on the secret, not the rule id.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOC_EXTENSIONS, isTestPath, TEST_FILE_MARKERS, TEST_FOLDERS } from "../../src/engine/test-paths.js";
import { createScanner, loadConfig } from "../../src/index.js";
import { awsKeyId } from "../helpers/secrets.js";

describe("test and documentation paths", () => {
  it("keep the documented behaviour", () => {
    for (const p of ["docs/setup.sh", "a/examples/x.env", "README.md", "notes.TXT", "src/app.test.ts", "db_example.env", "t/x.pl", "pkg/__tests__/a.ts"]) expect(isTestPath(p), p).toBe(true);
    for (const p of ["src/app.ts", "doctor/x.sh", "latest/x", "config.mdx.bak", "contest.ts", "", "test"]) expect(isTestPath(p), p).toBe(false);
  });

  it("are listed in rules/README.md, every one", () => {
    const page = readFileSync(new URL("../../rules/README.md", import.meta.url), "utf8");
    const section = page.slice(page.indexOf("## Test and documentation paths"));
    for (const f of TEST_FOLDERS) expect(section, f).toContain(`\`${f}\``);
    for (const m of TEST_FILE_MARKERS) expect(section, m).toContain(`\`.${m}\``);
    for (const e of DOC_EXTENSIONS) expect(section, e).toContain(`\`.${e}\``);
  });
});

describe("canary detection", () => {
  it("does not depend on the rule's id: a custom rule finding a canary key id is tagged", () => {
    // A key id of a canarytokens.org account (052310077262), built at run time.
    const canaryKey = canaryKeyId();
    const config = loadConfig({ noConfigFile: true });
    const custom = { ...config, rules: [{ id: "my-cloud-key", description: "A cloud key id", regex: "\\b(AKIA[A-Z2-7]{16})\\b", secretGroup: 1 }] };
    const [f] = createScanner(custom).scanText(`key = ${canaryKey}`, "app.cfg");
    expect(f?.tags).toContain("canary");
    // An ordinary key id is not a canary.
    const [g] = createScanner(custom).scanText(`key = ${awsKeyId(3)}`, "app.cfg");
    expect(g?.tags ?? []).not.toContain("canary");
  });
});

/** An access key id that decodes to the canarytokens.org account 052310077262. */
function canaryKeyId(): string {
  const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  // 48 bits: account << 7, with the top bit clear; then 2 more bits to make 50 = 10 base32 characters.
  const acc = (BigInt("052310077262") << 7n) << 2n;
  let head = "";
  for (let i = 9; i >= 0; i--) head += B32[Number((acc >> BigInt(i * 5)) & 31n)];
  return "AKIA" + head + "ABCDEF".replace(/[^A-Z2-7]/g, "A");
}
