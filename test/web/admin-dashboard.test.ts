import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, memberToken, placeOrder, staffToken } from '../support/actors.ts';
import { buyerPays, startPayment } from '../support/payments.ts';
import { expectOnlyCanonicalApi, startAdminHarness, type AdminHarness } from './admin-harness.ts';
import { screenshotPath } from './support/browser.ts';

// The dashboard draws the sales report: a week of orders placed on chosen days with the test clock (paid from the
// balance, WeChat and Alipay through the simulator, one refund), shown in a real Chromium. The numbers and the
// charts' data must be the API's aggregates, which are checked against the seeded amounts to the fen.

let h: AdminHarness;
let page: Page;

async function sale(
  day: string,
  price: number,
  pay: 'balance' | 'wechat' | 'alipay' | null,
  buyer: { memberId: number },
) {
  h.t.clock.set(new Date(day));
  const token = await memberToken(h.t, buyer.memberId);
  const admin = await staffToken(h.t);
  const product = await createProduct(h.t, admin, { price, stock: 5, title: '看板商品' });
  const placed = await placeOrder(h.t, token, { lines: [{ productId: product.id, quantity: 1 }] });
  expect(placed.body.payableAmount).toBe(price); // over 99 yuan: free shipping, and no discounts
  if (pay === 'balance')
    expect((await startPayment(h.t, token, placed.body.orderNo, { method: 'balance', client: 'H5' })).status).toBe(200);
  if (pay === 'wechat' || pay === 'alipay') {
    const started = await startPayment(
      h.t,
      token,
      placed.body.orderNo,
      pay === 'wechat'
        ? { method: 'wechat', channel: 'native', client: 'PC' }
        : { method: 'alipay', channel: 'precreate', client: 'PC' },
    );
    await buyerPays(h.t, started.body.action.content);
  }
  return { orderNo: placed.body.orderNo as string, lineId: placed.body.lines[0].id as number, token, admin };
}

beforeAll(async () => {
  h = await startAdminHarness();
  const buyer = await createMember(h.t);
  await h.t.ctx.db.updateTable('members').set({ balance: 1_000_000 }).where('id', '=', buyer.memberId).execute();
  // days in Shanghai (UTC+8): 4, 5, 7, 8 and 10 June; "today" is 10 June
  await sale('2026-06-04T02:00:00Z', 10_000, 'balance', buyer);
  await sale('2026-06-05T03:00:00Z', 25_000, 'wechat', buyer);
  await sale('2026-06-07T04:00:00Z', 30_000, 'alipay', buyer);
  await sale('2026-06-07T05:00:00Z', 12_000, null, buyer);
  const refunded = await sale('2026-06-08T06:00:00Z', 15_000, 'balance', buyer);
  const asked = await api(h.t, 'POST', `/v1/orders/${refunded.orderNo}/refunds`, {
    token: refunded.token,
    body: { kind: 'refund_only', reason: '破损', lines: [{ lineId: refunded.lineId, amount: 5_000 }] },
  });
  expect(
    (await api(h.t, 'POST', `/v1/admin/refunds/${asked.body.refundNo}/approve`, { token: refunded.admin, body: {} }))
      .status,
  ).toBe(200);
  await sale('2026-06-10T01:00:00Z', 18_800, 'wechat', buyer);
  await sale('2026-06-10T01:30:00Z', 11_100, 'balance', buyer);
  h.t.clock.set(new Date('2026-06-10T04:00:00Z'));
  page = await h.signIn('zh-CN');
});
afterAll(() => h?.close());

const tile = (id: string) => page.locator(`[data-testid="${id}"]`).innerText();
const chartData = (id: string) =>
  page.locator(`canvas[data-testid="${id}"]`).evaluate((canvas) => {
    const chart = (
      globalThis as unknown as {
        Chart: { getChart(c: HTMLCanvasElement): { data: { labels: string[]; datasets: { data: number[] }[] } } };
      }
    ).Chart.getChart(canvas as HTMLCanvasElement);
    return { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => d.data) };
  });

it('the API aggregates the seeded week exactly', async () => {
  const report = (await api(h.t, 'GET', '/v1/admin/reports/sales', { token: await staffToken(h.t) })).body;
  expect([report.from, report.to]).toEqual(['2026-06-04', '2026-06-10']);
  expect(report.days.map((d: { orders: number; gmv: number }) => [d.orders, d.gmv])).toEqual([
    [1, 10_000],
    [1, 25_000],
    [0, 0],
    [2, 30_000],
    [1, 15_000],
    [0, 0],
    [2, 29_900],
  ]);
  expect(report.methods).toEqual([
    { method: 'alipay', payments: 1, amount: 30_000 },
    { method: 'balance', payments: 3, amount: 36_100 },
    { method: 'wechat', payments: 2, amount: 43_800 },
  ]);
  expect(report.totals).toEqual({
    orders: 7,
    paidOrders: 6,
    gmv: 109_900,
    refundedAmount: 5_000,
    refundedOrders: 1,
    refundRateBasisPoints: 455,
  });
});

it('renders both charts with the report’s data and the tiles with its numbers (zh-CN), and is captured', async () => {
  await page.locator('canvas[data-testid="chart-daily"]').waitFor();
  await page.locator('canvas[data-testid="chart-methods"]').waitFor();
  const report = (await api(h.t, 'GET', '/v1/admin/reports/sales', { token: await staffToken(h.t) })).body;
  expect(await chartData('chart-daily')).toEqual({
    labels: report.days.map((d: { date: string }) => d.date.slice(5)),
    datasets: [
      report.days.map((d: { gmv: number }) => d.gmv / 100),
      report.days.map((d: { orders: number }) => d.orders),
    ],
  });
  expect((await chartData('chart-daily')).datasets[0]).toEqual([100, 250, 0, 300, 150, 0, 299]);
  expect(await chartData('chart-methods')).toEqual({
    labels: ['支付宝', '余额', '微信支付'],
    datasets: [[300, 361, 438]],
  });
  expect(await tile('today-orders')).toBe(String(report.today.orders));
  expect(await tile('today-gmv')).toBe('¥299.00');
  expect(await tile('range-gmv')).toBe('¥1099.00');
  expect(await tile('range-orders')).toBe('7');
  expect(await tile('range-paid')).toBe('6');
  expect(await tile('refund-rate')).toBe('4.55% · ¥50.00');
  expect(await page.locator('input[name="from"]').inputValue()).toBe('2026-06-04');
  expect(await page.locator('input[name="to"]').inputValue()).toBe('2026-06-10');
  await page.screenshot({ path: screenshotPath('admin-dashboard.png') });
});

it('a chosen range redraws from the API: 7 and 8 June only, the charts in the same moment as the tiles', async () => {
  // every time the page changes, note the range total beside the daily chart's days: a chart drawn after the next
  // paint would show the old week beside the new total (a MutationObserver runs before any paint)
  await page.evaluate(() => {
    const seen: { gmv: string; days: string[] }[] = ((globalThis as unknown as { seen: unknown }).seen = []);
    const dashboard = document.querySelector('.dashboard')!;
    new MutationObserver(() => {
      const canvas = document.querySelector('canvas[data-testid="chart-daily"]') as HTMLCanvasElement;
      const chart = (
        globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { labels: string[] } } } }
      ).Chart.getChart(canvas);
      seen.push({
        gmv: document.querySelector('[data-testid="range-gmv"]')!.textContent!,
        days: [...chart.data.labels],
      });
    }).observe(dashboard, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await page.locator('input[name="from"]').fill('2026-06-07');
  await page.locator('input[name="to"]').fill('2026-06-08');
  await page.locator('.dashboard form button[type="submit"]').click();
  // the page answers when the server does: wait for the new figures; the charts show the same report at once
  await page.locator('[data-testid="range-gmv"]', { hasText: '¥450.00' }).waitFor();
  expect(await chartData('chart-daily')).toEqual({
    labels: ['06-07', '06-08'],
    datasets: [
      [300, 150],
      [2, 1],
    ],
  });
  expect(await chartData('chart-methods')).toEqual({ labels: ['支付宝', '余额'], datasets: [[300, 150]] });
  const seen = await page.evaluate(() => (globalThis as unknown as { seen: { gmv: string; days: string[] }[] }).seen);
  const week = ['06-04', '06-05', '06-06', '06-07', '06-08', '06-09', '06-10'];
  expect(seen.filter((s) => s.gmv === '¥450.00')).not.toEqual([]);
  expect(
    seen.filter(
      (s) =>
        !(s.gmv === '¥450.00' && s.days.join() === '06-07,06-08') &&
        !(s.gmv === '¥1099.00' && s.days.join() === week.join()),
    ),
  ).toEqual([]);
  expect(await tile('refund-rate')).toBe('11.11% · ¥50.00'); // 5 000 / 45 000
  expect(await tile('today-gmv')).toBe('¥299.00'); // today stays today
  expect(new URL(page.url()).search).toBe('?from=2026-06-07&to=2026-06-08');
});

it('a sale made while the console is open shows up by itself: a new row in the order list, then paid, and today’s tiles grow', async () => {
  const list = await h.signIn('zh-CN');
  await list.goto(`${h.base}/admin/orders`);
  for (const p of [page, list]) {
    await p.locator('[data-testid="live"][data-live="true"]').waitFor();
    await p.evaluate(() => Object.assign(window, { notReloaded: true }));
  }
  const todayOrders = Number(await tile('today-orders'));

  const buyer = await createMember(h.t);
  const admin = await staffToken(h.t);
  const product = await createProduct(h.t, admin, { price: 12_345, stock: 5, title: '实时商品' });
  const placed = await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  expect(placed.body.payableAmount).toBe(12_345);
  const row = list.locator(`tr[data-order="${placed.body.orderNo}"]`);
  await row.locator('[data-status="pending_payment"]').waitFor();
  await page.locator('[data-testid="today-orders"]', { hasText: String(todayOrders + 1) }).waitFor();

  const started = await startPayment(h.t, buyer.token, placed.body.orderNo, {
    method: 'wechat',
    channel: 'native',
    client: 'PC',
  });
  await buyerPays(h.t, started.body.action.content);
  await row.locator('[data-status="paid"]').waitFor();
  await page.locator('[data-testid="today-gmv"]', { hasText: '¥422.45' }).waitFor(); // 299.00 + 123.45
  expect(await row.getAttribute('class')).toContain('just-changed');
  for (const p of [page, list])
    expect(await p.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await list.context().close();
});

it('the order list filters by payment method', async () => {
  const list = await h.signIn('en');
  await list.goto(`${h.base}/admin/orders`);
  await list.locator('select[name="method"]').selectOption('alipay');
  await list.locator('form.filters button[type="submit"]').click();
  await expect.poll(() => list.locator('tr[data-order]').count()).toBe(1);
  const expected = (await api(h.t, 'GET', '/v1/orders?method=alipay', { token: await staffToken(h.t) })).body.items.map(
    (o: { orderNo: string }) => o.orderNo,
  );
  expect(expected).toHaveLength(1);
  expect(await list.locator('tr[data-order]').getAttribute('data-order')).toBe(expected[0]);
  await list.context().close();
});

it('every request the dashboard made was the page, its files, or a canonical API operation', async () => {
  const seen = await expectOnlyCanonicalApi(h);
  expect(seen).toContain('GET /v1/admin/reports/sales');
  expect(seen).toContain('GET /v1/admin/orders/stream');
  expect(seen).toContain('POST /v1/staff/login');
});
