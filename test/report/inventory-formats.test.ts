/**
 * The inventory in the common formats (jsonl, sarif, junit, github) besides
 * its own (text, json, csv, markdown, html): one record per secret, redacted
 * as the other inventory views (secret cells unless showSecrets; paths and
 * authors that hold a secret always), and each format valid for its consumer.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, describe, expect, it, vi } from "vitest";
import { redactSecret } from "../../src/engine/redact.js";
import type { Inventory, InventoryRow } from "../../src/inventory/types.js";
import { renderInventory } from "../../src/report/inventory/index.js";
import { byRisk } from "../../src/report/inventory/view.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { emptyInventory, INV_SECRETS, leadInventory } from "../helpers/inventory-fixture.js";
import { multitoolIssuesMany, schemaErrors } from "../helpers/sarif-validate.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

vi.setConfig({ testTimeout: 120_000 });

const FORMATS = ["jsonl", "sarif", "junit", "github"] as const;

/** The lead's inventory (a rotated secret, a private key) plus a path named after a secret. */
function inventory(): Inventory {
  const inv = leadInventory();
  inv.rows[1]!.files = [...inv.rows[1]!.files, `keys/${INV_SECRETS.github}.txt`];
  return inv;
}
const pem = (inv: Inventory): string => inv.rows.find((r) => r.keyInfo)!.secret;
/** Each raw value, and each line of the private key's body. */
const raws = (inv: Inventory): string[] => [...Object.values(INV_SECRETS), ...pem(inv).split("\n").filter((l) => l.length >= 16)];
const render = (format: string, inv: Inventory, showSecrets = false): Promise<string> => renderInventory(format, inv, { showSecrets });

describe("inventory in the common formats", () => {
  for (const format of FORMATS) {
    it(`${format}: no raw secret, not in a path either; the secret shown with showSecrets; an empty inventory`, async () => {
      const inv = inventory();
      const out = await render(format, inv);
      for (const s of raws(inv)) expect(out).not.toContain(s);
      expect(out).toContain(redactSecret(INV_SECRETS.github));
      const shown = await render(format, inventory(), true);
      expect(shown).toContain(INV_SECRETS.github);
      // jsonl and github have a line per secret and nothing else: none for an empty inventory.
      const empty = await render(format, emptyInventory());
      if (format === "jsonl" || format === "github") expect(empty).toBe("");
      else expect(empty.length).toBeGreaterThan(0);
    });
  }

  it("jsonl: one row per line, the same fields as the json view's rows", async () => {
    const inv = inventory();
    const lines = (await render("jsonl", inv)).trimEnd().split("\n");
    const json = JSON.parse(await render("json", inventory())) as { rows: InventoryRow[] };
    expect(lines.map((l) => JSON.parse(l))).toEqual(json.rows);
    expect(lines).toHaveLength(inv.rows.length);
    expect(await render("jsonl", emptyInventory())).toBe("");
  });

  it("sarif: valid against the SARIF schema and the multitool's SARIF and GitHub rules; one result per row with its rule, level, state and exposure, introducing file and fingerprint", async () => {
    const inv = inventory();
    const text = await render("sarif", inv);
    const log = JSON.parse(text);
    expect(schemaErrors(log)).toEqual([]);
    // The SARIF spec's and GitHub code scanning's own rules too.
    expect(multitoolIssuesMany({ inv: text }).inv).toEqual([]);
    expect(schemaErrors(JSON.parse(await render("sarif", emptyInventory())))).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("leakguard");
    const rows = byRisk(inv.rows);
    expect(run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints["leakguard/v1"])).toEqual(rows.map((r) => r.fingerprint));
    for (const [i, res] of (run.results as Array<Record<string, any>>).entries()) {
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.ruleId).toBe(rows[i]!.ruleId);
    }
    const byRule = (id: string): Record<string, any> => run.results.find((r: { ruleId: string }) => r.ruleId === id);
    expect(byRule("github-pat").level).toBe("error");
    expect(byRule("github-pat").message.text).toMatch(/at HEAD; exposed 260 days and counting; introduced in dddddddddddd on 2024-03-15 by Ann/);
    expect(byRule("github-pat").locations[0].physicalLocation.artifactLocation).toEqual({ uri: "src/config.ts", uriBaseId: "%SRCROOT%" });
    // Rotated: the message says so; the first file at the introducing commit, percent-encoded.
    expect(byRule("aws-access-key-id").message.text).toContain("rotated 2024-03-01 by alice@example.com; exposed 110 days");
    expect(byRule("aws-access-key-id").locations[0].physicalLocation.artifactLocation.uri).toBe("deploy/prod%2Ceu.env");
    expect(byRule("private-key-pem").message.text).toContain("RSA");
  });

  it("junit: one test case per secret, a failure for each still exposed (the rotated one passes), escaped", async () => {
    const inv = inventory();
    const xml = await render("junit", inv);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => n === "testsuite" || n === "testcase", processEntities: true, htmlEntities: true });
    const doc = parser.parse(xml);
    const cases = doc.testsuites.testsuite[0].testcase as Array<Record<string, any>>;
    expect(cases).toHaveLength(inv.rows.length);
    const failing = cases.filter((c) => c.failure !== undefined);
    expect(failing).toHaveLength(inv.rows.filter((r) => !r.rotated).length);
    expect(doc.testsuites.failures).toBe(String(failing.length));
    const aws = cases.find((c) => c.name.startsWith("aws-access-key-id "))!;
    expect(aws.failure).toBeUndefined();
    expect(aws.classname).toBe("deploy/prod,eu.env");
    const gh = cases.find((c) => c.name.startsWith("github-pat "))!;
    expect(gh.failure.type).toBe("critical");
    expect(gh.failure.message).toContain("at HEAD; exposed 260 days and counting");
    const empty = parser.parse(await render("junit", emptyInventory()));
    expect(empty.testsuites.failures).toBe("0");
  });

  it("github: one annotation per secret, by severity (a rotated one a notice), on its introducing file, escaped", async () => {
    const inv = inventory();
    const lines = (await render("github", inv)).trimEnd().split("\n");
    expect(lines).toHaveLength(inv.rows.length);
    expect(lines.every((l) => /^::(error|warning|notice) /.test(l))).toBe(true);
    const gh = lines.find((l) => l.includes("(github-pat)"))!;
    expect(gh).toMatch(/^::error file=src\/config\.ts,line=1,title=GitHub personal access token \(classic\) \(github-pat\)::critical /);
    const aws = lines.find((l) => l.includes("(aws-access-key-id)"))!;
    expect(aws).toMatch(/^::notice file=deploy\/prod%2Ceu\.env,line=1,/);
    expect(aws).toContain("rotated 2024-03-01");
  });
});

describe("inventory in the common formats, from the command line", () => {
  const repos: TestRepo[] = [];
  afterEach(() => repos.splice(0).forEach((r) => r.remove()));

  it("inventory -f jsonl|sarif|junit|github on a real history: exit 1, no raw secret", async () => {
    const r = new TestRepo();
    repos.push(r);
    const token = githubToken(201);
    const key = awsKeyId(202);
    r.commitFiles({ "app.env": `TOKEN=${token}\n`, "src/aws.js": `const k = "${key}";\n` }, "add");
    r.commitFiles({ "app.env": "TOKEN=\n" }, "remove the token");
    for (const format of FORMATS) {
      const res = await runIn(r.dir, ["inventory", "-f", format]);
      expect(res.code, `${format}: ${res.stderr}`).toBe(1);
      expect(res.stdout, format).not.toContain(token);
      expect(res.stdout, format).not.toContain(key);
      expect(res.stdout, format).toContain("app.env");
    }
    const sarif = JSON.parse((await runIn(r.dir, ["inventory", "-f", "sarif"])).stdout);
    expect(schemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(["aws-access-key-id", "github-pat"]);
  });
});
