/**
 * The inventory page as a security lead sees it, in headless Chromium at a
 * desktop size (1400×900) and a phone size (390×844): no horizontal overflow
 * of the page, the key columns visible, links to the forge, private keys by
 * type and fingerprint, rotated secrets, remediation Markdown rendered safely,
 * a compact timeline on a short history. Screenshots go to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import inventoryHtml from "../../src/report/inventory/html.js";
import { timeline } from "../../src/report/inventory/view.js";
import { ARTIFACTS, BrowserSession, browserAvailable, horizontalOverflow, insideViewportWidth, screenshot } from "../helpers/browser.js";
import { mergeInventories } from "../../src/inventory/merge.js";
import { leadInventory, pemKey } from "../helpers/inventory-fixture.js";

/** Three repositories' inventories sharing the fixture's secrets (same key id), merged. */
function orgInventory() {
  const inputs = ["api", "web", "worker"].map((name, i) => {
    const inv = leadInventory();
    inv.repository = `/home/runner/work/${name}/repo`;
    inv.web = { host: "github", url: `https://github.com/acme/${name}` };
    inv.fingerprintSalt = { id: "0123456789abcdef", kind: "key", keyId: "5be1c0de" };
    inv.rows = inv.rows.slice(0, 3 + i).map((r) => ({ ...r, secret: r.secret.slice(0, 4) + "…", secretRedacted: true }));
    return { file: `${name}.json`, inventory: inv };
  });
  return mergeInventories(inputs, { name: "acme" });
}

const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
const KEY_CELLS = ["td[data-label='risk']", "td[data-label='severity']", "td[data-label='rule']", "td[data-label='secret']", "td[data-label='state']"];

describe.skipIf(!browserAvailable)("inventory html layout in headless Chromium", { timeout: 120_000 }, () => {
  const browser = new BrowserSession();
  beforeAll(() => browser.start(), 180_000);
  afterAll(() => browser.stop());

  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    it(`${label} ${size.width}×${size.height}: no horizontal overflow, key columns visible; screenshot saved`, async () => {
      const inv = leadInventory();
      // A long rule id and a long unbroken path must wrap, not push the page sideways.
      inv.rows[3]!.ruleId = "custom-internal-service-account-credential-rule";
      inv.rows[3]!.files.push("a/" + "very-long-directory-name".repeat(6) + "/settings.env");
      const page = await browser.open(`lead-${label}.html`, inventoryHtml(inv, { showSecrets: false }), size);
      expect(await horizontalOverflow(page)).toBe(0);
      // On a phone the table is cards: nothing scrolls sideways inside its wrapper either.
      const inner = await page.$eval("#secrets", (t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
      if (label === "phone") expect(inner).toBe(0);
      const first = await page.$$eval("#secrets tbody tr", (trs) => trs.length);
      expect(first).toBe(5);
      const seen = await insideViewportWidth(page, KEY_CELLS.map((s) => `#secrets tbody tr:first-child ${s}`));
      expect(Object.values(seen).every(Boolean), JSON.stringify(seen)).toBe(true);
      // The chart fits too.
      const chart = await page.locator("#chart").boundingBox();
      expect(chart!.x + chart!.width).toBeLessThanOrEqual(size.width);
      await screenshot(page, `inventory-lead-${label}`);
      await page.screenshot({ path: `${ARTIFACTS}/inventory-lead-${label}-top.png` });
      expect(browser.errors).toEqual([]);
      expect(browser.requests).toEqual([]);
    });
  }

  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    it(`organisation inventory, ${label}: repositories column and per-repository lines fit; screenshot saved`, async () => {
      const org = orgInventory();
      const page = await browser.open(`org-${label}.html`, inventoryHtml(org, { showSecrets: false }), size);
      expect(await horizontalOverflow(page)).toBe(0);
      if (label === "phone") expect(await page.$eval("#secrets", (t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth)).toBe(0);
      expect(await page.title()).toBe("Organisation secret inventory: acme");
      const cell = await page.textContent("#secrets tbody tr:first-child td[data-label='repositories']");
      expect(cell).toBe("3 acme/api, acme/web, acme/worker");
      const seen = await insideViewportWidth(page, [...KEY_CELLS, "td[data-label='repositories']"].map((s) => `#secrets tbody tr:first-child ${s}`));
      expect(Object.values(seen).every(Boolean), JSON.stringify(seen)).toBe(true);
      expect(await page.$$eval(".todo table.presence", (t) => t.length)).toBe(5);
      await screenshot(page, `inventory-org-${label}`);
      await page.locator("#secrets tbody tr:first-child").screenshot({ path: `${ARTIFACTS}/inventory-org-${label}-first-row.png` });
      expect(browser.errors).toEqual([]);
      expect(browser.requests).toEqual([]);
    });
  }

  it("links commits and files to the forge, names the author, shows keys by type and fingerprint, marks rotation", async () => {
    const inv = leadInventory();
    const page = await browser.open("lead-facts.html", inventoryHtml(inv, { showSecrets: false }), DESKTOP);
    const body = (await page.textContent("body"))!;
    expect(body).toContain("RSA private key · SHA256:");
    expect(body).not.toContain("-----BEGIN");
    for (const line of pemKey().split("\n").filter((l) => l.length > 20)) expect(body).not.toContain(line);
    expect(await page.textContent("tr[data-fingerprint='" + inv.rows[0]!.fingerprint + "'] td[data-label='state']")).toBe("rotated 2024-03-01 by alice@example.com");
    expect(await page.textContent("tr[data-fingerprint='" + inv.rows[4]!.fingerprint + "'] td[data-label='author']")).toBe("Mallory Maintainer-With-A-Long-Name");
    const hrefs = await page.$$eval("#secrets a", (as) => as.map((a) => a.getAttribute("href")));
    expect(hrefs).toContain(`https://github.com/acme/app/commit/${"d".repeat(40)}`);
    expect(hrefs).toContain(`https://github.com/acme/app/blob/${"7".repeat(40)}/deploy/keys/id_rsa`);
    expect(hrefs).toContain(`https://github.com/acme/app/blob/${"b".repeat(40)}/deploy/prod%2Ceu.env`);
    expect(browser.errors).toEqual([]);
  });

  it("renders remediation Markdown (lists, bold, code, http links) and nothing unsafe", async () => {
    const page = await browser.open("lead-md.html", inventoryHtml(leadInventory(), { showSecrets: false }), DESKTOP);
    const md = page.locator(".todo .md").first();
    expect(await md.locator("li").allTextContents()).toEqual(["open Settings › Developer settings", "run gh auth refresh <b>now</b>", "see the docs or [this](javascript:alert(1))"]);
    expect(await md.locator("strong").textContent()).toBe("Settings › Developer settings");
    expect(await md.locator("code").textContent()).toBe("gh auth refresh");
    expect(await md.locator("a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]))).toEqual([["the docs", "https://docs.github.com/en/authentication"]]);
    expect(await page.$$eval(".todo b", (bs) => bs.map((b) => b.textContent))).not.toContain("now");
  });

  it("a short history draws a small, daily timeline", async () => {
    const inv = leadInventory();
    const days = ["2024-06-01", "2024-06-01", "2024-06-03", "2024-06-04", "2024-06-04"];
    inv.rows.forEach((r, i) => {
      r.introduced = { ...r.introduced, date: `${days[i]}T10:00:00Z` };
      delete r.removed;
      delete r.rotated;
    });
    expect(timeline(inv).map((b) => b.label)).toEqual(["2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04"]);
    for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      const page = await browser.open(`short-${label}.html`, inventoryHtml(inv, { showSecrets: false }), size);
      const box = (await page.locator("#chart").boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(400);
      expect(box.height).toBeLessThanOrEqual(200);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, `inventory-short-history-${label}`);
    }
    expect(browser.errors).toEqual([]);
  });
});
