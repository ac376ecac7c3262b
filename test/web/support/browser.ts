import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests leave their screenshots (named in the README). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, name);
}

/**
 * How long a page action or wait may take (Playwright's own default is 30 s): a page on a machine busy with other
 * work can be that slow to answer, and a wait ends as soon as its condition holds. Below Vitest's test timeout, so
 * a failing wait says what it waited for.
 */
export const PAGE_WAIT_MS = 60_000;

/**
 * Debian's Chromium, headless. Background networking stays off: this machine reaches nothing but loopback, and
 * Chromium's own calls home would otherwise fail (and slow every start). Every context it opens (newPage opens one
 * too) waits up to PAGE_WAIT_MS.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(PAGE_WAIT_MS);
    return context;
  };
  return browser;
}
