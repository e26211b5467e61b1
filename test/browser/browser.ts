import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../support/server-process.js';

/** Debian's chromium package (apt-get install chromium); never a browser downloaded by a test tool. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** Without the background-networking flags Chromium keeps dialling Google's hosts, which this network refuses. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'browser');

/** describe(), or a loud skip when Chromium is not installed (a failure under CI=true, where .ci/run installs it). */
export function describeInBrowser(name: string, body: () => void): void {
  if (CHROMIUM !== undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error('the browser tests need Debian chromium (/usr/bin/chromium) and CI=true is set: install it');
  }
  process.stderr.write(
    `\n*** BROWSER TESTS SKIPPED: no /usr/bin/chromium. Install it with \`apt-get install chromium\` to run "${name}". ***\n\n`,
  );
  describe.skip(name, body);
}

/** One Chromium; Playwright starts it on a new, empty --user-data-dir of its own and removes it on close. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** A page of its own (storage, cookies) whose console errors and uncaught exceptions are collected. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 412, height: 915 },
    deviceScaleFactor: 1,
  });
  // Every layout shift a person did not cause (Cumulative Layout Shift's entries), for a test to read.
  await context.addInitScript(() => {
    const shifts: number[] = [];
    Object.assign(window, { layoutShifts: shifts });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) {
          shifts.push(entry.value);
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The layout shifts of the page so far, summed (what Chromium reports as Cumulative Layout Shift). */
export async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { layoutShifts: number[] }).layoutShifts.reduce((a, b) => a + b, 0));
}
