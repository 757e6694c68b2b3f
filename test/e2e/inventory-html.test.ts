/**
 * The inventory page in a real browser (Debian's Chromium through
 * playwright-core): it renders, the chart draws from the embedded data,
 * headers sort, the filters filter, nothing is fetched, nothing errs, no
 * injected markup runs. Skips only when /usr/bin/chromium is absent outside CI
 * (CI installs it with .ci/install-chromium.sh and must run this).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import inventoryHtml from "../../src/report/inventory/html.js";
import { emptyInventory, fixtureInventory, INV_SECRETS } from "../helpers/inventory-fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
const title = present || inCi ? "inventory html in headless Chromium" : `inventory html in headless Chromium — SKIPPED: ${CHROMIUM} is not installed (run .ci/install-chromium.sh)`;
if (!present && !inCi) console.warn(`[inventory-html] skipped: ${CHROMIUM} not found; install it with .ci/install-chromium.sh`);

describe.skipIf(!present && !inCi)(title, { timeout: 120_000 }, () => {
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  let pageUrl: string;

  async function open(file: string, content: string): Promise<Page> {
    const p = join(dir, file);
    writeFileSync(p, content);
    const url = pathToFileURL(p).href;
    const pg = await context.newPage();
    pg.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
    });
    pg.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    pg.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    pg.on("request", (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await pg.goto(url);
    return pg;
  }

  const order = (): Promise<string[]> => page.$$eval("#secrets tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-fingerprint") ?? ""));
  const visible = (): Promise<string[]> =>
    page.$$eval("#secrets tbody tr", (trs) => trs.filter((tr) => !(tr as HTMLElement).hidden).map((tr) => tr.getAttribute("data-fingerprint") ?? ""));

  const inv = fixtureInventory();
  const fp = Object.fromEntries(inv.rows.map((r) => [r.ruleId, r.fingerprint]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lg-html-"));
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
    });
    const content = inventoryHtml(inv, { showSecrets: false });
    for (const s of Object.values(INV_SECRETS)) expect(content).not.toContain(s);
    page = await open("inventory.html", content);
    pageUrl = page.url();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders the summary and one row per secret, most urgent first", async () => {
    expect(await page.title()).toBe("Secret inventory: acme/app");
    expect(await page.textContent(".meta")).toContain("321 commits scanned");
    expect((await page.textContent(".cards"))!.replace(/\s+/g, " ")).toContain("4distinct secrets 2still at HEAD");
    expect(await order()).toEqual([fp["github-pat"], fp["aws-access-key-id"], fp["generic-api-key"], fp["custom-script"]]);
    expect(await page.textContent("#count")).toBe("4 of 4 shown");
  });

  it("draws the timeline from the embedded data: a bar per non-zero month, an exposure line over every month", async () => {
    const ins = await page.$$eval("#chart rect.bar-in", (rs) => rs.map((r) => [r.getAttribute("data-label"), Number(r.getAttribute("height"))] as const));
    const outs = await page.$$eval("#chart rect.bar-out", (rs) => rs.map((r) => r.getAttribute("data-label")));
    expect(ins.map(([l]) => l)).toEqual(["2023-11", "2024-03", "2024-06"]);
    expect(outs).toEqual(["2024-02", "2024-06"]);
    // Two secrets in March are drawn twice as tall as one in November.
    expect(ins[1]![1]).toBeCloseTo(ins[0]![1] * 2, 5);
    const d = await page.getAttribute("#chart path.exposed", "d");
    expect(d!.split(/[ML]/).filter(Boolean)).toHaveLength(8); // 2023-11 … 2024-06
    const box = await page.locator("#chart").boundingBox();
    expect(box!.width).toBeGreaterThan(300);
  });

  it("sorts when a header is clicked, and again the other way", async () => {
    await page.click("th:has-text('risk')");
    expect(await order()).toEqual([fp["custom-script"], fp["generic-api-key"], fp["aws-access-key-id"], fp["github-pat"]]);
    expect(await page.getAttribute("th:has-text('risk')", "aria-sort")).toBe("ascending");
    await page.click("th:has-text('first seen')");
    expect(await order()).toEqual([fp["aws-access-key-id"], fp["github-pat"], fp["generic-api-key"], fp["custom-script"]]);
    await page.click("th:has-text('first seen')");
    expect(await order()).toEqual([fp["custom-script"], fp["generic-api-key"], fp["github-pat"], fp["aws-access-key-id"]]);
    await page.click("th:has-text('severity')");
    expect(await order()).toEqual([fp["github-pat"], fp["aws-access-key-id"], fp["generic-api-key"], fp["custom-script"]]);
  });

  it("filters by text and by severity", async () => {
    await page.fill("#filter", "prod,eu");
    expect(await visible()).toEqual([fp["aws-access-key-id"]]);
    expect(await page.textContent("#count")).toBe("1 of 4 shown");
    await page.fill("#filter", "");
    await page.selectOption("#severity", "critical");
    expect(await visible()).toEqual([fp["github-pat"]]);
    await page.fill("#filter", "nothing matches this");
    expect(await visible()).toEqual([]);
    await page.fill("#filter", "");
    await page.selectOption("#severity", "");
    expect((await visible()).length).toBe(4);
  });

  it("runs no injected markup, fetches nothing, logs no error; screenshot saved", async () => {
    expect(await page.$$eval("img", (x) => x.length)).toBe(0);
    expect(await page.textContent("#secrets")).toContain("web/<img src=x onerror=alert(1)>.html");
    const artifacts = join(process.cwd(), "test-artifacts");
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "inventory.png"), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(pageUrl.startsWith("file://")).toBe(true);
  });

  it("an empty inventory renders without errors", async () => {
    const before = errors.length;
    const pg = await open("empty.html", inventoryHtml(emptyInventory(), { showSecrets: false }));
    expect(await pg.textContent("body")).toContain("No secrets found in the history.");
    expect(await pg.textContent("#chart")).toBe("No dated secrets.");
    expect(errors.slice(before)).toEqual([]);
    expect(requests).toEqual([]);
  });
});
