import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { launchBrowser } from './support/browser.ts';

/** An ordo on a real socket and a real Chromium, for the cashier and shop browser tests. */
export interface CashierHarness {
  t: TestApp;
  base: string;
  browser: Browser;
  /** a phone-sized browser context in one language (navigator.language decides the page's default) */
  phone(locale: 'zh-CN' | 'en'): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startCashierHarness(): Promise<CashierHarness> {
  const t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  return {
    t,
    base,
    browser,
    phone: (locale) =>
      browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale,
      }),
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Opens an order's cashier the way the shop links to it: the member token in the URL fragment. */
export async function openCashier(
  h: CashierHarness,
  context: BrowserContext,
  orderNo: string,
  token: string,
): Promise<Page> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  await page.goto(`${h.base}/pay/${orderNo}#token=${encodeURIComponent(token)}`);
  await page.locator('.cashier[data-state="pending"] .methods').waitFor();
  if (problems.length) throw new Error(`the cashier threw: ${problems.join('; ')}`);
  return page;
}

/** A marker on window survives only as long as the page is not reloaded or navigated away. */
export const markPage = (page: Page) =>
  page.evaluate(() => Object.assign(window, { cashierMarker: 'still the same page' }));
export const pageMarker = (page: Page) =>
  page.evaluate(() => (window as unknown as { cashierMarker?: string }).cashierMarker);

/**
 * The cashier's countdown, in `label mm:ss`: at most the merchant's 30 minutes, and no less than what is really left
 * of the order's time (the page rounds up and ticks each second). Bounded by the order's own deadline, not by how
 * fast the test got here: a busy machine can take minutes between placing the order and reading the page.
 */
export async function expectCountdown(page: Page, label: string, expiresAt: string) {
  const text = await page.locator('.countdown').innerText();
  const left = Math.floor((new Date(expiresAt).getTime() - Date.now()) / 1000);
  const shown = /^(.+) (\d\d):([0-5]\d)$/.exec(text);
  expect(shown?.[1], `countdown "${text}"`).toBe(label);
  const seconds = Number(shown![2]) * 60 + Number(shown![3]);
  expect(seconds).toBeLessThanOrEqual(30 * 60);
  expect(seconds).toBeGreaterThanOrEqual(left);
}
