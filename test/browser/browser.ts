import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium as launch } from '../support/chromium.js';
import { REPO_ROOT } from '../support/server-process.js';

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

/** Chromium for a suite, with the folder its screenshots go to. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launch();
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
