import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExpiredOrders } from '../../src/flows/expire-orders.ts';
import { reconcilePayments } from '../../src/flows/reconcile-payments.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp, merchantCall, type TestMerchantApp } from '../support/merchant-api.ts';
import { buyerPays, orderRow, startPayment, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Every path that settles a payment on a gateway's word — the notification, the cashier's poll (active query),
 * the reconciliation, the live attempt resolved before a cancel or an expiry, the till's code payment — hands the
 * gateway's amount to the one settlement, which flags any other amount and applies nothing.
 *
 * A correct amount still settles exactly once on each path; those tests already exist and are not repeated here:
 * notification — payments/end-to-end.test.ts, payments/exactly-once.test.ts; cashier's poll and reconciliation —
 * payments/lost-and-late.test.ts ('the reconciliation job finds the money'); resolve-live-attempt — lost-and-late
 * ('at expiry the gateway is asked first: a paid trade settles instead of closing'); code payment —
 * merchant/till.test.ts, compat/xxpay.test.ts. The reconciliation test below also settles once after the gateway
 * reports the right amount again.
 */

let t: TestApp;
let admin: string;
let till: TestMerchantApp;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  till = await createMerchantApp(t, admin);
});
afterAll(() => t.close());

const sim = () => t.sandbox.simulator;

async function withoutNotifications<T>(run: () => Promise<T>): Promise<T> {
  sim().behaviour.notifications = 'drop';
  try {
    return await run();
  } finally {
    sim().behaviour.notifications = 'deliver';
  }
}

/** Everything a settlement would change: the order, its attempts, the member's money and points, the outbox. */
async function footprint(orderNo: string, memberId: number) {
  const order = await orderRow(t, orderNo);
  const payments = await t.ctx.db
    .selectFrom('payments')
    .select(['out_trade_no', 'status', 'paid_at', 'provider_trade_id'])
    .where('order_id', '=', order.id)
    .orderBy('id')
    .execute();
  const member = await t.ctx.db
    .selectFrom('members')
    .select(['balance', 'points', 'pay_money'])
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
  const ledger = await t.ctx.db
    .selectFrom('member_ledger')
    .select(['account', 'delta'])
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute();
  const topics = (
    await t.ctx.db
      .selectFrom('outbox_events')
      .select('topic')
      .where('aggregate_id', '=', orderNo)
      .orderBy('id')
      .execute()
  ).map((e) => e.topic);
  return {
    order: {
      status: order.status,
      paymentStatus: order.payment_status,
      paidAmount: order.paid_amount,
      paidAt: order.paid_at,
      merchantIncome: order.merchant_income,
    },
    payments,
    member,
    ledger,
    topics,
  };
}

async function flags(outTradeNo: string) {
  return t.ctx.db
    .selectFrom('payment_notifications')
    .select(['outcome', 'reason'])
    .where('out_trade_no', '=', outTradeNo)
    .orderBy('id')
    .execute();
}

/** The report was refused: nothing of the settlement happened, and the mismatch is flagged once. */
async function expectRefused(
  before: Awaited<ReturnType<typeof footprint>>,
  orderNo: string,
  memberId: number,
  outTradeNo: string,
  reported: number,
  amount: number,
) {
  const after = await footprint(orderNo, memberId);
  expect(after).toEqual(before);
  expect(after.order).toMatchObject({
    status: 'pending_payment',
    paymentStatus: 'unpaid',
    paidAmount: 0,
    paidAt: null,
  });
  expect(after.payments.find((p) => p.out_trade_no === outTradeNo)).toMatchObject({
    status: 'processing',
    paid_at: null,
  });
  expect(after.topics).not.toContain('payment.paid');
  expect(after.topics).not.toContain('order.paid');
  expect(await flags(outTradeNo)).toEqual([
    { outcome: 'flagged', reason: `amount ${reported} differs from ${amount}` },
  ]);
}

describe('a gateway reporting another amount than the payment is flagged, never applied', () => {
  it('notification: a recharge whose notification says 1 fen less credits no balance', async () => {
    const buyer = await createMember(t);
    const recharge = await api(t, 'POST', '/v1/recharges', { token: buyer.token, body: { amount: 20_000 } });
    const orderNo = recharge.body.orderNo as string;
    const started = await startPayment(t, buyer.token, orderNo, { method: 'wechat', channel: 'native', client: 'PC' });
    const outTradeNo = started.body.payment.outTradeNo as string;
    const before = await footprint(orderNo, buyer.memberId);

    sim().misreportedAmounts.set(outTradeNo, 19_999);
    try {
      await buyerPays(t, started.body.action.content);
    } finally {
      sim().misreportedAmounts.delete(outTradeNo);
    }
    // taken (acknowledged, so the gateway stops sending it) and flagged
    expect(sim().deliveries.at(-1)!.status).toBe(204);
    await expectRefused(before, orderNo, buyer.memberId, outTradeNo, 19_999, 20_000);
    expect(before.member).toEqual({ balance: 0, points: 0, pay_money: 0 });
  });

  it('active query (the cashier’s poll, GET /v1/payments/{outTradeNo}?sync=true): Alipay answering 1 fen more settles nothing', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 4_321);
    const started = await startPayment(t, buyer.token, order.orderNo, { method: 'alipay', client: 'PC' });
    const outTradeNo = started.body.payment.outTradeNo as string;
    await withoutNotifications(() => buyerPays(t, started.body.action.content));
    const before = await footprint(order.orderNo, buyer.memberId);

    sim().misreportedAmounts.set(outTradeNo, order.payable + 1);
    try {
      const polled = await api(t, 'GET', `/v1/payments/${outTradeNo}?sync=true`, { token: buyer.token });
      expect(polled.status).toBe(200);
      expect(polled.body.status).toBe('processing');
      // asked again, the same refusal is not flagged twice
      expect((await api(t, 'GET', `/v1/payments/${outTradeNo}?sync=true`, { token: buyer.token })).body.status).toBe(
        'processing',
      );
    } finally {
      sim().misreportedAmounts.delete(outTradeNo);
    }
    await expectRefused(before, order.orderNo, buyer.memberId, outTradeNo, order.payable + 1, order.payable);
  });

  it('reconciliation: a lost notification and a query answering another amount leave the recharge unpaid; the right amount later settles once', async () => {
    const buyer = await createMember(t);
    const recharge = await api(t, 'POST', '/v1/recharges', { token: buyer.token, body: { amount: 30_000 } });
    const orderNo = recharge.body.orderNo as string;
    const started = await startPayment(t, buyer.token, orderNo, { method: 'wechat', channel: 'native', client: 'PC' });
    const outTradeNo = started.body.payment.outTradeNo as string;
    await withoutNotifications(() => buyerPays(t, started.body.action.content));
    const before = await footprint(orderNo, buyer.memberId);

    sim().misreportedAmounts.set(outTradeNo, 3_000);
    try {
      t.clock.advance(5_000);
      expect(await reconcilePayments(t.ctx)).toBeGreaterThanOrEqual(1);
      t.clock.advance(15_000);
      expect(await reconcilePayments(t.ctx)).toBeGreaterThanOrEqual(1);
    } finally {
      sim().misreportedAmounts.delete(outTradeNo);
    }
    await expectRefused(before, orderNo, buyer.memberId, outTradeNo, 3_000, 30_000);

    t.clock.advance(30_000);
    await reconcilePayments(t.ctx);
    const after = await footprint(orderNo, buyer.memberId);
    expect(after.order).toMatchObject({ status: 'paid', paymentStatus: 'paid', paidAmount: 30_000 });
    expect(after.member).toEqual({ balance: 30_000, points: 0, pay_money: 30_000 });
    expect(after.ledger).toEqual([{ account: 'balance', delta: 30_000 }]);
    expect(after.topics.filter((topic) => topic === 'payment.paid')).toHaveLength(1);
  });

  it('resolve-live-attempt: cancelling (or expiring) an order whose attempt the gateway reports paid with another amount moves nothing', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 5_000);
    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    const outTradeNo = started.body.payment.outTradeNo as string;
    await withoutNotifications(() => buyerPays(t, started.body.action.content));
    const stock = () =>
      t.ctx.db
        .selectFrom('products')
        .select(['stock', 'reserved', 'sold'])
        .where('id', '=', order.productId)
        .executeTakeFirstOrThrow();
    const stockBefore = await stock();
    const before = await footprint(order.orderNo, buyer.memberId);

    sim().misreportedAmounts.set(outTradeNo, 1);
    try {
      const cancel = await api(t, 'POST', `/v1/orders/${order.orderNo}/cancel`, { token: buyer.token, body: {} });
      expect(cancel.status).toBe(409);
      expect(cancel.body.error.code).toBe('conflict');
      t.clock.advance(31 * 60_000);
      expect(await closeExpiredOrders(t.ctx)).not.toContain(order.orderNo);
    } finally {
      sim().misreportedAmounts.delete(outTradeNo);
    }
    await expectRefused(before, order.orderNo, buyer.memberId, outTradeNo, 1, order.payable);
    expect(await stock()).toEqual(stockBefore);
  });

  it('pay-trade-order: a till’s code payment answered with another amount leaves the sale unpaid and earns no points', async () => {
    const member = await createMember(t);
    const created = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', {
      merchantOrderNo: `AMT-${member.memberId}`,
      tradeType: 'sale',
      storeId: 10001,
      memberId: member.memberId,
      lines: [{ productId: null, title: '散装糖果', listPrice: 8_800, price: 8_800, quantity: 1 }],
    });
    expect(created.status).toBe(201);
    const orderNo = created.body.order.orderNo as string;
    // the first attempt of an order is <order no>01
    const outTradeNo = `${orderNo}01`;
    const before = await footprint(orderNo, member.memberId);

    sim().misreportedAmounts.set(outTradeNo, 880);
    try {
      const pay = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${orderNo}/pay`, {
        method: 'code',
        authCode: '134567890123456789',
      });
      expect(pay.status).toBe(200);
      expect(pay.body.result).toBe('paying');
      expect(pay.body.tradeOrder.order.status).toBe('pending_payment');
    } finally {
      sim().misreportedAmounts.delete(outTradeNo);
    }
    const after = await footprint(orderNo, member.memberId);
    // the attempt the code payment opened is there now; it holds no money
    expect(after.payments).toEqual([
      expect.objectContaining({ out_trade_no: outTradeNo, status: 'processing', paid_at: null }),
    ]);
    await expectRefused({ ...before, payments: after.payments }, orderNo, member.memberId, outTradeNo, 880, 8_800);
  });
});
