import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { paidOrder, ship } from '../support/after-sales.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

async function complete(buyer: { token: string }, orderNo: string) {
  expect((await ship(t, admin, orderNo)).status).toBe(201);
  expect((await api(t, 'POST', `/v1/orders/${orderNo}/receipt`, { token: buyer.token })).status).toBe(200);
  expect(
    (await api(t, 'POST', `/v1/orders/${orderNo}/review`, { token: buyer.token, body: { rating: 5 } })).status,
  ).toBe(200);
}

const memberRow = (id: number) =>
  t.ctx.db
    .selectFrom('members as m')
    .leftJoin('member_grades as g', 'g.id', 'm.grade_id')
    .select(['m.points', 'm.pay_money', 'm.expend_money', 'g.name as grade'])
    .where('m.id', '=', id)
    .executeTakeFirstOrThrow();

describe('membership', () => {
  it('completing orders earns points, spend upgrades the grade, and the new grade’s discount applies to the next order', async () => {
    const buyer = await createMember(t);
    const first = await paidOrder(t, admin, buyer, [{ price: 60_000, quantity: 1 }]); // 600 yuan
    await complete(buyer, first.orderNo);
    expect(await memberRow(buyer.memberId)).toMatchObject({ points: 600, expend_money: 60_000, grade: '普通会员' });

    const second = await paidOrder(t, admin, buyer, [{ price: 50_000, quantity: 1 }]); // total 1100 yuan ≥ 1000: 黄金会员 (98%)
    await complete(buyer, second.orderNo);
    expect(await memberRow(buyer.memberId)).toMatchObject({ points: 1_100, expend_money: 110_000, grade: '黄金会员' });

    const product = await createProduct(t, admin, { price: 20_000, stock: 10 });
    const preview = await api(t, 'POST', '/v1/checkout/preview', {
      token: buyer.token,
      body: { lines: [{ productId: product.id, quantity: 1 }] },
    });
    expect(preview.body).toMatchObject({ goodsAmount: 20_000, gradeDiscount: 400, payableAmount: 19_600 });
    const me = await api(t, 'GET', '/v1/me', { token: buyer.token });
    expect(me.body.grade).toMatchObject({ name: '黄金会员', discountPercent: 98 });
  });

  it('redeems points at checkout by the merchant rule, capped, and gives them back when the order is cancelled', async () => {
    const buyer = await createMember(t);
    await t.ctx.db.updateTable('members').set({ points: 12_345 }).where('id', '=', buyer.memberId).execute();
    const product = await createProduct(t, admin, { price: 20_000, stock: 10 });
    // 100 points = 1 yuan, at most 50%: 200 yuan of goods → at most 100 yuan → 10,000 points
    const placed = await placeOrder(t, buyer.token, {
      lines: [{ productId: product.id, quantity: 1 }],
      usePoints: true,
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ pointsDiscount: 10_000, pointsUsed: 10_000, payableAmount: 10_000 });
    expect((await memberRow(buyer.memberId)).points).toBe(2_345);
    await api(t, 'POST', `/v1/orders/${placed.body.orderNo}/cancel`, { token: buyer.token });
    expect((await memberRow(buyer.memberId)).points).toBe(12_345);
    const ledger = await api(t, 'GET', '/v1/me/ledger?account=points', { token: buyer.token });
    expect(ledger.body.map((e: any) => [e.delta, e.reason])).toEqual([
      [10_000, 'points_returned'],
      [-10_000, 'order_points'],
    ]);
  });

  it('a refund after completion takes back the spend, and the points down to those of what is kept', async () => {
    const buyer = await createMember(t);
    const order = await paidOrder(t, admin, buyer, [
      { price: 40_000, quantity: 1 },
      { price: 10_000, quantity: 1 },
    ]);
    await complete(buyer, order.orderNo);
    expect(await memberRow(buyer.memberId)).toMatchObject({ points: 500, expend_money: 50_000, pay_money: 50_000 });
    const refund = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'return_and_refund', reason: '质量问题', lines: [{ lineId: order.lines[1]!.id }] },
    });
    await api(t, 'POST', `/v1/admin/refunds/${refund.body.refundNo}/approve`, { token: admin, body: {} });
    // balance payments come back at once; 40,000 fen kept → 400 points
    expect(await memberRow(buyer.memberId)).toMatchObject({ points: 400, expend_money: 40_000, pay_money: 40_000 });
    const balance = await api(t, 'GET', '/v1/me/ledger?account=balance', { token: buyer.token });
    expect(balance.body[0]).toMatchObject({ delta: 10_000, reason: 'refund' });
  });

  it('merchant rules are staff settings', async () => {
    const changed = await api(t, 'PATCH', '/v1/admin/merchant', {
      token: admin,
      body: { pointsPerYuan: 2, autoConfirmDays: 10 },
    });
    expect(changed.body).toMatchObject({ pointsPerYuan: 2, autoConfirmDays: 10, refundWindowDays: 7 });
    await api(t, 'PATCH', '/v1/admin/merchant', { token: admin, body: { pointsPerYuan: 1, autoConfirmDays: 7 } });
  });
});
