import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createAddress, createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { paidOrder } from '../support/after-sales.ts';
import { buyerPays, multipartBody, PNG_1X1, startPayment } from '../support/payments.ts';
import { expectOnlyCanonicalApi, startAdminHarness, type AdminHarness } from './admin-harness.ts';
import { screenshotPath } from './support/browser.ts';

// Staff work orders in the admin console in a real Chromium: approve an offline voucher, ship in two parcels,
// approve a refund that goes back through the WeChat simulator. Each result is read back through the API.

let h: AdminHarness;
let admin: string;
let buyer: { memberId: number; token: string };
let page: Page;

beforeAll(async () => {
  h = await startAdminHarness();
  admin = await staffToken(h.t);
  buyer = await createMember(h.t);
  page = await h.signIn('zh-CN');
});
afterAll(() => h?.close());

const order = async (orderNo: string) => (await api(h.t, 'GET', `/v1/orders/${orderNo}`, { token: admin })).body;
const openOrder = async (orderNo: string) => {
  await page.goto(`${h.base}/admin/orders/${orderNo}`);
  await page.locator('[data-testid="order-detail"]').waitFor();
};
const waitForStatus = (status: string) =>
  page.locator(`[data-testid="order-detail"][data-status="${status}"]`).waitFor();

it('staff sign in and see the dashboard', async () => {
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  expect(await page.locator('nav.sidebar a.active').innerText()).toBe('概览');
  expect(await page.locator('[data-testid="who"]').innerText()).not.toBe('');
});

it('approves a buyer’s bank-transfer voucher from the order list: the order is paid with exactly its amount', async () => {
  const product = await createProduct(h.t, admin, { price: 45_600, stock: 10, title: '凭证商品' });
  const placed = await placeOrder(h.t, buyer.token, {
    lines: [{ productId: product.id, quantity: 1 }],
    addressId: await createAddress(h.t, buyer.token),
  });
  const orderNo: string = placed.body.orderNo;
  const upload = multipartBody({ method: 'voucher_bank', client: 'PC' }, [
    { name: 'images', filename: 'proof.png', type: 'image/png', data: PNG_1X1 },
  ]);
  const submitted = await h.t.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderNo}/vouchers`,
    payload: upload.payload,
    headers: { 'content-type': upload.contentType, authorization: `Bearer ${buyer.token}` },
  });
  expect(submitted.statusCode).toBe(201);

  await page.locator('nav.sidebar a', { hasText: '订单' }).click();
  await page.locator('select[name="status"]').selectOption('payment_review');
  await page.locator('form.filters button[type="submit"]').click();
  await page.locator(`tr[data-order="${orderNo}"] a`).click();
  await waitForStatus('payment_review');
  await page.locator('.vouchers img').first().waitFor();
  expect(
    await page
      .locator('.vouchers img')
      .first()
      .evaluate((img: HTMLImageElement) => img.naturalWidth),
  ).toBe(1); // the 1×1 proof, loaded with the staff token
  await page.locator('[data-testid="decide-voucher"] [data-action="approve"]').click();
  await waitForStatus('paid');

  const after = await order(orderNo);
  expect([after.status, after.paymentStatus, after.paidAmount]).toEqual(['paid', 'paid', 45_600]);
  const payments = (await api(h.t, 'GET', `/v1/orders/${orderNo}/payments`, { token: admin })).body;
  expect(
    payments.map((p: { method: string; status: string; amount: number }) => [p.method, p.status, p.amount]),
  ).toEqual([['voucher_bank', 'paid', 45_600]]);
});

it('rejects a voucher with a reason: the order waits for payment again and the buyer sees why', async () => {
  const product = await createProduct(h.t, admin, { price: 12_000, stock: 10, title: '驳回凭证' });
  const placed = await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  const upload = multipartBody({ method: 'voucher_alipay', client: 'PC' }, [
    { name: 'images', filename: 'proof.png', type: 'image/png', data: PNG_1X1 },
  ]);
  const submitted = await h.t.app.inject({
    method: 'POST',
    url: `/v1/orders/${placed.body.orderNo}/vouchers`,
    payload: upload.payload,
    headers: { 'content-type': upload.contentType, authorization: `Bearer ${buyer.token}` },
  });
  expect(submitted.statusCode).toBe(201);
  await openOrder(placed.body.orderNo);
  const decide = page.locator('[data-testid="decide-voucher"]');
  expect(await decide.locator('[data-action="reject"]').isDisabled()).toBe(true); // a rejection needs a reason
  await decide.locator('[data-field="reason"]').fill('金额不符');
  await decide.locator('[data-action="reject"]').click();
  await waitForStatus('pending_payment');
  const payments = (await api(h.t, 'GET', `/v1/orders/${placed.body.orderNo}/payments`, { token: buyer.token })).body;
  expect(payments.map((p: { status: string; reviewNote: string }) => [p.status, p.reviewNote])).toEqual([
    ['failed', '金额不符'],
  ]);
  expect((await order(placed.body.orderNo)).paidAmount).toBe(0);
});

it('ships part of an order (chosen lines and quantities), then the rest: two parcels, then shipped', async () => {
  const paid = await paidOrder(h.t, admin, buyer, [
    { price: 5_000, quantity: 3 },
    { price: 7_000, quantity: 1 },
  ]);
  const [first, second] = paid.lines;
  await openOrder(paid.orderNo);
  await waitForStatus('paid');
  const form = page.locator('[data-testid="ship-form"]');
  await form.locator(`input[data-line="${first!.id}"]`).fill('2');
  await form.locator(`input[data-line="${second!.id}"]`).fill('0');
  await form.locator('input[name="tracking"]').fill('SF1000000001');
  await form.locator('button[type="submit"]').click();
  await page
    .locator(`[data-testid="lines"] tr[data-line="${first!.id}"] [data-field="shipped"]`, { hasText: '2' })
    .waitFor();

  let now = await order(paid.orderNo);
  expect(now.status).toBe('paid');
  expect(now.lines.map((l: { shippedQuantity: number }) => l.shippedQuantity)).toEqual([2, 0]);

  // the form now offers what is left: one of the first line, the second line whole
  expect(await form.locator(`input[data-line="${first!.id}"]`).inputValue()).toBe('1');
  expect(await form.locator(`input[data-line="${second!.id}"]`).inputValue()).toBe('1');
  await form.locator('input[name="tracking"]').fill('SF1000000002');
  await form.locator('button[type="submit"]').click();
  await waitForStatus('shipped');

  now = await order(paid.orderNo);
  expect(now.lines.map((l: { shippedQuantity: number }) => l.shippedQuantity)).toEqual([3, 1]);
  const parcels = (await api(h.t, 'GET', `/v1/orders/${paid.orderNo}/shipments`, { token: admin })).body;
  expect(
    parcels.map((s: { trackingNumbers: string[]; lines: { lineId: number; quantity: number }[] }) => [
      s.trackingNumbers,
      s.lines,
    ]),
  ).toEqual([
    [['SF1000000001'], [{ lineId: first!.id, quantity: 2 }]],
    [
      ['SF1000000002'],
      [
        { lineId: first!.id, quantity: 1 },
        { lineId: second!.id, quantity: 1 },
      ],
    ],
  ]);
  expect(await page.locator('[data-testid="shipments"] p').count()).toBe(2);
  await page.screenshot({ path: screenshotPath('admin-order-detail.png'), fullPage: true });
});

it('approves a refund of a WeChat-paid order: the simulator refunds it and the amounts are exact', async () => {
  const product = await createProduct(h.t, admin, { price: 20_000, stock: 10, title: '微信商品' });
  const placed = await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  const orderNo: string = placed.body.orderNo;
  const started = await startPayment(h.t, buyer.token, orderNo, { method: 'wechat', channel: 'native', client: 'PC' });
  await buyerPays(h.t, started.body.action.content);
  const asked = await api(h.t, 'POST', `/v1/orders/${orderNo}/refunds`, {
    token: buyer.token,
    body: { kind: 'refund_only', reason: '不想要了', lines: [{ lineId: placed.body.lines[0].id, amount: 7_500 }] },
  });
  expect(asked.status).toBe(201);

  await openOrder(orderNo);
  const request = page.locator(`[data-refund="${asked.body.refundNo}"]`);
  await request.locator('[data-action="approve"]').click();
  await request.locator('.badge:not([data-status="requested"])').waitFor();
  await h.t.sandbox.simulator.settle(); // the gateway confirms the refund by its notification

  const refunds = (await api(h.t, 'GET', `/v1/orders/${orderNo}/refunds`, { token: admin })).body;
  expect(
    refunds.map((r: { refundNo: string; status: string; amount: number }) => [r.refundNo, r.status, r.amount]),
  ).toEqual([[asked.body.refundNo, 'refunded', 7_500]]);
  const after = await order(orderNo);
  expect([after.status, after.refundStatus, after.paidAmount, after.refundedAmount]).toEqual([
    'paid',
    'partially_refunded',
    20_000,
    7_500,
  ]);
  const payment = (await api(h.t, 'GET', `/v1/orders/${orderNo}/payments`, { token: admin })).body.find(
    (p: { status: string }) => p.status !== 'closed',
  );
  expect([payment.method, payment.status, payment.refundedAmount]).toEqual(['wechat', 'partially_refunded', 7_500]);
  // reloading shows the finished refund
  await openOrder(orderNo);
  await page.locator(`[data-refund="${asked.body.refundNo}"] .badge[data-status="refunded"]`).waitFor();
});

it('changes the price of an unpaid order with a reason and keeps a remark; both are in the timeline', async () => {
  const product = await createProduct(h.t, admin, { price: 30_000, stock: 10, title: '改价商品' });
  const placed = await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  await openOrder(placed.body.orderNo);
  await page.locator('input[name="price"]').fill('288.50');
  await page.locator('input[name="priceReason"]').fill('老客户优惠');
  await page.locator('[data-action="price"]').click();
  await page.locator('[data-testid="payable"]', { hasText: '¥288.50' }).waitFor();
  await page.locator('textarea[name="remark"]').fill('周末送货');
  await page.locator('[data-action="remark"]').click();
  await page.locator('[data-testid="timeline"] li', { hasText: '商家备注' }).waitFor();
  const after = await order(placed.body.orderNo);
  expect([after.payableAmount, after.priceAdjustment, after.merchantRemark]).toEqual([28_850, -1_150, '周末送货']);
  expect(after.events.map((e: { action: string }) => e.action)).toEqual(['place', 'adjust_price', 'remark']);
});

it('approves a buyer’s cancel request of a paid order: cancelled, the balance paid back in full', async () => {
  const paid = await paidOrder(h.t, admin, buyer, [{ price: 16_600, quantity: 1 }]);
  expect(
    (
      await api(h.t, 'POST', `/v1/orders/${paid.orderNo}/cancel-request`, {
        token: buyer.token,
        body: { reason: '拍错了' },
      })
    ).status,
  ).toBe(200);
  await openOrder(paid.orderNo);
  await page.locator('[data-testid="decide-cancel"] [data-action="approve"]').click();
  await waitForStatus('cancelled');
  // the page may show 'cancelled' from the order's stream while the approval is still sending the money back
  await expect
    .poll(async () => {
      const after = await order(paid.orderNo);
      return [after.status, after.refundedAmount, after.refundStatus];
    })
    .toEqual(['cancelled', 16_600, 'refunded']);
});

it('rejects a refund request and a cancel request with reasons: the order stays paid, nothing is paid back', async () => {
  const paid = await paidOrder(h.t, admin, buyer, [{ price: 8_800, quantity: 1 }]);
  const asked = await api(h.t, 'POST', `/v1/orders/${paid.orderNo}/refunds`, {
    token: buyer.token,
    body: { kind: 'refund_only', reason: '不喜欢', lines: [{ lineId: paid.lines[0]!.id }] },
  });
  expect(asked.status).toBe(201);
  expect(
    (
      await api(h.t, 'POST', `/v1/orders/${paid.orderNo}/cancel-request`, {
        token: buyer.token,
        body: { reason: '不要了' },
      })
    ).status,
  ).toBe(200);
  await openOrder(paid.orderNo);

  const request = page.locator(`[data-refund="${asked.body.refundNo}"]`);
  await request.locator('[data-field="reason"]').fill('商品完好，不支持退款');
  await request.locator('[data-action="reject"]').click();
  await request.locator('.badge[data-status="rejected"]').waitFor();
  const cancel = page.locator('[data-testid="decide-cancel"]');
  await cancel.locator('[data-field="reason"]').fill('已在打包');
  await cancel.locator('[data-action="reject"]').click();
  await cancel.waitFor({ state: 'detached' });

  const after = await order(paid.orderNo);
  expect([after.status, after.refundStatus, after.refundedAmount, after.cancelRequested]).toEqual([
    'paid',
    'none',
    0,
    false,
  ]);
  const refunds = (await api(h.t, 'GET', `/v1/orders/${paid.orderNo}/refunds`, { token: buyer.token })).body;
  expect(refunds.map((r: { status: string; reviewNote: string }) => [r.status, r.reviewNote])).toEqual([
    ['rejected', '商品完好，不支持退款'],
  ]);
  expect(after.events.map((e: { action: string }) => e.action)).toEqual(
    expect.arrayContaining(['refund_reject', 'cancel_reject']),
  );
});

it('an open order turns to paid by itself when the buyer pays elsewhere (the order’s event stream, no reload)', async () => {
  const product = await createProduct(h.t, admin, { price: 13_300, stock: 10, title: '直播商品' });
  const placed = await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  await openOrder(placed.body.orderNo);
  await waitForStatus('pending_payment');
  await page.evaluate(() => Object.assign(window, { adminMarker: 'same page' }));
  const started = await startPayment(h.t, buyer.token, placed.body.orderNo, {
    method: 'wechat',
    channel: 'native',
    client: 'PC',
  });
  await buyerPays(h.t, started.body.action.content);
  await waitForStatus('paid');
  expect(await page.locator('[data-testid="paid"]').innerText()).toBe('¥133.00');
  expect(await page.evaluate(() => (window as unknown as { adminMarker?: string }).adminMarker)).toBe('same page');
});

it('every request the console made was the page, its files, or a canonical API operation', async () => {
  const seen = await expectOnlyCanonicalApi(h);
  for (const operation of [
    'POST /v1/staff/login',
    'GET /v1/admin/reports/sales',
    'GET /v1/orders',
    'GET /v1/orders/{orderNo}',
    'GET /v1/payments/{outTradeNo}/vouchers/{imageId}',
    'POST /v1/admin/payments/{outTradeNo}/approve',
    'POST /v1/admin/orders/{orderNo}/shipments',
    'POST /v1/admin/refunds/{refundNo}/approve',
    'GET /v1/orders/{orderNo}/stream',
    'POST /v1/admin/orders/{orderNo}/price',
    'PUT /v1/admin/orders/{orderNo}/remark',
    'POST /v1/admin/orders/{orderNo}/cancel-request/approve',
    'POST /v1/admin/payments/{outTradeNo}/reject',
    'POST /v1/admin/refunds/{refundNo}/reject',
    'POST /v1/admin/orders/{orderNo}/cancel-request/reject',
  ]) {
    expect(seen).toContain(operation);
  }
});
