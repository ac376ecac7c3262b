import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExpiredOrders } from '../../src/flows/expire-orders.ts';
import { reconcilePayments } from '../../src/flows/reconcile-payments.ts';
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

async function withNotifications<T>(mode: 'drop' | 'deliver', run: () => Promise<T>): Promise<T> {
  t.sandbox.simulator.behaviour.notifications = mode;
  try {
    return await run();
  } finally {
    t.sandbox.simulator.behaviour.notifications = 'deliver';
  }
}

const productRow = (id: number) =>
  t.ctx.db.selectFrom('products').select(['stock', 'reserved', 'sold']).where('id', '=', id).executeTakeFirstOrThrow();

describe('lost notifications', () => {
  it('the simulator drops the notification; the reconciliation job finds the money and settles the order', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    await withNotifications('drop', () => buyerPays(t, started.body.action.content));
    expect((await orderRow(t, order.orderNo)).status).toBe('pending_payment');

    t.clock.advance(5_000); // the first check is due 5 s after the payment started
    expect(await reconcilePayments(t.ctx)).toBeGreaterThanOrEqual(1);
    expect((await orderRow(t, order.orderNo)).status).toBe('paid');
    const payment = await t.ctx.db
      .selectFrom('payments')
      .select(['status', 'provider_trade_id'])
      .where('out_trade_no', '=', started.body.payment.outTradeNo)
      .executeTakeFirstOrThrow();
    expect(payment.status).toBe('paid');
    expect(payment.provider_trade_id).toBeTruthy();
    expect(await eventsOf(t, order.orderId, 'pay')).toEqual([expect.objectContaining({ actor_kind: 'system' })]);
  });

  it('backs off between checks while the buyer has not paid', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const started = await startPayment(t, buyer.token, order.orderNo, { method: 'alipay', client: 'PC' });
    const checks = async () =>
      await t.ctx.db
        .selectFrom('payments')
        .select(['check_attempts', 'next_check_at'])
        .where('out_trade_no', '=', started.body.payment.outTradeNo)
        .executeTakeFirstOrThrow();
    t.clock.advance(5_000);
    await reconcilePayments(t.ctx);
    const first = await checks();
    expect(first.check_attempts).toBe(1);
    expect(first.next_check_at!.getTime() - t.clock.now().getTime()).toBe(15_000);
    await reconcilePayments(t.ctx); // not due again yet
    expect((await checks()).check_attempts).toBe(1);
    t.clock.advance(15_000);
    await reconcilePayments(t.ctx);
    expect((await checks()).check_attempts).toBe(2);
    expect((await orderRow(t, order.orderNo)).status).toBe('pending_payment');
  });

  it('at expiry the gateway is asked first: a paid trade settles instead of closing', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    await withNotifications('drop', () => buyerPays(t, started.body.action.content));
    t.clock.advance(31 * 60_000);
    expect(await closeExpiredOrders(t.ctx)).not.toContain(order.orderNo);
    expect((await orderRow(t, order.orderNo)).status).toBe('paid');
    expect(await productRow(order.productId)).toEqual({ stock: 99, reserved: 0, sold: 1 });
  });

  it('when the gateway cannot close the trade, the order waits for the next sweep', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    t.clock.advance(31 * 60_000);
    t.sandbox.simulator.behaviour.failClose = true;
    try {
      expect(await closeExpiredOrders(t.ctx)).not.toContain(order.orderNo);
      expect((await orderRow(t, order.orderNo)).status).toBe('pending_payment');
    } finally {
      t.sandbox.simulator.behaviour.failClose = false;
    }
    expect(await closeExpiredOrders(t.ctx)).toContain(order.orderNo);
    expect((await orderRow(t, order.orderNo)).status).toBe('closed');
    const payment = await t.ctx.db
      .selectFrom('payments')
      .select('status')
      .where('out_trade_no', '=', started.body.payment.outTradeNo)
      .executeTakeFirstOrThrow();
    expect(payment.status).toBe('closed');
    expect((await buyerPays(t, started.body.action.content)).status).toBe(422); // closed at the gateway: cannot be paid any more
  });
});

describe('late payments', () => {
  // ordo's clock runs two minutes ahead of the gateway's: for the gateway the QR is still valid after ordo's order expired
  let skewed: TestApp;
  beforeAll(async () => {
    skewed = await startTestApp({}, { gatewayClockSkewMs: -120_000 });
  });
  afterAll(() => skewed.close());

  async function expectRefundedAndClosed(
    s: TestApp,
    order: { orderNo: string; orderId: number; payable: number; productId: number },
    outTradeNo: string,
    status: string,
  ) {
    const after = await orderRow(s, order.orderNo);
    expect(after).toMatchObject({ status, payment_status: 'unpaid', paid_amount: 0 });
    const payment = await s.ctx.db
      .selectFrom('payments')
      .selectAll()
      .where('out_trade_no', '=', outTradeNo)
      .executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ status: 'refunded', refunded_amount: order.payable });
    const refunds = await s.ctx.db
      .selectFrom('payment_refunds')
      .selectAll()
      .where('payment_id', '=', payment.id)
      .execute();
    expect(refunds).toEqual([
      expect.objectContaining({ amount: order.payable, status: 'succeeded', kind: 'automatic' }),
    ]);
    expect(await eventsOf(s, order.orderId, 'late_payment_refund')).toHaveLength(1);
    expect(await eventsOf(s, order.orderId, 'pay')).toHaveLength(0);
    const product = await s.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved', 'sold'])
      .where('id', '=', order.productId)
      .executeTakeFirstOrThrow();
    expect(product).toEqual({ stock: 100, reserved: 0, sold: 0 });
  }

  it('the order expired, then the buyer scans the Alipay QR and pays: the money is refunded automatically and the order stays closed', async () => {
    const admin2 = await staffToken(skewed);
    const buyer = await createMember(skewed);
    const order = await unpaidOrder(skewed, admin2, buyer.token, 4_321);
    const started = await startPayment(skewed, buyer.token, order.orderNo, { method: 'alipay', client: 'PC' });
    skewed.clock.advance(30 * 60_000);
    // nobody scanned the precreated QR yet, so Alipay has no trade to close: ordo closes its side
    expect(await closeExpiredOrders(skewed.ctx)).toContain(order.orderNo);
    const paid = await buyerPays(skewed, started.body.action.content);
    expect(paid.status).toBe(200);
    await expectRefundedAndClosed(skewed, order, started.body.payment.outTradeNo, 'closed');
  });

  it('the buyer cancelled, then scanned the QR still on screen and paid: refunded automatically, the order stays cancelled', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 4_321);
    const started = await startPayment(t, buyer.token, order.orderNo, { method: 'alipay', client: 'PC' });
    const cancelled = await api(t, 'POST', `/v1/orders/${order.orderNo}/cancel`, { token: buyer.token });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await buyerPays(t, started.body.action.content)).status).toBe(200);
    await expectRefundedAndClosed(t, order, started.body.payment.outTradeNo, 'cancelled');
  });
});
