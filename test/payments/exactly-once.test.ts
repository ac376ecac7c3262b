import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { buyerPays, eventsOf, orderRow, startPayment, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

/** Pays with notifications held back, then returns the notification the gateway would have sent. */
async function payAndCaptureNotification(token: string, orderNo: string, body: Record<string, unknown>) {
  const started = await startPayment(t, token, orderNo, body);
  expect(started.status).toBe(200);
  t.sandbox.simulator.behaviour.notifications = 'drop';
  try {
    await buyerPays(t, started.body.action.content);
  } finally {
    t.sandbox.simulator.behaviour.notifications = 'deliver';
  }
  const captured = t.sandbox.simulator.deliveries.at(-1)!;
  expect(captured.status).toBeNull(); // dropped: ordo has not heard of it yet
  return { outTradeNo: started.body.payment.outTradeNo as string, notification: captured };
}

const replay = (n: { url: string; request: { headers: Record<string, string>; body?: string } }) =>
  t.app.inject({ method: 'POST', url: new URL(n.url).pathname, headers: n.request.headers, payload: n.request.body });

describe('a payment settles exactly once', () => {
  it('50 copies of one WeChat notification and 10 active queries at once: one settlement, one ledger entry, one event', async () => {
    const buyer = await createMember(t);
    const recharge = await api(t, 'POST', '/v1/recharges', { token: buyer.token, body: { amount: 30_000 } });
    const { outTradeNo, notification } = await payAndCaptureNotification(buyer.token, recharge.body.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });

    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => replay(notification)),
      ...Array.from({ length: 10 }, () =>
        t.app.inject({
          method: 'GET',
          url: `/v1/payments/${outTradeNo}?sync=true`,
          headers: { authorization: `Bearer ${buyer.token}` },
        }),
      ),
    ]);
    for (const r of results) expect(r.statusCode, r.body).toBeLessThan(300);

    const order = await orderRow(t, recharge.body.orderNo);
    expect(order.status).toBe('paid');
    expect(await eventsOf(t, order.id, 'pay')).toHaveLength(1);
    const ledger = await t.ctx.db
      .selectFrom('member_ledger')
      .selectAll()
      .where('member_id', '=', buyer.memberId)
      .execute();
    expect(ledger).toEqual([expect.objectContaining({ delta: 30_000, balance_after: 30_000, reason: 'recharge' })]);
    const member = await t.ctx.db
      .selectFrom('members')
      .select(['balance', 'pay_money'])
      .where('id', '=', buyer.memberId)
      .executeTakeFirstOrThrow();
    expect(member).toEqual({ balance: 30_000, pay_money: 30_000 });
    const stored = await t.ctx.db
      .selectFrom('payment_notifications')
      .selectAll()
      .where('out_trade_no', '=', outTradeNo)
      .execute();
    expect(stored).toHaveLength(1);
    const events = await t.ctx.db
      .selectFrom('outbox_events')
      .select('topic')
      .where('aggregate_id', '=', recharge.body.orderNo)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.topic)).toEqual(['payment.paid', 'order.paid']);
  });

  it('50 copies of one Alipay notification at once: one settlement, all answered success', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 7_777);
    const { notification } = await payAndCaptureNotification(buyer.token, order.orderNo, {
      method: 'alipay',
      client: 'PC',
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => replay(notification)));
    for (const r of results) expect(r.body).toBe('success');
    expect((await orderRow(t, order.orderNo)).status).toBe('paid');
    expect(await eventsOf(t, order.orderId, 'pay')).toHaveLength(1);
    const product = await t.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved', 'sold'])
      .where('id', '=', order.productId)
      .executeTakeFirstOrThrow();
    expect(product).toEqual({ stock: 99, reserved: 0, sold: 1 });
  });

  it('a notification after the payment was already settled by a query is a success without effects', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const { outTradeNo, notification } = await payAndCaptureNotification(buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    const polled = await api(t, 'GET', `/v1/payments/${outTradeNo}?sync=true`, { token: buyer.token });
    expect(polled.body.status).toBe('paid');
    const late = await replay(notification);
    expect(late.statusCode).toBe(204);
    expect(await eventsOf(t, order.orderId, 'pay')).toHaveLength(1);
  });
});
