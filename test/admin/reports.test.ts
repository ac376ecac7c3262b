import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { buyerPays, startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createRivalMerchant } from '../support/owned-data.ts';

// The dashboard's numbers: orders placed and paid per shop-local day (Asia/Shanghai), GMV, the method split and the
// refund rate, over orders placed and paid on chosen days with the test clock. Every number is exact fen.

let t: TestApp;
let admin: string;
let buyer: { memberId: number; token: string };

const at = (iso: string) => t.clock.set(new Date(iso));
async function order(price: number): Promise<{ orderNo: string; payable: number; lineId: number }> {
  const product = await createProduct(t, admin, { price, stock: 10 });
  const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  expect(placed.status).toBe(201);
  return { orderNo: placed.body.orderNo, payable: placed.body.payableAmount, lineId: placed.body.lines[0].id };
}
const payWithBalance = async (orderNo: string) =>
  expect((await startPayment(t, buyer.token, orderNo, { method: 'balance', client: 'H5' })).status).toBe(200);
async function payWithWechat(orderNo: string) {
  const started = await startPayment(t, buyer.token, orderNo, { method: 'wechat', channel: 'native', client: 'PC' });
  expect(started.status).toBe(200);
  await buyerPays(t, started.body.action.content);
}
const report = (from: string, to: string, token = admin) =>
  api(t, 'GET', `/v1/admin/reports/sales?from=${from}&to=${to}`, { token });

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  buyer = await createMember(t);
  await t.ctx.db.updateTable('members').set({ balance: 1_000_000 }).where('id', '=', buyer.memberId).execute();

  // 1 March, 10:00 in Shanghai: one order paid from the balance, one left unpaid and cancelled
  at('2025-03-01T02:00:00Z');
  const a = await order(12_000);
  await payWithBalance(a.orderNo);
  const b = await order(30_000);
  expect((await api(t, 'POST', `/v1/orders/${b.orderNo}/cancel`, { token: buyer.token, body: {} })).status).toBe(200);
  // 2 March, 01:30 in Shanghai, still 1 March in UTC: counted on the shop's day, paid through the WeChat simulator
  at('2025-03-01T17:30:00Z');
  const c = await order(25_000);
  await payWithWechat(c.orderNo);
  // a balance top-up paid the same day is not a sale
  const recharge = await api(t, 'POST', '/v1/recharges', { token: buyer.token, body: { amount: 5_000 } });
  expect(recharge.status).toBe(201);
  await payWithWechat(recharge.body.orderNo);
  // placed at 23:50 on 3 March, paid at 00:10 on 4 March
  at('2025-03-03T15:50:00Z');
  const d = await order(15_000);
  at('2025-03-03T16:10:00Z');
  await payWithBalance(d.orderNo);
  // 2 000 fen of order a go back to the balance
  const refund = await api(t, 'POST', `/v1/orders/${a.orderNo}/refunds`, {
    token: buyer.token,
    body: { kind: 'refund_only', reason: '少发', lines: [{ lineId: a.lineId, amount: 2_000 }] },
  });
  expect(refund.status).toBe(201);
  expect(
    (await api(t, 'POST', `/v1/admin/refunds/${refund.body.refundNo}/approve`, { token: admin, body: {} })).status,
  ).toBe(200);
  expect([a.payable, b.payable, c.payable, d.payable]).toEqual([12_000, 30_000, 25_000, 15_000]); // free shipping over 99 yuan, no discounts
  at('2025-03-04T04:00:00Z'); // noon on 4 March in Shanghai
});
afterAll(() => t.close());

describe('sales report', () => {
  it('counts orders by the shop’s local day, GMV by the day paid, splits by method, and gives the refund rate', async () => {
    const reply = await report('2025-03-01', '2025-03-04');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      from: '2025-03-01',
      to: '2025-03-04',
      timeZone: 'Asia/Shanghai',
      days: [
        { date: '2025-03-01', orders: 2, paidOrders: 1, gmv: 12_000 },
        { date: '2025-03-02', orders: 1, paidOrders: 1, gmv: 25_000 },
        { date: '2025-03-03', orders: 1, paidOrders: 0, gmv: 0 },
        { date: '2025-03-04', orders: 0, paidOrders: 1, gmv: 15_000 },
      ],
      methods: [
        { method: 'balance', payments: 2, amount: 27_000 },
        { method: 'wechat', payments: 1, amount: 25_000 },
      ],
      // 2 000 / 52 000 = 3.846 %
      totals: {
        orders: 4,
        paidOrders: 3,
        gmv: 52_000,
        refundedAmount: 2_000,
        refundedOrders: 1,
        refundRateBasisPoints: 385,
      },
      today: { date: '2025-03-04', orders: 0, paidOrders: 1, gmv: 15_000 },
    });
  });

  it('a narrower range sees only its days; today is reported even outside the range', async () => {
    const reply = await report('2025-03-02', '2025-03-02');
    expect(reply.body.days).toEqual([{ date: '2025-03-02', orders: 1, paidOrders: 1, gmv: 25_000 }]);
    expect(reply.body.methods).toEqual([{ method: 'wechat', payments: 1, amount: 25_000 }]);
    expect(reply.body.totals).toEqual({
      orders: 1,
      paidOrders: 1,
      gmv: 25_000,
      refundedAmount: 0,
      refundedOrders: 0,
      refundRateBasisPoints: 0,
    });
    expect(reply.body.today).toEqual({ date: '2025-03-04', orders: 0, paidOrders: 1, gmv: 15_000 });
  });

  it('operators may read it; members may not; another merchant’s staff see only zeros', async () => {
    expect((await report('2025-03-01', '2025-03-04', await staffToken(t, 'cashier'))).body.totals.gmv).toBe(52_000);
    expect((await report('2025-03-01', '2025-03-04', buyer.token)).status).toBe(403);
    const rival = await createRivalMerchant(t);
    const seen = await report('2025-03-01', '2025-03-04', rival.admin);
    expect(seen.status).toBe(200);
    expect(seen.body.days.map((d: { orders: number; gmv: number }) => d.orders + d.gmv)).toEqual([0, 0, 0, 0]);
    expect(seen.body.methods).toEqual([]);
    expect(seen.body.totals).toEqual({
      orders: 0,
      paidOrders: 0,
      gmv: 0,
      refundedAmount: 0,
      refundedOrders: 0,
      refundRateBasisPoints: 0,
    });
  });

  it('refuses impossible or too long ranges with 400', async () => {
    for (const [from, to] of [
      ['2025-02-30', '2025-03-01'],
      ['2025-03-04', '2025-03-01'],
      ['2024-01-01', '2025-01-01'],
    ]) {
      const reply = await report(from!, to!);
      expect({ status: reply.status, code: reply.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    }
    expect((await report('2024-01-01', '2024-12-31')).status).toBe(200); // 366 days, a leap year
    const invalidTo = await api(t, 'GET', '/v1/admin/reports/sales?to=2025-13-40', { token: admin });
    expect(invalidTo.status).toBe(400);
  });

  it('without dates covers the seven days up to the shop’s today', async () => {
    const reply = await api(t, 'GET', '/v1/admin/reports/sales', { token: admin });
    expect(reply.status).toBe(200);
    expect([reply.body.from, reply.body.to, reply.body.days.length]).toEqual(['2025-02-26', '2025-03-04', 7]);
    expect(reply.body.totals.gmv).toBe(52_000);
  });
});
