/**
 * Debian's Chromium through playwright-core, for tests that look at a page:
 * open an HTML string at a viewport size, collect console errors and network
 * requests, save screenshots to test-artifacts/ (gitignored).
 * Tests skip only when /usr/bin/chromium is absent outside CI
 * (.ci/install-chromium.sh installs it; CI must run them).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
/** True when the browser tests must run (Chromium present, or in CI where its absence is a failure). */
export const browserAvailable = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!browserAvailable) console.warn(`[browser tests] skipped: ${CHROMIUM} not found; install it with .ci/install-chromium.sh`);

/** Screenshot folder (gitignored). */
export const ARTIFACTS = join(process.cwd(), "test-artifacts");

/** A headless browser session in a temporary profile. */
export class BrowserSession {
  readonly errors: string[] = [];
  readonly requests: string[] = [];
  private dir = "";
  private context: BrowserContext | undefined;

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), "lg-browser-"));
    this.context = await chromium.launchPersistentContext(join(this.dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1400, height: 900 },
    });
  }

  /** Opens `content` as a file at the viewport size; the page's own URL is not counted as a request. */
  async open(name: string, content: string, viewport: { width: number; height: number }): Promise<Page> {
    const p = join(this.dir, name);
    writeFileSync(p, content);
    const url = pathToFileURL(p).href;
    const page = await this.context!.newPage();
    await page.setViewportSize(viewport);
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") this.errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on("request", (r) => {
      if (r.url() !== url) this.requests.push(r.url());
    });
    await page.goto(url);
    return page;
  }

  async stop(): Promise<void> {
    await this.context?.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Saves a full-page screenshot as test-artifacts/NAME.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** How far the page is wider than its viewport (0 = no horizontal overflow). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);
}

/** Whether each selector's first element lies fully inside the viewport's width (and is displayed). */
export function insideViewportWidth(page: Page, selectors: readonly string[]): Promise<Record<string, boolean>> {
  return page.evaluate((sels) => {
    const out: Record<string, boolean> = {};
    for (const s of sels) {
      const e = document.querySelector(s);
      const r = e?.getBoundingClientRect();
      out[s] = !!r && r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth;
    }
    return out;
  }, selectors);
}
