import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { httpTransport } from '../../src/providers/http-transport.ts';
import { deliverDueWebhooks } from '../../src/flows/deliver-webhooks.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp, merchantCall } from '../support/merchant-api.ts';
import { paidOrder } from '../support/after-sales.ts';
import { unpaidOrder } from '../support/payments.ts';
import { expectOnlyCanonicalApi, startAdminHarness, type AdminHarness } from './admin-harness.ts';

// The console's other sections, each driven once in a real Chromium and read back through the API: stock,
// the order timeout, a member's grade, a store's payment methods, an app whose secret is shown once (and works),
// and the CSV export (the same bytes the API gives).

let h: AdminHarness;
let admin: string;
let page: Page;

beforeAll(async () => {
  h = await startAdminHarness();
  admin = await staffToken(h.t);
  page = await h.signIn('en');
});
afterAll(() => h?.close());

const go = async (section: string) => {
  await page.locator('nav.sidebar a', { hasText: section }).click();
  await page.locator('h1', { hasText: section }).waitFor();
};

it('adjusts a product’s stock by a delta', async () => {
  const before = (await api(h.t, 'GET', '/v1/products/10001')).body.stock as number;
  await go('Products & stock');
  const row = page.locator('tr[data-product="10001"]');
  await row.locator('input[type="number"]').fill('5');
  await row.locator('button', { hasText: 'Adjust' }).click();
  await row.locator('[data-field="stock"]', { hasText: String(before + 5) }).waitFor();
  expect((await api(h.t, 'GET', '/v1/products/10001')).body.stock).toBe(before + 5);
});

it('sets the order timeout in the shop settings', async () => {
  await go('Shop settings');
  await page.locator('input[name="orderTimeoutMinutes"]').fill('45');
  await page.locator('[data-testid="merchant-settings"] button[type="submit"]').click();
  await page.locator('[data-testid="merchant-settings"] .ok').waitFor();
  expect((await api(h.t, 'GET', '/v1/admin/merchant', { token: admin })).body.orderTimeoutMinutes).toBe(45);
});

it('finds a member and puts them in a grade', async () => {
  const member = await createMember(h.t);
  const grades = (await api(h.t, 'GET', '/v1/admin/member-grades', { token: admin })).body as {
    id: number;
    name: string;
  }[];
  await go('Members');
  await page.locator('form.filters input').fill(String(member.memberId));
  await page.locator('form.filters button[type="submit"]').click();
  await page.locator(`tr[data-member="${member.memberId}"]`).click();
  await page.locator('[data-testid="ledger"] select').selectOption(String(grades[1]!.id));
  await page.locator(`tr[data-member="${member.memberId}"]`, { hasText: grades[1]!.name }).waitFor();
  const listed = (await api(h.t, 'GET', `/v1/admin/members?q=${member.memberId}`, { token: admin })).body.items[0];
  expect(listed.grade.id).toBe(grades[1]!.id);
});

it('shows a delivered webhook with its attempt and sends it again', async () => {
  const receiver = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    await createMerchantApp(h.t, admin, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
    const buyer = await createMember(h.t);
    await paidOrder(h.t, admin, buyer, [{ price: 8_800, quantity: 1 }]); // order.paid is announced
    expect(await deliverDueWebhooks(h.t.ctx, httpTransport())).toBeGreaterThan(0);
  } finally {
    receiver.close();
  }
  const delivered = (await api(h.t, 'GET', '/v1/admin/webhook-deliveries?status=delivered', { token: admin })).body
    .items[0];
  await go('Webhook deliveries');
  const row = page.locator(`tr[data-delivery="${delivered.id}"]`);
  await row.locator('.badge[data-status="delivered"]').waitFor();
  await row.locator('button.link').click();
  expect(await page.locator('tr.sub li').first().innerText()).toContain('HTTP 200');
  await row.locator('button', { hasText: 'Redeliver' }).click();
  await row.locator('.badge[data-status="pending"]').waitFor();
  const after = (
    await api(h.t, 'GET', '/v1/admin/webhook-deliveries?status=pending', { token: admin })
  ).body.items.find((d: { id: number }) => d.id === delivered.id);
  expect([after.status, after.attempts]).toEqual(['pending', 1]);
});

it('turns a payment method off for one client of the store', async () => {
  await go('Payment methods');
  await page.locator('select').nth(1).selectOption('H5');
  const balance = page.locator('tr[data-method="balance"] input[type="checkbox"]');
  await expect.poll(() => balance.isChecked()).toBe(true);
  await balance.uncheck();
  await page.locator('button', { hasText: 'Save' }).click();
  await page.locator('.ok', { hasText: 'Saved' }).waitFor();
  const settings = (
    await api(h.t, 'GET', `/v1/admin/payment-methods?storeId=${DEMO.storeId}&client=H5`, { token: admin })
  ).body as { method: string; enabled: boolean }[];
  expect(settings.find((s) => s.method === 'balance')?.enabled ?? false).toBe(false);
  expect(settings.find((s) => s.method === 'wechat')?.enabled).toBe(true);
});

it('creates an app and shows its secret once; the secret signs merchant API calls', async () => {
  await go('Apps');
  await page.locator('form.card input').first().fill('后台测试应用');
  await page.locator('form.card button[type="submit"]').click();
  const secret = await page.locator('[data-testid="secret-value"]').innerText();
  const appId = await page.locator('[data-testid="secret"] code').first().innerText();
  const signed = await merchantCall(h.t, { appId, secret }, 'GET', '/v1/merchant/trade-orders/2000010100000001');
  expect(signed.status).toBe(404); // signed correctly, so past authentication: the trade order just does not exist
  expect(
    (await merchantCall(h.t, { appId, secret: `${secret}x` }, 'GET', '/v1/merchant/trade-orders/2000010100000001'))
      .status,
  ).toBe(401);
  await page.locator('[data-testid="secret"] button').click();
  expect(await page.locator('[data-testid="secret"]').count()).toBe(0);
  expect(await page.locator(`tr[data-app="${appId}"]`).innerText()).not.toContain(secret);
});

it('exports the order list as the API’s CSV, byte for byte', async () => {
  const buyer = await createMember(h.t);
  await unpaidOrder(h.t, admin, buyer.token, 12_300);
  await go('Orders');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid="export-csv"]').click(),
  ]);
  expect(download.suggestedFilename()).toBe('orders.csv');
  const saved = await readFile((await download.path())!);
  const fromApi = await h.t.app.inject({
    method: 'GET',
    url: '/v1/admin/orders/export.csv',
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(saved.equals(fromApi.rawPayload)).toBe(true);
  expect(saved.toString()).toContain('123.00');
});

it('every request these sections made was the page, its files, or a canonical API operation', async () => {
  const seen = await expectOnlyCanonicalApi(h);
  for (const operation of [
    'POST /v1/admin/products/{productId}/stock-adjustments',
    'PATCH /v1/admin/merchant',
    'PUT /v1/admin/members/{memberId}/grade',
    'PUT /v1/admin/payment-methods',
    'POST /v1/admin/apps',
    'GET /v1/admin/orders/export.csv',
    'POST /v1/admin/webhook-deliveries/{id}/redeliver',
  ]) {
    expect(seen).toContain(operation);
  }
});
