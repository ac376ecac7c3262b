import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcilePayments } from '../../src/flows/reconcile-payments.ts';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { buyerPays, eventsOf, orderRow, startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

/** An order of three lines with a coupon shared across them, paid with WeChat through the simulator. */
async function paidWithWechat(buyer: { token: string }) {
  const products = [
    await createProduct(t, admin, { price: 3_333, stock: 50 }),
    await createProduct(t, admin, { price: 6_667, stock: 50 }),
    await createProduct(t, admin, { price: 10_001, stock: 50 }),
  ];
  const code = `RF${Date.now() % 1e7}${Math.floor(Math.random() * 100)}`;
  await api(t, 'POST', '/v1/admin/coupons', {
    token: admin,
    body: { code, kind: 'fixed', amountOff: 1_001, minSpend: 0 },
  });
  const placed = await placeOrder(t, buyer.token, {
    lines: products.map((p) => ({ productId: p.id, quantity: 1 })),
    couponCode: code,
  });
  expect(placed.status).toBe(201);
  const started = await startPayment(t, buyer.token, placed.body.orderNo, {
    method: 'wechat',
    channel: 'native',
    client: 'PC',
  });
  await buyerPays(t, started.body.action.content);
  expect((await orderRow(t, placed.body.orderNo)).status).toBe('paid');
  return { ...placed.body, products } as {
    orderNo: string;
    id: number;
    payableAmount: number;
    lines: { id: number; lineTotal: number; discountAmount: number; productId: number }[];
    products: { id: number }[];
  };
}

const lineRows = (orderId: number) =>
  t.ctx.db
    .selectFrom('order_lines')
    .select(['id', 'line_total', 'refund_pending_amount', 'refunded_amount', 'refunding'])
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .execute();

describe('refunds per line', () => {
  it('two partial refunds on different lines go back through WeChat; a third beyond what was paid on a line is refused; totals exact to the fen', async () => {
    const buyer = await createMember(t);
    const order = await paidWithWechat(buyer);
    const [a, b] = order.lines;
    // the coupon's 1,001 fen is shared by largest remainder: every line carries part of it
    expect(order.lines.map((l) => l.discountAmount).reduce((x, y) => x + y, 0)).toBe(1_001);
    expect(order.lines.every((l) => l.discountAmount > 0)).toBe(true);

    const first = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '少发一件', lines: [{ lineId: a!.id, amount: 1_000 }] },
    });
    const second = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: buyer.token,
      body: {
        kind: 'return_and_refund',
        reason: '不合适',
        imageUrls: ['https://img.example/x.jpg'],
        lines: [{ lineId: b!.id }],
      },
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.amount).toBe(b!.lineTotal); // the whole line, after its discount share
    expect((await orderRow(t, order.orderNo)).refund_status).toBe('requested');
    expect((await lineRows(order.id)).map((l) => [l.refund_pending_amount, l.refunding])).toEqual([
      [1_000, true],
      [b!.lineTotal, true],
      [0, false],
    ]);

    for (const r of [first, second]) {
      const approved = await api(t, 'POST', `/v1/admin/refunds/${r.body.refundNo}/approve`, {
        token: admin,
        body: { note: '同意' },
      });
      expect(approved.status).toBe(200);
    }
    await t.sandbox.simulator.settle(); // WeChat confirms refunds by notification
    const refunds = await api(t, 'GET', `/v1/orders/${order.orderNo}/refunds`, { token: buyer.token });
    expect(refunds.body.map((r: any) => r.status)).toEqual(['refunded', 'refunded']);

    const over = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '再退', lines: [{ lineId: a!.id, amount: a!.lineTotal - 1_000 + 1 }] },
    });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('exceeds_refundable');
    const exact = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '余额', lines: [{ lineId: a!.id, amount: a!.lineTotal - 1_000 }] },
    });
    expect(exact.status).toBe(201);
    await api(t, 'POST', `/v1/admin/refunds/${exact.body.refundNo}/reject`, {
      token: admin,
      body: { reason: '已协商' },
    });

    const lines = await lineRows(order.id);
    expect(lines.map((l) => [l.refunded_amount, l.refund_pending_amount, l.refunding])).toEqual([
      [1_000, 0, false],
      [b!.lineTotal, 0, false],
      [0, 0, false],
    ]);
    const after = await orderRow(t, order.orderNo);
    expect(after).toMatchObject({
      refunded_amount: 1_000 + b!.lineTotal,
      refund_status: 'partially_refunded',
      status: 'paid',
    });
    const payment = await t.ctx.db
      .selectFrom('payments')
      .select(['status', 'refunded_amount'])
      .where('order_id', '=', order.id)
      .where('status', '!=', 'closed')
      .executeTakeFirstOrThrow();
    expect(payment).toEqual({ status: 'partially_refunded', refunded_amount: 1_000 + b!.lineTotal });
    const member = await t.ctx.db
      .selectFrom('members')
      .select('pay_money')
      .where('id', '=', buyer.memberId)
      .executeTakeFirstOrThrow();
    expect(member.pay_money).toBe(order.payableAmount - 1_000 - b!.lineTotal);
    expect(await eventsOf(t, order.id, 'refund_succeeded')).toHaveLength(2);
    // every state change is in the outbox for webhooks, in the order it happened
    const topics = (
      await t.ctx.db
        .selectFrom('outbox_events')
        .select('topic')
        .where('aggregate_id', '=', order.orderNo)
        .orderBy('id')
        .execute()
    ).map((e) => e.topic);
    expect(topics.filter((topic) => topic.startsWith('refund.')).sort()).toEqual([
      'refund.refunding',
      'refund.refunding',
      'refund.rejected',
      'refund.requested',
      'refund.requested',
      'refund.requested',
      'refund.succeeded',
      'refund.succeeded',
    ]);
    expect(topics.indexOf('refund.succeeded')).toBeGreaterThan(topics.indexOf('refund.refunding'));
    expect(topics.slice(0, 2)).toEqual(['payment.paid', 'order.paid']);
  });

  it('refund requests racing on one line never hold more than was paid for it', async () => {
    const buyer = await createMember(t);
    const order = await paidWithWechat(buyer);
    const line = order.lines[2]!;
    const slice = Math.floor(line.lineTotal * 0.4);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
          token: buyer.token,
          body: { kind: 'refund_only', reason: `r${i}`, lines: [{ lineId: line.id, amount: slice }] },
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
    for (const r of replies.filter((r) => r.status !== 201)) expect(r.body.error.code).toBe('exceeds_refundable');
    const row = (await lineRows(order.id))[2]!;
    expect(row.refund_pending_amount).toBe(2 * slice);
    expect(row.refund_pending_amount).toBeLessThanOrEqual(row.line_total);
  });

  it('the buyer cannot refund someone else’s order, an unpaid one, or a line of another order', async () => {
    const buyer = await createMember(t);
    const stranger = await createMember(t);
    const order = await paidWithWechat(buyer);
    const body = { kind: 'refund_only', reason: 'x', lines: [{ lineId: order.lines[0]!.id }] };
    expect((await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, { token: stranger.token, body })).status).toBe(
      404,
    );
    const unpaid = await placeOrder(t, buyer.token, { lines: [{ productId: order.products[0]!.id, quantity: 1 }] });
    expect(
      (
        await api(t, 'POST', `/v1/orders/${unpaid.body.orderNo}/refunds`, {
          token: buyer.token,
          body: { ...body, lines: [{ lineId: unpaid.body.lines[0].id }] },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
          token: buyer.token,
          body: { ...body, lines: [{ lineId: unpaid.body.lines[0].id }] },
        })
      ).status,
    ).toBe(400);
  });
});

describe('refund reconciliation', () => {
  it('a WeChat refund whose notification is lost is finished by the reconciliation job', async () => {
    const buyer = await createMember(t);
    const order = await paidWithWechat(buyer);
    const line = order.lines[0]!;
    const requested = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '丢件', lines: [{ lineId: line.id }] },
    });
    t.sandbox.simulator.behaviour.notifications = 'drop';
    try {
      const approved = await api(t, 'POST', `/v1/admin/refunds/${requested.body.refundNo}/approve`, {
        token: admin,
        body: {},
      });
      expect(approved.body.status).toBe('refunding');
      await t.sandbox.simulator.settle();
    } finally {
      t.sandbox.simulator.behaviour.notifications = 'deliver';
    }
    expect((await orderRow(t, order.orderNo)).refunded_amount).toBe(0);
    t.clock.advance(5_000);
    await reconcilePayments(t.ctx);
    expect(await orderRow(t, order.orderNo)).toMatchObject({
      refunded_amount: line.lineTotal,
      refund_status: 'partially_refunded',
    });
    const refunds = await api(t, 'GET', `/v1/orders/${order.orderNo}/refunds`, { token: buyer.token });
    expect(refunds.body[0]).toMatchObject({ status: 'refunded', amount: line.lineTotal });
  });
});

describe('cancel request after payment', () => {
  it('approved: the whole amount goes back through the simulator, the order is cancelled and the stock is back', async () => {
    const buyer = await createMember(t);
    const order = await paidWithWechat(buyer);
    const stockOf = async () =>
      await t.ctx.db
        .selectFrom('products')
        .select(['stock', 'sold'])
        .where(
          'id',
          'in',
          order.products.map((p) => p.id),
        )
        .orderBy('id')
        .execute();
    expect(await stockOf()).toEqual([
      { stock: 49, sold: 1 },
      { stock: 49, sold: 1 },
      { stock: 49, sold: 1 },
    ]);
    expect(
      (
        await api(t, 'POST', `/v1/orders/${order.orderNo}/cancel-request`, {
          token: buyer.token,
          body: { reason: '不想要了' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api(t, 'POST', `/v1/admin/orders/${order.orderNo}/shipments`, {
          token: admin,
          body: { carrier: 'SF', trackingNumbers: ['SF0001'] },
        })
      ).status,
    ).toBe(409);

    expect(
      (await api(t, 'POST', `/v1/admin/orders/${order.orderNo}/cancel-request/approve`, { token: admin, body: {} }))
        .status,
    ).toBe(200);
    await t.sandbox.simulator.settle();
    const after = await orderRow(t, order.orderNo);
    expect(after).toMatchObject({
      status: 'cancelled',
      cancel_requested: false,
      refund_status: 'refunded',
      refunded_amount: order.payableAmount,
    });
    expect(await stockOf()).toEqual([
      { stock: 50, sold: 0 },
      { stock: 50, sold: 0 },
      { stock: 50, sold: 0 },
    ]);
    const refunds = await t.ctx.db
      .selectFrom('payment_refunds')
      .select(['amount', 'status'])
      .where('order_id', '=', order.id)
      .execute();
    expect(refunds).toEqual([{ amount: order.payableAmount, status: 'succeeded' }]);
    const trade = (t.sandbox.wechatpay as any).trade(`${order.orderNo}01`);
    expect(trade.refunded).toBe(order.payableAmount);
  });

  it('rejected: the order stays paid and can be shipped', async () => {
    const buyer = await createMember(t);
    const order = await paidWithWechat(buyer);
    await api(t, 'POST', `/v1/orders/${order.orderNo}/cancel-request`, {
      token: buyer.token,
      body: { reason: '不想要了' },
    });
    expect(
      (
        await api(t, 'POST', `/v1/admin/orders/${order.orderNo}/cancel-request/reject`, {
          token: admin,
          body: { reason: '已打包' },
        })
      ).status,
    ).toBe(200);
    expect(await orderRow(t, order.orderNo)).toMatchObject({ status: 'paid', cancel_requested: false });
    expect(
      (
        await api(t, 'POST', `/v1/admin/orders/${order.orderNo}/shipments`, {
          token: admin,
          body: { carrier: 'SF', trackingNumbers: ['SF0002'] },
        })
      ).status,
    ).toBe(201);
  });
});
