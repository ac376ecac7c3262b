import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { api } from '../support/api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { launchBrowser } from './support/browser.ts';

/** An ordo on a real socket, a real Chromium at a desktop size, and every request the console page sends. */
export interface AdminHarness {
  t: TestApp;
  base: string;
  browser: Browser;
  /** method and path (with query) of every request the console pages made */
  requests: { method: string; url: string }[];
  /** a new desktop page in one language, signed in as `username` through the console's own login form */
  signIn(locale: 'zh-CN' | 'en', username?: string, password?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startAdminHarness(): Promise<AdminHarness> {
  const t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  const requests: { method: string; url: string }[] = [];
  return {
    t,
    base,
    browser,
    requests,
    async signIn(locale, username = 'admin', password = 'admin123') {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(String(err)));
      page.on('request', (request) => requests.push({ method: request.method(), url: request.url() }));
      await page.goto(`${base}/admin`);
      await page.locator('input[name="username"]').fill(username);
      await page.locator('input[name="password"]').fill(password);
      await page.locator('form.sign-in button[type="submit"]').click();
      await page.locator('nav.sidebar').waitFor();
      if (problems.length) throw new Error(`the console threw: ${problems.join('; ')}`);
      return page;
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * "No second path": every request the console made is either the page itself and its static files (the /admin
 * shell, /web/*) or an operation of the canonical API as /openapi.json lists it (same path template, same method).
 * Returns the API operations seen, as "METHOD /template", for the caller to check the actions it drove.
 */
export async function expectOnlyCanonicalApi(h: AdminHarness): Promise<Set<string>> {
  const document = (await api(h.t, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(document.paths).map(([template, methods]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods: Object.keys(methods).map((m) => m.toUpperCase()),
  }));
  const seen = new Set<string>();
  const strays: string[] = [];
  expect(h.requests.length).toBeGreaterThan(0);
  for (const request of h.requests) {
    const url = new URL(request.url);
    expect(url.origin).toBe(h.base); // nothing leaves ordo: no CDN, no other host
    if (
      request.method === 'GET' &&
      (url.pathname === '/admin' || url.pathname.startsWith('/admin/') || url.pathname.startsWith('/web/'))
    )
      continue;
    const operation = operations.find((o) => o.pattern.test(url.pathname) && o.methods.includes(request.method));
    if (operation) seen.add(`${request.method} ${operation.template}`);
    else strays.push(`${request.method} ${url.pathname}`);
  }
  expect(strays).toEqual([]);
  return seen;
}
