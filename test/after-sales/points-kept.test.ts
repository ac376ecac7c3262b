import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { postLedgerEntry } from '../../src/members/ledger.ts';
import { pointsForKept } from '../../src/members/order-points.ts';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { paidOrder, ship } from '../support/after-sales.ts';
import { createMerchantApp, merchantCall, type TestMerchantApp } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// What a member holds from an order is always the points of what the order keeps — after every refund, whether it
// came before or after the order was completed — and 0 once everything went back. The demo merchant gives 1 point
// per whole yuan.

let t: TestApp;
let admin: string;
let till: TestMerchantApp;
let cashierId: number;
let xxpayToken: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  till = await createMerchantApp(t, admin);
  cashierId = (
    await t.ctx.db.selectFrom('staff').select('id').where('username', '=', 'cashier').executeTakeFirstOrThrow()
  ).id;
  await api(t, 'PUT', `/v1/admin/staff/${cashierId}/refund-password`, { token: admin, body: { password: '888888' } });
  const login = await api(t, 'POST', '/xxpay/api/auth', {
    body: new URLSearchParams({ username: 'cashier', password: DEMO.staff[1]!.password, loginType: 'pc' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  xxpayToken = login.body.data.access_token;
});
afterAll(() => t.close());

/** The order as it stands, and what its member holds from it by the points ledger. */
async function pointsOf(orderNo: string) {
  const order = await t.ctx.db
    .selectFrom('orders')
    .select(['id', 'member_id', 'paid_amount', 'refunded_amount', 'points_awarded'])
    .where('order_no', '=', orderNo)
    .executeTakeFirstOrThrow();
  const ledger = await t.ctx.db
    .selectFrom('member_ledger')
    .select('delta')
    .where('order_id', '=', order.id)
    .where('account', '=', 'points')
    .execute();
  const member = await t.ctx.db
    .selectFrom('members')
    .select(['points', 'pay_money', 'expend_money'])
    .where('id', '=', order.member_id!)
    .executeTakeFirstOrThrow();
  return {
    kept: order.paid_amount - order.refunded_amount,
    awarded: order.points_awarded,
    held: ledger.reduce((sum, l) => sum + l.delta, 0),
    member,
  };
}

/** Everything a member has from one order agrees: the order's count, the ledger, the member's totals, and the points of what is kept. */
async function expectPointsOfWhatIsKept(orderNo: string, credited = true) {
  const p = await pointsOf(orderNo);
  const target = credited ? pointsForKept(p.kept, 1) : 0;
  expect({
    awarded: p.awarded,
    held: p.held,
    points: p.member.points,
    spent: p.member.expend_money,
    paid: p.member.pay_money,
  }).toEqual({
    awarded: target,
    held: target,
    points: target,
    spent: credited ? p.kept : 0,
    paid: p.kept,
  });
  return p;
}

// ── shop orders: paid from the balance, shipped, received, reviewed (completed) ──

async function shopOrder(price: number) {
  const buyer = await createMember(t);
  const order = await paidOrder(t, admin, buyer, [{ price, quantity: 1 }]);
  expect(order.payable).toBe(price); // over the free-shipping line: no fee in what was paid
  return { buyer, orderNo: order.orderNo, lineId: order.lines[0]!.id };
}

async function refundShop(shop: Awaited<ReturnType<typeof shopOrder>>, amount: number) {
  const requested = await api(t, 'POST', `/v1/orders/${shop.orderNo}/refunds`, {
    token: shop.buyer.token,
    body: { kind: 'refund_only', reason: '不想要了', lines: [{ lineId: shop.lineId, amount }] },
  });
  expect(requested.status).toBe(201);
  const approved = await api(t, 'POST', `/v1/admin/refunds/${requested.body.refundNo}/approve`, {
    token: admin,
    body: {},
  });
  expect(approved.body.status).toBe('refunded'); // a balance payment comes back at once
}

async function receive(shop: Awaited<ReturnType<typeof shopOrder>>) {
  expect((await ship(t, admin, shop.orderNo)).status).toBe(201);
  expect((await api(t, 'POST', `/v1/orders/${shop.orderNo}/receipt`, { token: shop.buyer.token })).status).toBe(200);
}

async function review(shop: Awaited<ReturnType<typeof shopOrder>>) {
  expect(
    (await api(t, 'POST', `/v1/orders/${shop.orderNo}/review`, { token: shop.buyer.token, body: { rating: 5 } }))
      .status,
  ).toBe(200);
}

// ── till sales: a trade order naming a member, paid from that member's balance ──

async function tillSale(amount: number) {
  const member = await createMember(t);
  await postLedgerEntry(t.ctx.db, {
    merchantId: DEMO.merchantId,
    memberId: member.memberId,
    account: 'balance',
    delta: amount,
    reason: 'opening',
    now: t.clock.now(),
  });
  const created = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', {
    merchantOrderNo: `PK-${member.memberId}`,
    tradeType: 'sale',
    storeId: DEMO.storeId,
    memberId: member.memberId,
    lines: [{ productId: null, title: '散装零食', listPrice: amount, price: amount, quantity: 1 }],
  });
  expect(created.status).toBe(201);
  const orderNo: string = created.body.order.orderNo;
  const paid = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${orderNo}/pay`, { method: 'balance' });
  expect(paid.body.result).toBe('paid');
  return orderNo;
}

async function refundTill(orderNo: string, amount: number) {
  const refund = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${orderNo}/refund`, {
    amount,
    operatorId: cashierId,
    refundPassword: '888888',
  });
  expect(refund.status).toBe(200);
  expect(refund.body.status).toBe('succeeded'); // a balance payment comes back at once
}

async function givePoints(orderNo: string): Promise<number> {
  const got = await api(t, 'GET', `/xxpay/api/trade_order/get?tradeOrderId=${orderNo}`, {
    headers: { authorization: `Bearer ${xxpayToken}` },
  });
  expect(got.body.code).toBe(0);
  return got.body.data.givePoints;
}

describe('points held from an order are the points of what it keeps', () => {
  it('a till sale of 112.00 refunded 12.34 then 99.66: 112, then 99, then 0 (XxPay givePoints shows what remains)', async () => {
    const orderNo = await tillSale(11_200);
    expect((await expectPointsOfWhatIsKept(orderNo)).awarded).toBe(112);
    expect(await givePoints(orderNo)).toBe(112);
    await refundTill(orderNo, 1_234);
    expect((await expectPointsOfWhatIsKept(orderNo)).awarded).toBe(99);
    expect(await givePoints(orderNo)).toBe(99);
    await refundTill(orderNo, 9_966);
    expect((await expectPointsOfWhatIsKept(orderNo)).awarded).toBe(0);
    expect(await givePoints(orderNo)).toBe(0);
  });

  it('a shop order of 133.00 refunded in three parts after completion (33.50, 33.50, 66.00): 133 → 99 → 66 → 0', async () => {
    const shop = await shopOrder(13_300);
    await receive(shop);
    await review(shop);
    const held: number[] = [(await expectPointsOfWhatIsKept(shop.orderNo)).awarded];
    for (const amount of [3_350, 3_350, 6_600]) {
      await refundShop(shop, amount);
      held.push((await expectPointsOfWhatIsKept(shop.orderNo)).awarded);
    }
    expect(held).toEqual([133, 99, 66, 0]);
  });

  it('a shop order of 130.00 with 26.93 refunded before the review earns 103, and a full refund then takes all 103 back', async () => {
    const shop = await shopOrder(13_000);
    await receive(shop);
    await refundShop(shop, 2_693);
    await expectPointsOfWhatIsKept(shop.orderNo, false);
    await review(shop);
    expect((await expectPointsOfWhatIsKept(shop.orderNo)).awarded).toBe(103);
    await refundShop(shop, 10_307);
    expect((await expectPointsOfWhatIsKept(shop.orderNo)).awarded).toBe(0);
    const ledger = await t.ctx.db
      .selectFrom('member_ledger')
      .select(['delta', 'reason'])
      .where('member_id', '=', shop.buyer.memberId)
      .where('account', '=', 'points')
      .orderBy('id')
      .execute();
    expect(ledger).toEqual([
      { delta: 103, reason: 'order_completed' },
      { delta: -103, reason: 'refund' },
    ]);
  });

  /**
   * Refund amounts that split an order: cuts inside the amount, in order; every piece up to the last cut is
   * refunded, and with `all` the rest after it too.
   */
  const splits = (min: number, max: number) =>
    fc
      .record({
        price: fc.integer({ min, max }),
        cutShares: fc.uniqueArray(fc.integer({ min: 1, max: 9_999 }), { maxLength: 3 }),
        all: fc.boolean(),
      })
      .map(({ price, cutShares, all }) => {
        const cuts = [...new Set(cutShares.map((s) => Math.max(1, Math.floor((price * s) / 10_000))))].sort(
          (a, b) => a - b,
        );
        const ends = all ? [...cuts, price] : cuts;
        return { price, refunds: ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1]!)), all };
      });
  const bounded = { numRuns: 12, endOnFailure: true };

  it('property: till sales, over random refund splits — after every refund, and 0 after a full one', async () => {
    await fc.assert(
      fc.asyncProperty(splits(100, 300_000), async ({ price, refunds, all }) => {
        const orderNo = await tillSale(price);
        await expectPointsOfWhatIsKept(orderNo);
        for (const amount of refunds) {
          await refundTill(orderNo, amount);
          await expectPointsOfWhatIsKept(orderNo);
        }
        if (all) expect((await pointsOf(orderNo)).awarded).toBe(0);
      }),
      bounded,
    );
  });

  it('property: shop orders, with some refunds before completion and the rest after — after every refund, and 0 after a full one', async () => {
    await fc.assert(
      fc.asyncProperty(splits(10_000, 300_000), fc.nat({ max: 2 }), async ({ price, refunds, all }, early) => {
        // refunds before the review leave something to complete (a wholly refunded order is not reviewed)
        const before = Math.min(early, all ? refunds.length - 1 : refunds.length);
        const shop = await shopOrder(price);
        await receive(shop);
        for (const amount of refunds.slice(0, before)) {
          await refundShop(shop, amount);
          await expectPointsOfWhatIsKept(shop.orderNo, false);
        }
        await review(shop);
        await expectPointsOfWhatIsKept(shop.orderNo);
        for (const amount of refunds.slice(before)) {
          await refundShop(shop, amount);
          await expectPointsOfWhatIsKept(shop.orderNo);
        }
        if (all) expect((await pointsOf(shop.orderNo)).awarded).toBe(0);
      }),
      bounded,
    );
  });

  it('refunds of one order at the same moment each take back exactly down to what is kept once all are in', async () => {
    const orderNo = await tillSale(45_678);
    const amounts = [1_111, 2_345, 999, 5_050, 3_333, 777];
    await Promise.all(amounts.map((amount) => refundTill(orderNo, amount)));
    const p = await expectPointsOfWhatIsKept(orderNo);
    expect(p).toMatchObject({ kept: 45_678 - 13_615, awarded: 320 });
  });

  it('points already spent stay spent; the order still counts them as given, and its next refund takes them back', async () => {
    const shop = await shopOrder(50_000);
    await receive(shop);
    await review(shop);
    const product = await createProduct(t, admin, { price: 20_000, stock: 5 });
    const spending = await placeOrder(t, shop.buyer.token, {
      lines: [{ productId: product.id, quantity: 1 }],
      usePoints: true,
    });
    expect(spending.body.pointsUsed).toBe(500);
    await refundShop(shop, 10_000);
    expect(await pointsOf(shop.orderNo)).toMatchObject({ awarded: 500, held: 500, member: { points: 0 } }); // nothing there to take
    expect(
      (await api(t, 'POST', `/v1/orders/${spending.body.orderNo}/cancel`, { token: shop.buyer.token })).status,
    ).toBe(200);
    await refundShop(shop, 10_000);
    expect((await expectPointsOfWhatIsKept(shop.orderNo)).awarded).toBe(300);
  });

  it('a refund takes back by the rule the order was credited under, not one the merchant set afterwards', async () => {
    const orderNo = await tillSale(20_000);
    expect((await pointsOf(orderNo)).awarded).toBe(200);
    expect((await api(t, 'PATCH', '/v1/admin/merchant', { token: admin, body: { pointsPerYuan: 5 } })).status).toBe(
      200,
    );
    try {
      await refundTill(orderNo, 5_050);
      expect((await expectPointsOfWhatIsKept(orderNo)).awarded).toBe(149);
    } finally {
      await api(t, 'PATCH', '/v1/admin/merchant', { token: admin, body: { pointsPerYuan: 1 } });
    }
  });
});
