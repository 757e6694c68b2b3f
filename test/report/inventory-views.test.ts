import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { redactSecret } from "../../src/engine/redact.js";
import inventoryCsv, { INVENTORY_CSV_FIELDS } from "../../src/report/inventory/csv.js";
import inventoryHtml, { contentSecurityPolicy } from "../../src/report/inventory/html.js";
import inventoryMarkdown, { mdText } from "../../src/report/inventory/markdown.js";
import inventoryText, { fit } from "../../src/report/inventory/text.js";
import { byRisk, timeline } from "../../src/report/inventory/view.js";
import { renderInventory } from "../../src/report/inventory/index.js";
import { emptyInventory, fixtureInventory, INV_SECRETS } from "../helpers/inventory-fixture.js";

const VIEWS = { text: inventoryText, csv: inventoryCsv, markdown: inventoryMarkdown, html: inventoryHtml };

describe("inventory views: redaction", () => {
  for (const [name, view] of Object.entries(VIEWS)) {
    it(`${name}: redacted unless showSecrets`, () => {
      const out = view(fixtureInventory(), { showSecrets: false, width: 200 });
      for (const s of Object.values(INV_SECRETS)) expect(out).not.toContain(s);
      // Markdown escapes the underscore of ghp_ (it renders the same).
      const form = name === "markdown" ? mdText : (s: string) => s;
      expect(out).toContain(form(redactSecret(INV_SECRETS.github)));
      const shown = view(fixtureInventory(), { showSecrets: true, width: 400 });
      expect(shown).toContain(form(INV_SECRETS.github));
      expect(shown).toContain(INV_SECRETS.aws);
    });
    it(`${name}: an empty inventory renders`, () => {
      expect(view(emptyInventory(), { showSecrets: false }).length).toBeGreaterThan(0);
    });
  }
});

describe("inventory text", () => {
  it("a table with the columns, most urgent first, that fits the width", () => {
    for (const width of [60, 80, 100, 160]) {
      const out = inventoryText(fixtureInventory(), { showSecrets: false, width });
      const lines = out.trimEnd().split("\n");
      const header = lines.findIndex((l) => l.startsWith("risk"));
      if (width >= 100) expect(lines[header]).toMatch(/^risk {2}severity {2}rule +secret +first seen {2}HEAD {2}days {2}reused {2}files$/);
      else expect(lines[header]).toMatch(/^risk {2}severity {2}rule +secret +.*HEAD .*files$/);
      const rows = lines.slice(header + 1);
      expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(["95", "71", "40", "12"]);
      for (const l of lines.slice(header)) expect([...l].length).toBeLessThanOrEqual(width);
    }
    const wide = inventoryText(fixtureInventory(), { showSecrets: false, width: 300 }).split("\n");
    expect(wide.find((l) => l.startsWith("  71"))).toMatch(/^ {2}71 {2}high {6}aws-access-key-id {2}AKIA… {3}2023-11-02 {2}no {5}110 {2}no {6}deploy\/prod,eu\.env, ops\/"quoted" \| pipe\.yaml, a\/b\.txt \+2 more$/);
  });

  it("cuts with an ellipsis, never draws control characters, colours only when asked", () => {
    expect(fit("abcdef", 4)).toBe("abc…");
    expect(fit("abc", 4)).toBe("abc");
    expect(fit("🔑🔑🔑🔑🔑", 3)).toBe("🔑🔑…");
    const wide = inventoryText(fixtureInventory(), { showSecrets: false, width: 300 });
    expect(wide).toContain("notes/new\\u000aline.md");
    expect(wide).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
    expect(wide).toContain("2 at HEAD · 2 removed but still in history · 1 reused · 1 canary · 321 commits scanned");
    expect(inventoryText(fixtureInventory(), { showSecrets: false, color: true })).toContain("\u001b[");
  });
});

describe("inventory csv", () => {
  it("RFC 4180 round trip, list cells one item per line, formula guard", () => {
    const inv = fixtureInventory();
    const rows = parse(inventoryCsv(inv, { showSecrets: false }), { record_delimiter: "\r\n" }) as string[][];
    expect(rows[0]).toEqual([...INVENTORY_CSV_FIELDS]);
    const col = (k: string) => INVENTORY_CSV_FIELDS.indexOf(k);
    const sorted = byRisk(inv.rows);
    expect(rows.slice(1).map((r) => r[col("fingerprint")])).toEqual(sorted.map((r) => r.fingerprint));
    const aws = rows[2]!;
    expect(aws[col("files")]!.split("\n")).toEqual(inv.rows[0]!.files);
    expect(aws[col("introducedAuthor")]).toBe("Doe, Jane <script>x</script>");
    expect(aws[col("removedDate")]).toBe("2024-02-20T10:00:00Z");
    expect(aws[col("atHead")]).toBe("false");
    const generic = rows[3]!;
    expect(generic[col("files")]!.split("\n")).toEqual(["'=cmd|' /C calc'!A0.csv", "notes/new", "line.md"]);
  });
});

describe("inventory markdown", () => {
  it("summary, table and a what-to-do list, with repository strings escaped", () => {
    const md = inventoryMarkdown(fixtureInventory(), { showSecrets: false });
    expect(md).toContain("# Secret inventory: acme/app");
    expect(md).toContain("| distinct secrets | 4 |");
    const table = md.split("\n").filter((l) => /^\| \d+ \| \d+ \|/.test(l));
    expect(table).toHaveLength(4);
    // Every table row has exactly the header's cell count: pipes in paths are escaped.
    for (const l of table) expect(l.split(/(?<!\\)\|/).length).toBe(13);
    expect(md).toContain("Doe, Jane &lt;script&gt;x&lt;/script&gt;");
    expect(md).toContain("Bob \\[x\\](http://evil.test) \\*bold\\*");
    expect(md).toContain("- [ ] Rotate it: Revoke it at https://example.test/revoke");
    expect(md).toContain("- References: <https://docs.aws.amazon.com/IAM/>, javascript:alert(1)");
    expect(md).not.toContain("\nline.md");
    expect(mdText("a|b`c*d_e[f]g<h>&~$")).toBe("a\\|b\\`c\\*d\\_e\\[f\\]g&lt;h&gt;&amp;\\~\\$");
  });
});

describe("inventory html (static)", () => {
  it("is self-contained: CSP with no external source, no src/href to the network, data escaped", () => {
    const page = inventoryHtml(fixtureInventory(), { showSecrets: false });
    const csp = contentSecurityPolicy();
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp.replace(/'/g, "&#39;")}">`);
    expect(page).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
    expect(page).not.toMatch(/url\(/);
    // Only two script elements, and the data block cannot be closed early.
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    const data = /<script type="application\/json" id="lg-data">(.*?)<\/script>/s.exec(page)![1]!;
    expect(JSON.parse(data).timeline).toEqual(timeline(fixtureInventory()));
    // The only links are http(s) references.
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(hrefs)).toEqual(new Set(["https://example.test/revoke", "https://docs.aws.amazon.com/IAM/"]));
    expect(page).toContain('<b>Rotate it:</b> <p>Revoke it at <a href="https://example.test/revoke" rel="noreferrer noopener">https://example.test/revoke</a></p></div></li>');
    expect(page).toContain("web/&lt;img src=x onerror=alert(1)&gt;.html");
  });

  it("timeline: every month from first to last event, by year past ten years", () => {
    const t = timeline(fixtureInventory());
    expect(t.map((b) => b.label)).toEqual(["2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]);
    expect(t.map((b) => [b.introduced, b.removed])).toEqual([[1, 0], [0, 0], [0, 0], [0, 1], [2, 0], [0, 0], [0, 0], [1, 1]]);
    const inv = fixtureInventory();
    inv.rows[0]!.introduced.date = "2001-05-01T00:00:00Z";
    const y = timeline(inv);
    expect(y[0]!.label).toBe("2001");
    expect(y.at(-1)!.label).toBe("2024");
    expect(y.reduce((n, b) => n + b.introduced, 0)).toBe(4);
    expect(timeline(emptyInventory())).toEqual([]);
  });
});

describe("inventory: a secret in a path, an author or a claimed-redacted cell", () => {
  const formats = ["text", "json", "csv", "markdown", "html"] as const;

  it("paths, file links and authors that hold a secret are redacted in every format (renderInventory), and kept with showSecrets", async () => {
    const inv = fixtureInventory();
    const row = inv.rows.find((r) => r.secret === INV_SECRETS.aws)!;
    const path = `keys/${INV_SECRETS.aws}.txt`;
    row.files = [path, ...row.files];
    row.fileCommits = { ...(row.fileCommits ?? {}), [path]: row.introduced.commit };
    row.introduced = { ...row.introduced, author: `ci ${INV_SECRETS.aws}`, email: `${INV_SECRETS.aws}@example.com` };
    for (const format of formats) {
      const out = await renderInventory(format, inv, { showSecrets: false, width: 400 });
      expect(out.includes(INV_SECRETS.aws), format).toBe(false);
      expect(out.includes("keys/"), `${format}: the path is still named`).toBe(true);
    }
    expect(await renderInventory("json", inv, { showSecrets: true })).toContain(path);
  });

  it("a row that claims secretRedacted with a raw value is redacted all the same", async () => {
    const inv = fixtureInventory();
    for (const r of inv.rows) r.secretRedacted = true;
    for (const format of formats) {
      const out = await renderInventory(format, inv, { showSecrets: false, width: 400 });
      for (const s of [INV_SECRETS.aws, INV_SECRETS.github, INV_SECRETS.generic]) expect(out.includes(s), format).toBe(false);
    }
  });
});
