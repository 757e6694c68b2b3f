/**
 * Precision and recall of the generic rules on realistic lines. Values are
 * built at run time; the negatives are the everyday shapes that a keyword
 * rule must not flag.
 */
import { describe, expect, it } from "vitest";
import { compileRuleSet, DEFAULT_DECODERS, scanFragment } from "../../src/engine/index.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { fakePassword, randomOf } from "../helpers/engine.js";

const rs = compileRuleSet(readRuleFiles());
const scan = (text: string, path = "src/app.ts") => scanFragment(rs, { text, path }, { decoders: DEFAULT_DECODERS }).findings;

describe("generic rules: precision", () => {
  const negatives: Array<[string, string?]> = [
    ["const token = getToken();"],
    ["const token = await auth.getAccessToken(scope1);"],
    ["password: process.env.DB_PASSWORD,"],
    ["api_key = os.getenv('API_KEY')"],
    ["secret = settings.SECRET_KEY"],
    ["this.password = password;"],
    ["token: null,"],
    ["password = None"],
    ["if (token === \"Bearer\") {"],
    ["const tokenType = \"refresh_token\";"],
    ["const passwordField = \"input[name=password]\";"],
    ["tokenizer: \"bert-base-uncased\","],
    ["nextPageToken: \"" + randomOf("abcdefghijklmnop", "np", 30) + "\","],
    ["secretName: \"db-credentials-v2\","],
    ["password_hash = \"$2b$12$" + randomOf("abcdefghijklmnopqrstuvwxyz0123456789./", "bh", 53) + "\""],
    ["commit_token = \"" + randomOf("0123456789abcdef", "sha", 40) + "\""],
    ["lastSignificantToken = \"?InterpolationInTemplate\";"],
    ["placeholder: 'Enter your password',"],
    ["label: \"Password must be at least 8 characters\","],
    ["TOKEN_KEY = \"auth/session-token\""],
    ["export const API_KEY_HEADER = \"X-Api-Key\";"],
    ["DB_PASSWORD=${DB_PASSWORD}", ".env"],
    ["DB_PASSWORD=changeme", ".env"],
    ["SECRET_FILE=/run/secrets/db_password", ".env"],
    ["\"integrity\": \"sha512-" + Buffer.from(randomOf("ab", "i", 64)).toString("base64") + "\"", "package-lock.json"],
    ["<password>${env.PASS}</password>", "pom.xml"],
    ["mysql -u root -p mydb"],
    ["curl -u \"$USER:$PASS\" https://x.io"],
  ];
  for (const [line, path] of negatives) {
    it(`nothing in ${JSON.stringify(line.slice(0, 70))}`, () => {
      expect(scan(line + "\n", path).map((f) => `${f.ruleId}: ${f.secret}`)).toEqual([]);
    });
  }
});

describe("generic rules: recall", () => {
  const pw = fakePassword("g1", 18);
  const positives: Array<[string, string, string?]> = [
    [`DB_PASSWORD = "${pw}"`, "generic-secret-assignment"],
    [`const stripeSecret = '${pw}';`, "generic-secret-assignment"],
    [`  "client_secret": "${pw}",`, "generic-secret-assignment"],
    [`$conf['smtp_password'] => '${pw}';`, "generic-secret-assignment"],
    [`DB_PASSWORD=${pw}`, "generic-secret-config", ".env.production"],
    [`export API_TOKEN=${pw}`, "generic-secret-config", "deploy.sh"],
    [`  password: ${pw}`, "generic-secret-config", "config/database.yml"],
    [`<add key="SmtpPassword" value="${pw}" />`, "generic-secret-xml", "Web.config"],
    [`docker login -u ci --password ${pw} registry.acme.io`, "generic-cli-secret-flag"],
  ];
  for (const [line, ruleId, path] of positives) {
    it(`${ruleId} in ${JSON.stringify(line.slice(0, 50))}`, () => {
      const f = scan(line + "\n", path);
      expect(f.map((x) => x.ruleId)).toContain(ruleId);
      expect(f.find((x) => x.ruleId === ruleId)!.secret).toBe(pw);
    });
  }
});

describe("32-hex keys under secret names (issue #12)", () => {
  const hex = randomOf("0123456789abcdef", "dd32", 32);
  it("a 32-hex value under a secret-named key is reported, not taken for a dash-less UUID", () => {
    expect(scan(`site: datadoghq.eu\napi_key: ${hex}\n`, "conf/agent.yaml").map((f) => f.secret)).toEqual([hex]);
    expect(scan(`ROLLBAR_ACCESS_TOKEN=${hex}\n`, ".env").map((f) => f.secret)).toEqual([hex]);
  });
  it("32 hex under id, hash, checksum or commit keys stays an identifier", () => {
    for (const key of ["request_id", "token_hash", "secret_checksum", "commit_token", "session_uuid"]) {
      expect(scan(`${key}: ${hex}\n`, "conf/app.yaml"), key).toEqual([]);
    }
  });
});

describe("noise shapes seen on large real repositories", () => {
  const pw = fakePassword("noise", 14).replace("#", "!"); // "#" would end the URL
  it("a comma that ends a line separates list items, it is not an assignment", () => {
    const text = `tests = [\n  't0300-credentials.sh',\n  '${pw}',\n]\n`;
    expect(scan(text, "t/meson.build").map((f) => f.ruleId)).toEqual([]);
    // The same pair on one line, as a key/value call, is still an assignment.
    expect(scan(`set("db_password", "${pw}")\n`).map((f) => f.secret)).toEqual([pw]);
  });
  it("URL test vectors that percent-encode letters are not credentials; a percent-encoded symbol is", () => {
    const enc = (s: string) => [...s].map((c) => "%" + c.charCodeAt(0).toString(16)).join("");
    const vector = `check("Http://${enc("Me")}:${enc(pw.slice(0, 4))}^p@The.Host", 25);\n`;
    expect(scan(vector, "src/url.c")).toEqual([]);
    const real = `${pw.slice(0, 6)}%40${pw.slice(6)}`;
    expect(scan(`remote = "https://deploy:${real}@git.acme.io/app.git"\n`).map((f) => f.secret)).toContain(real);
  });
  it("a URL whose port is a word is a documentation template", () => {
    expect(scan(`proxy: http://login-on-proxy:${pw}@proxy-host.com:port\n`, "src/x.c")).toEqual([]);
    expect(scan(`proxy: http://login-on-proxy:${pw}@proxy-host.com:3128\n`, "src/x.c").map((f) => f.secret)).toEqual([pw]);
  });
  it("findings under t/ (git's and Perl's test folder) are tagged test-file", () => {
    const f = scan(`proxy: http://login-on-proxy:${pw}@proxy-host.com:3128\n`, "t/lib-proxy/conf");
    expect(f.map((x) => x.tags.includes("test-file"))).toEqual([true]);
  });
});
