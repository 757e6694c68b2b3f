/**
 * Credential files read by format (engine/credfiles): each field is reported
 * with its exact span, by the rule of its format, once, and through every
 * source. Values are built at run time (see helpers.ts).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compileRuleSet, DEFAULT_DECODERS, RuleError, scanFragment, type Finding, type RuleDef } from "../../src/engine/index.js";
import { md5, md5crypt } from "../../src/engine/credfiles/md5crypt.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { checkRule } from "../../src/ruleset/check.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { b64, fakeAwsKeyId, fakePassword, randomOf } from "../helpers/engine.js";

const rules = readRuleFiles();
const rs = compileRuleSet(rules);
const scan = (text: string, path: string): Finding[] => scanFragment(rs, { text, path }, { decoders: DEFAULT_DECODERS }).findings;

/** The text at a finding's reported position (single-line findings). */
function at(text: string, f: Finding): string {
  const line = text.split("\n")[f.line - 1]!;
  return line.slice(f.column - 1, f.endColumn - 1);
}

/** One finding of `ruleId` whose secret is `secret`, standing exactly at its span. */
function expectOne(text: string, path: string, ruleId: string, secret: string): Finding {
  const fs = scan(text, path).filter((f) => f.secret === secret);
  expect(fs.map((f) => f.ruleId)).toEqual([ruleId]);
  const f = fs[0]!;
  if (!f.encoding) expect(at(text, f)).toBe(secret);
  return f;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

describe("credential files by format", () => {
  const pw = fakePassword("cf1", 14).replace("#", "!");
  const pw2 = fakePassword("cf2", 12).replace("#", "%");

  it(".pgpass: the fifth field, with \\: escapes kept in the span", () => {
    const escaped = pw.slice(0, 5) + "\\:" + pw.slice(5);
    const text = `# host:port:db:user:password\ndb.acme.io:5432:orders:app:${escaped}\nlocalhost:*:*:postgres:*\n`;
    const f = expectOne(text, ".pgpass", "pgpass-password", escaped);
    expect([f.line, f.column, f.endColumn]).toEqual([2, 28, 28 + escaped.length]);
    expect(scan(text, ".pgpass")).toHaveLength(1);
  });

  it(".netrc: a default entry, password before login, across lines; reported once where the regex rule also matches", () => {
    const text = `default\n  password ${pw}\n  login anonymous\n`;
    const f = expectOne(text, ".netrc", "netrc-file-password", pw);
    expect([f.line, f.column]).toEqual([2, 12]);
    const both = `machine git.acme.io\n  login ci\n  password ${pw2}\n`;
    expect(scan(both, ".netrc").map((x) => x.secret)).toEqual([pw2]);
  });

  it(".git-credentials: the password of each URL, even a dictionary word the URL rule lets pass", () => {
    const token = randomOf(ALNUM, "gc", 20);
    const text = `https://deploy:${token}@git.acme.io\nhttps://oauth2:lighthouse@gitlab.acme.io/grp\n`;
    const found = scan(text, ".git-credentials");
    expect(found.map((f) => f.secret).sort()).toEqual([token, "lighthouse"].sort());
    const word = found.find((f) => f.secret === "lighthouse")!;
    expect([word.ruleId, word.line, at(text, word)]).toEqual(["git-credentials-token", 2, "lighthouse"]);
  });

  it(".s3cfg and AWS credentials: secret keys, session tokens, passphrases; empty values skipped", () => {
    const secret = randomOf(ALNUM, "s3", 40);
    const s3 = `[default]\naccess_key = ${fakeAwsKeyId("s3")}\nsecret_key = ${secret}\ngpg_passphrase = ${pw}\nproxy_password = \n`;
    const got = scan(s3, ".s3cfg").filter((f) => f.ruleId !== "aws-access-key-id");
    expect(got.map((f) => f.secret).sort()).toEqual([secret, pw].sort());
    expect(got.find((f) => f.secret === pw)!.ruleId).toBe("s3cfg-secret");
    const session = "FwoGZXIvYXdzE" + randomOf(ALNUM, "st", 80);
    const aws = `[profile ci]\naws_access_key_id=${fakeAwsKeyId("st")}\naws_secret_access_key=${pw2}\naws_session_token = ${session}\n`;
    expectOne(aws, "home/u/.aws/credentials", "aws-credentials-file-secret", pw2);
    expectOne(aws, "home/u/.aws/credentials", "aws-credentials-file-secret", session);
  });

  it(".my.cnf: the password option, quoted or not, even a weak one; a bare option prompts", () => {
    const weak = "Summer" + (1990 + (pw.charCodeAt(0) % 30)) + "!";
    const text = `[client]\nuser=backup\npassword="${pw}"\n[mysqldump]\npassword = ${weak}\n[mysql]\npassword\n`;
    expectOne(text, "home/u/.my.cnf", "mysql-option-file-password", pw);
    expectOne(text, "home/u/.my.cnf", "mysql-option-file-password", weak);
    expect(scan(text, "home/u/.my.cnf")).toHaveLength(2);
  });

  it("FileZilla: a base64 <Pass> is decoded (encoding base64, span of the encoded text); a plain one is reported as is", () => {
    const enc = b64(pw);
    const text = `<Server>\n  <Host>ftp.acme.io</Host>\n  <Pass encoding="base64">${enc}</Pass>\n</Server>\n<Server><Pass>${pw2}</Pass></Server>\n`;
    const f = expectOne(text, "FileZilla/sitemanager.xml", "filezilla-password", pw);
    expect(f.encoding).toBe("base64");
    expect(at(text, f)).toBe(enc);
    expectOne(text, "FileZilla/sitemanager.xml", "filezilla-password", pw2);
    expect(scan(`<Pass encoding="crypt">${enc}</Pass>\n`, "sitemanager.xml")).toEqual([]);
  });

  it("shell history: mysql -p, --password=, curl -u, sshpass, export, PGPASSWORD, zsh's prefix", () => {
    const vals = [0, 1, 2, 3, 4, 5].map((i) => randomOf(ALNUM, "sh" + i, 12));
    const text = [
      `mysql -u root -p${vals[0]} orders`,
      `: 1700000000:0;curl -sS -u deploy:${vals[1]} https://nexus.acme.io/`,
      `sshpass -p '${vals[2]}' ssh ops@10.0.4.7`,
      `export DEPLOY_TOKEN="${vals[3]}"`,
      `PGPASSWORD=${vals[4]} psql -h db -U app`,
      `mysqldump --password=${vals[5]} --all-databases`,
      `mysql -u root -p orders; export PATH=$HOME/bin:$PATH; curl -u "$U:$P" x`,
    ].join("\n");
    const got = scan(text + "\n", ".zsh_history");
    expect(got.map((f) => f.secret)).toEqual(vals);
    for (const f of got) {
      expect(f.ruleId).toBe("shell-history-secret");
      expect(at(text, f)).toBe(f.secret);
    }
  });

  it("wp-config, Maven settings, Docker identity tokens, Ansible passwords; encrypted and vaulted values skipped", () => {
    const salt = randomOf(ALNUM + "!@#$%^&*()-_[]{}<>~+=,.;:/?|", "wp", 64);
    const wp = `define( 'DB_PASSWORD', '${pw}' );\ndefine('NONCE_SALT', '${salt}');\ndefine('AUTH_KEY', 'put your unique phrase here');\n`;
    expect(scan(wp, "wp-config.php").map((f) => [f.ruleId, f.secret])).toEqual([
      ["wp-config-secret", pw],
      ["wp-config-secret", salt],
    ]);
    const mvn = `<server>\n  <password>${pw2}</password>\n</server>\n<server><password>{${b64(pw)}}</password></server>\n`;
    expect(scan(mvn, ".m2/settings.xml").map((f) => [f.ruleId, f.secret])).toEqual([["maven-settings-password", pw2]]);
    const tok = "eyJhbGciOiJSUzI1NiJ9." + randomOf(ALNUM, "dk", 40);
    expectOne(`{"auths":{"r.acme.io":{"identitytoken":"${tok}"}}}`, ".docker/config.json", "docker-config-identity-token", tok);
    const inv = `[db]\ndb1 ansible_host=10.0.0.5 ansible_ssh_pass=${pw} ansible_port=22\n`;
    expectOne(inv, "inventory/hosts", "ansible-password", pw);
    expect(scan(`ansible_become_password: !vault |\n  $ANSIBLE\nansible_password: "{{ vault_pw }}"\n`, "group_vars/all.yml")).toEqual([]);
  });

  it("htpasswd: a test fixture's login whose password comes from the user name is skipped (and its copies); a real hash is reported", () => {
    const salt = randomOf(ALNUM, "salt", 8);
    const fixture = md5crypt("pass@host", salt);
    const sha = "{SHA}" + createHash("sha1").update("proxpass").digest("base64");
    const text = `user@host:${fixture}\nforbidden-user@host:${fixture}\nproxuser:${sha}\n`;
    expect(scan(text, "t/lib-httpd/passwd")).toEqual([]);
    // Outside a test folder the same lines are credentials.
    expect(scan(text, "conf/.htpasswd").map((f) => f.secret)).toEqual([fixture, fixture, sha]);
    const real = md5crypt(pw, salt);
    expectOne(`admin:${real}\n`, "t/lib-httpd/passwd", "htpasswd-hash", real);
  });

  it("MD5-crypt's own MD5 matches node:crypto's at every length across block boundaries", () => {
    for (let len = 0; len <= 200; len++) {
      const data = Buffer.from(Array.from({ length: len }, (_, i) => (i * 131 + len * 7) & 0xff));
      expect(Buffer.from(md5(data)).toString("hex")).toBe(createHash("md5").update(data).digest("hex"));
    }
  });

  it("MD5-crypt matches openssl's apr1 and $1$", () => {
    let ok = true;
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
    } catch {
      ok = false;
    }
    if (!ok) return; // no oracle on this machine
    const salt = randomOf(ALNUM, "os", 8);
    for (const [flag, magic] of [["-apr1", "$apr1$"], ["-1", "$1$"]] as const) {
      const want = execFileSync("openssl", ["passwd", flag, "-salt", salt, pw], { encoding: "utf8" }).trim();
      expect(md5crypt(pw, salt, magic)).toBe(want);
    }
  });

  it("placeholders are not reported", () => {
    const text = "localhost:5432:*:app:changeme\nh:1:d:u:<password>\nh:1:d:u:${PGPASS}\nh:1:d:u:\n";
    expect(scan(text, ".pgpass")).toEqual([]);
    expect(scan("machine h login u password ********\n", ".netrc")).toEqual([]);
  });

  it("a format's rule reads only its files", () => {
    expect(scan(`db.acme.io:5432:orders:app:${pw}\n`, "notes/pg.txt")).toEqual([]);
    expect(scan(`mysql -u root -p${pw} orders\n`, "docs/setup.sh").map((f) => f.ruleId)).not.toContain("shell-history-secret");
  });
});

describe("parser-backed rules are rules", () => {
  const base: RuleDef = { id: "x-pgpass", description: "x", parser: "pgpass", path: "\\.pgpass$" };
  it("an unknown parser, or a parser with a regex, is a rule error naming the rule", () => {
    expect(() => compileRuleSet([{ ...base, parser: "nope" }])).toThrow(RuleError);
    expect(() => compileRuleSet([{ ...base, parser: "nope" }])).toThrow(/x-pgpass: unknown parser "nope"/);
    expect(() => compileRuleSet([{ ...base, regex: "a(b)" }])).toThrow(/regex or a parser, not both/);
  });
  it("the rule tester runs their examples through the engine (a wrong example fails)", () => {
    const pw = fakePassword("rt", 12);
    const good = checkRule({ ...base, examples: [{ text: `h:1:d:u:${pw}\n`, secret: pw, path: ".pgpass" }] });
    expect(good).toEqual([]);
    const bad = checkRule({ ...base, examples: [{ text: `h:1:d:u:${pw}\n`, secret: pw + "x", path: ".pgpass" }], negativeExamples: [{ text: `h:1:d:u:${pw}\n`, path: ".pgpass" }] });
    expect(bad.map((p) => p.kind)).toEqual(["example", "negative"]);
  });
  it("each built-in parser rule has examples, a remediation and a path or keywords", () => {
    const parsed = rules.filter((r) => r.parser);
    expect(parsed.length).toBeGreaterThanOrEqual(8);
    for (const r of parsed) {
      expect(r.examples?.length, r.id).toBeGreaterThan(0);
      expect(r.remediation, r.id).toBeTruthy();
      expect(Boolean(r.path) || (r.keywords?.length ?? 0) > 0, r.id).toBe(true);
    }
  });
});

describe("every source reads credential files", () => {
  const repo = new TestRepo();
  afterAll(() => repo.remove());
  it("scan, staged and history report a .pgpass password by its rule", async () => {
    const pw = fakePassword("src", 14).replace("#", "!");
    repo.write(".pgpass", `db.acme.io:5432:orders:app:${pw}\n`).add();
    const staged = await runIn(repo.dir, ["staged", "--format", "json", "--no-progress"]);
    const files = await runIn(repo.dir, ["scan", ".", "--format", "json", "--no-progress"]);
    repo.commit("add pgpass", { noVerify: true });
    const history = await runIn(repo.dir, ["history", "--format", "json", "--no-progress"]);
    for (const r of [staged, files, history]) {
      expect(r.code, r.stderr).toBe(1);
      const found = JSON.parse(r.stdout).findings as Finding[];
      expect(found.map((f) => [f.ruleId, f.file, f.line, f.column, f.endColumn])).toEqual([["pgpass-password", ".pgpass", 1, 28, 28 + pw.length]]);
    }
  });
});
