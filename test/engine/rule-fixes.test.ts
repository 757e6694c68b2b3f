/**
 * Rule fixes from the documentation corpus (issue #12): formats the rules missed,
 * rules stricter than the providers' documentation, identifiers reported as secrets,
 * and documented example values reported as real ones. Tokens are built at run time;
 * the documented examples are read from bench/corpus/docs-corpus.json, where they
 * are stored split into pieces.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileRuleSet, scanFragment } from "../../src/engine/index.js";
import { VALIDATORS } from "../../src/engine/validators.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { randomOf } from "../helpers/engine.js";

const rs = compileRuleSet(readRuleFiles());
const scan = (text: string, path = "src/app.ts") => scanFragment(rs, { text, path }).findings;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const join = (...p: string[]) => p.join("");

describe("formats that had no rule", () => {
  it("Cloudflare scannable tokens (cfut_, cfat_, cfk_) in a bare Authorization header", () => {
    for (const p of ["cfut", "cfat", "cfk"]) {
      const tok = join(p, "_", randomOf(ALNUM, "cf" + p, 40), randomOf(HEX, "cs" + p, 8));
      const f = scan(`curl -H "Authorization: Bearer ${tok}" https://api.cloudflare.com/client/v4/user/tokens/verify\n`, "scripts/dns.sh");
      expect(f.map((x) => [x.ruleId, x.secret])).toEqual([["cloudflare-scannable-token", tok]]);
    }
  });
  it("Datadog ddpat_/ddsat_/ddapp_ tokens, and api_key in datadog.yaml", () => {
    const tok = join("dd", "pat_", randomOf(ALNUM, "dd", 40));
    expect(scan(`curl -H "Authorization: Bearer ${tok}" https://api.datadoghq.com/api/v2/users\n`).map((x) => x.ruleId)).toEqual(["datadog-access-token"]);
    const key = randomOf(HEX, "ddk", 32);
    expect(scan(`site: datadoghq.eu\napi_key: ${key}\n`, "datadog.yaml").map((x) => [x.ruleId, x.secret])).toEqual([["datadog-agent-config-key", key]]);
  });
  it("New Relic 40-hex license keys under their documented names", () => {
    const key = randomOf(HEX, "nr", 40);
    expect(scan(`NEW_RELIC_LICENSE_KEY=${key}\n`, ".env").map((x) => x.ruleId)).toEqual(["newrelic-license-key-hex"]);
    expect(scan(`license_key: ${key}\n`, "newrelic-infra.yml").map((x) => x.ruleId)).toEqual(["newrelic-config-license-key"]);
  });
});

describe("documented usages keyword rules did not reach", () => {
  it("Twilio: the token passed beside its SID; the SID alone is an identifier", () => {
    const sid = join("A", "C", randomOf(HEX, "sid", 32));
    const tok = randomOf(HEX, "tok", 32);
    expect(scan(`const client = require("twilio")("${sid}", "${tok}");\n`, "sms/send.js").map((x) => x.secret)).toEqual([tok]);
    const keySid = join("S", "K", randomOf(HEX, "ksid", 32));
    expect(scan(`TWILIO_API_KEY=${keySid}\n`, ".env")).toEqual([]);
  });
  it("Mailgun: a 32-8-8 hex key in mailgun.client({ key })", () => {
    const key = [randomOf(HEX, "mg1", 32), randomOf(HEX, "mg2", 8), randomOf(HEX, "mg3", 8)].join("-");
    expect(scan(`const mg = mailgun.client({ username: "api", key: "${key}" });\n`).map((x) => x.secret)).toEqual([key]);
  });
  it("Vault: vault login with a legacy s. token", () => {
    const tok = join("s", ".", randomOf(ALNUM, "vlt", 24));
    expect(scan(`vault login ${tok}\n`, "scripts/read.sh").map((x) => x.secret)).toEqual([tok]);
  });
  it("Notion: legacy secret_ tokens without the word notion on the line; ntn_ of any documented length", () => {
    const legacy = join("secret", "_", randomOf(ALNUM, "ntl", 43));
    expect(scan(`notion = Client(auth="${legacy}")\n`.replace("notion = ", "n = "), "src/n.py").map((x) => x.secret)).toEqual([legacy]);
    const tok = join("ntn", "_", randomOf(ALNUM, "ntn", 46));
    expect(scan(`const c = new Client({ auth: "${tok}" });\n`).map((x) => x.secret)).toEqual([tok]);
  });
  it("Heroku HRKU- keys without the AA marker", () => {
    const tok = join("HRKU", "-", randomOf(ALNUM + "_-", "hrku", 60));
    expect(scan(`${tok}\n`, "log.txt").map((x) => x.ruleId)).toEqual(["heroku-api-key-v2"]);
  });
});

describe("Discord bot tokens by structure", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  const token = (id: string, seed: string) => `${b64(id)}.${randomOf(ALNUM, seed + "t", 6)}.${randomOf(ALNUM, seed + "h", 38)}`;
  it("the first part decoding to a numeric user id is enough, without the word discord", () => {
    const tok = token("1187933462720206651", "d1");
    expect(VALIDATORS["discord-snowflake"]!(tok)).toBe(true);
    expect(scan(`INFO starting bot with ${tok}\n`, "bot.log").map((x) => [x.ruleId, x.secret])).toEqual([["discord-bot-token", tok]]);
  });
  it("the same shape whose first part is not a number is not a token", () => {
    const tok = token("11abcdefghijklmnopq", "d2");
    expect(VALIDATORS["discord-snowflake"]!(tok)).toBe(false);
    expect(scan(`ref = "${tok}"\n`, "bot.log")).toEqual([]);
  });
});

describe("identifiers and wrong spans", () => {
  it("a current Sentry DSN (public key only) is not reported; the legacy secret part is", () => {
    const pub = randomOf(HEX, "sp", 32);
    expect(scan(`Sentry.init({ dsn: "https://${pub}@o12345.ingest.sentry.io/678" });\n`)).toEqual([]);
    const sec = randomOf(HEX, "ss", 32);
    expect(scan(`SENTRY_DSN=https://${pub}:${sec}@o12345.ingest.sentry.io/678\n`, ".env").map((x) => [x.ruleId, x.secret])).toEqual([["sentry-dsn", sec]]);
  });
  it("generic-secret-xml does not take `;encrypt=true` after a `password=<password>` placeholder", () => {
    const xml = `<Resource url="jdbc:sqlserver://db:1433;user=sa;password=<password>;encrypt=true" />\n`;
    expect(scan(xml, "conf/datasource.xml")).toEqual([]);
  });
});

describe("documented example values are not reported", () => {
  const corpus = JSON.parse(readFileSync(new URL("../../bench/corpus/docs-corpus.json", import.meta.url), "utf8")) as {
    formats: Array<{ id: string; examples?: Array<{ parts: string[] }> }>;
  };
  const ids = ["gcp-api-key", "azure-devops-pat", "doppler-personal", "terraform-cloud-token", "databricks-pat", "heroku-api-key", "tailscale-auth-key", "circleci-pat"];
  for (const id of ids) {
    it(id, () => {
      const ex = corpus.formats.find((f) => f.id === id)!.examples![0]!.parts.join("");
      expect(scan(`value: ${ex}\n`, "docs/example.md").filter((f) => f.confidence !== "low")).toEqual([]);
      expect(scan(`TOKEN=${ex}\n`, ".env").filter((f) => f.confidence !== "low")).toEqual([]);
    });
  }
});
