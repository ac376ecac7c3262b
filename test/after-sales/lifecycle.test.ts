import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmOverdueReceipts,
  completeOverdueOrders,
  runOrderTimers,
  settleCompletedOrders,
} from '../../src/flows/advance-order-timers.ts';
import { api } from '../support/api.ts';
import { createMember, memberToken, placeOrder, staffToken } from '../support/actors.ts';
import { paidOrder, ship } from '../support/after-sales.ts';
import { eventsOf, orderRow } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const DAY = 86_400_000;

describe('the life of an order after payment', () => {
  it('paid → partly shipped → shipped → received → reviewed → completed → settled, each step an event', async () => {
    const buyer = await createMember(t);
    const order = await paidOrder(t, admin, buyer, [
      { price: 6_000, quantity: 2 },
      { price: 4_000, quantity: 1 },
    ]);
    const [first, second] = order.lines;

    const part = await ship(t, admin, order.orderNo, [{ lineId: first!.id, quantity: 1 }]);
    expect(part.status).toBe(201);
    expect(part.body.status).toBe('paid');
    expect((await ship(t, admin, order.orderNo, [{ lineId: first!.id, quantity: 2 }])).status).toBe(422); // only 1 left
    const rest = await ship(t, admin, order.orderNo);
    expect(rest.body.status).toBe('shipped');
    const shipments = await api(t, 'GET', `/v1/orders/${order.orderNo}/shipments`, { token: buyer.token });
    expect(shipments.status).toBe(200);
    const byLine = <T extends { lineId: number }>(lines: T[]) => [...lines].sort((a, b) => a.lineId - b.lineId);
    expect(shipments.body.map((s: any) => byLine(s.lines))).toEqual([
      [{ lineId: first!.id, quantity: 1 }],
      byLine([
        { lineId: first!.id, quantity: 1 },
        { lineId: second!.id, quantity: 1 },
      ]),
    ]);
    expect(shipments.body[0]).toMatchObject({ carrier: '顺丰速运', trackingNumbers: ['SF1234567890'] });
    expect((await ship(t, admin, order.orderNo)).status).toBe(409);

    expect(
      (await api(t, 'POST', `/v1/orders/${order.orderNo}/review`, { token: buyer.token, body: { rating: 5 } })).status,
    ).toBe(409); // not received yet
    expect((await api(t, 'POST', `/v1/orders/${order.orderNo}/receipt`, { token: buyer.token })).body.status).toBe(
      'received',
    );
    const reviewed = await api(t, 'POST', `/v1/orders/${order.orderNo}/review`, {
      token: buyer.token,
      body: { rating: 4, content: '很好', imageUrls: ['https://img.example/1.jpg'] },
    });
    expect(reviewed.body.status).toBe('completed');

    t.clock.advance(7 * DAY);
    expect(await settleCompletedOrders(t.ctx)).toBeGreaterThanOrEqual(1);
    admin = await staffToken(t);
    const detail = await api(t, 'GET', `/v1/orders/${order.orderNo}`, { token: admin });
    expect(detail.body.settledAt).not.toBeNull();
    expect(detail.body.events.map((e: any) => e.action)).toEqual([
      'place',
      'pay',
      'ship_partial',
      'ship',
      'receive',
      'complete',
      'settle',
    ]);
    expect(detail.body.lines.map((l: any) => l.shippedQuantity)).toEqual([2, 1]);

    const late = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: await memberToken(t, buyer.memberId),
      body: { kind: 'refund_only', reason: '太晚了', lines: [{ lineId: first!.id }] },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('settled');
  });

  it('auto-confirms receipt and auto-completes with a controllable clock, exactly once from two concurrent runners', async () => {
    const buyer = await createMember(t);
    const order = await paidOrder(t, admin, buyer, [{ price: 10_000, quantity: 1 }]);
    await ship(t, admin, order.orderNo);
    t.clock.advance(7 * DAY - 60_000);
    expect(await confirmOverdueReceipts(t.ctx)).toBe(0);
    t.clock.advance(60_000);
    const second = await t.openSecondContext();
    try {
      const [a, b] = await Promise.all([runOrderTimers(t.ctx), runOrderTimers(second.ctx)]);
      expect(a + b).toBeGreaterThanOrEqual(1);
    } finally {
      await second.close();
    }
    expect((await orderRow(t, order.orderNo)).status).toBe('received');
    expect(await eventsOf(t, order.orderId, 'receive')).toEqual([expect.objectContaining({ actor_kind: 'system' })]);

    t.clock.advance(7 * DAY);
    admin = await staffToken(t);
    const third = await t.openSecondContext();
    try {
      await Promise.all([completeOverdueOrders(t.ctx), completeOverdueOrders(third.ctx)]);
    } finally {
      await third.close();
    }
    expect((await orderRow(t, order.orderNo)).status).toBe('completed');
    expect(await eventsOf(t, order.orderId, 'complete')).toHaveLength(1);
    const review = await t.ctx.db.selectFrom('reviews').selectAll().where('order_id', '=', order.orderId).execute();
    expect(review).toEqual([expect.objectContaining({ rating: 5, automatic: true })]);
    const points = await t.ctx.db
      .selectFrom('member_ledger')
      .select('delta')
      .where('member_id', '=', buyer.memberId)
      .where('account', '=', 'points')
      .execute();
    expect(points).toEqual([{ delta: 100 }]); // 100 yuan at 1 point per yuan, once
  });

  it('staff adjust an unpaid order’s price (recorded) and leave a remark', async () => {
    admin = await staffToken(t);
    const buyer = await createMember(t);
    const placed = await placeOrder(
      t,
      buyer.token,
      { lines: [{ productId: 10001, quantity: 1 }] },
      `adj-${Date.now()}`,
    );
    const changed = await api(t, 'POST', `/v1/admin/orders/${placed.body.orderNo}/price`, {
      token: admin,
      body: { payableAmount: 388_800, reason: '老客户优惠' },
    });
    expect(changed.status).toBe(200);
    await api(t, 'PUT', `/v1/admin/orders/${placed.body.orderNo}/remark`, { token: admin, body: { remark: '送贴膜' } });
    const detail = await api(t, 'GET', `/v1/orders/${placed.body.orderNo}`, { token: admin });
    expect(detail.body).toMatchObject({
      payableAmount: 388_800,
      priceAdjustment: 388_800 - 399_900,
      merchantRemark: '送贴膜',
    });
    expect(detail.body.events.find((e: any) => e.action === 'adjust_price')).toMatchObject({
      note: '老客户优惠',
      actor: { kind: 'staff' },
    });
    const cashier = await staffToken(t, 'cashier');
    expect(
      (
        await api(t, 'POST', `/v1/admin/orders/${placed.body.orderNo}/price`, {
          token: cashier,
          body: { payableAmount: 1, reason: 'x' },
        })
      ).status,
    ).toBe(403);
  });
});
