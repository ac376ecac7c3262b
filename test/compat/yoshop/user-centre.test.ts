import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { ship } from '../../support/after-sales.ts';
import { api } from '../../support/api.ts';
import { createProduct, placeOrder, staffToken } from '../../support/actors.ts';
import { startPayment } from '../../support/payments.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The YoShop user centre (我的) and wallet, called as the client calls them: user/info, user/assets (balance,
 * points, usable coupons), order/todoCounts (the badges of 待支付, 待发货, 待收货 and 售后), the points and balance
 * logs from the member's ledger. A guest gets status 401, which the page takes as "not signed in".
 */

let t: TestApp;
let admin: string;
let productId: number;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  productId = (await createProduct(t, admin, { price: 12_345, stock: 100 })).id;
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

async function demoMember(): Promise<string> {
  const login = await yoshop('POST', 'passport/login', {
    body: { form: { mobile: DEMO.member.mobile, password: DEMO.member.password } },
  });
  expect(login.status).toBe(200);
  return login.data.token;
}

async function order(token: string, memberId: number, then: 'unpaid' | 'paid' | 'shipped') {
  const placed = await placeOrder(t, token, { lines: [{ productId, quantity: 1 }] });
  expect(placed.status).toBe(201);
  const orderNo = placed.body.orderNo as string;
  if (then === 'unpaid') return { orderNo, lineId: placed.body.lines[0].id as number };
  await t.ctx.db
    .updateTable('members')
    .set({ balance: placed.body.payableAmount })
    .where('id', '=', memberId)
    .execute();
  expect((await startPayment(t, token, orderNo, { method: 'balance', client: 'H5' })).status).toBe(200);
  if (then === 'shipped') expect((await ship(t, admin, orderNo)).status).toBe(201);
  return { orderNo, lineId: placed.body.lines[0].id as number };
}

describe('a guest', () => {
  it('is asked to sign in (status 401) by every user-centre route', async () => {
    for (const route of ['user/info', 'user/assets', 'order/todoCounts', 'points.log/list', 'balance.log/list'])
      expect(await yoshop('GET', route)).toMatchObject({ status: 401, message: '很抱歉，您还没有登录' });
  });
});

describe('the signed-in member', () => {
  it('user/info: who the member is, in the fields the user centre and wallet draw', async () => {
    const token = await demoMember();
    const reply = await yoshop('GET', 'user/info', { token });
    expect(reply.status).toBe(200);
    const u = reply.data.userInfo;
    expect(u).toMatchObject({
      user_id: expect.any(Number),
      nick_name: '演示用户',
      avatar_url: expect.any(String),
      mobile: '138****8000',
      balance: expect.stringMatching(/^\d+\.\d{2}$/),
      points: expect.any(Number),
      grade_id: expect.any(Number),
      grade: { name: '普通会员' },
    });
    expect(u.user_id).toBeGreaterThan(0);
  });

  it('user/assets: balance to the fen, points, and the unused coupons in the member’s wallet', async () => {
    const buyer = await yoshopBuyer(t, 12_345);
    await t.ctx.db.updateTable('members').set({ points: 321 }).where('id', '=', buyer.memberId).execute();
    // the demo's code coupons (WELCOME10, SAVE5) are typed at checkout, not held: an empty wallet counts 0
    expect(await yoshop('GET', 'user/assets', { token: buyer.token })).toMatchObject({
      status: 200,
      data: { assets: { balance: '123.45', points: 321, coupon: 0 } },
    });

    const template = await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: {
        title: '领券满30减3',
        kind: 'fixed',
        amountOff: 300,
        minSpend: 3000,
        validDays: 7,
        perMemberLimit: 2,
        claimable: true,
      },
    });
    expect(template.status).toBe(201);
    for (let i = 0; i < 2; i++)
      expect((await api(t, 'POST', `/v1/coupons/${template.body.id}/claim`, { token: buyer.token })).status).toBe(201);
    expect((await yoshop('GET', 'user/assets', { token: buyer.token })).data.assets.coupon).toBe(2);

    // another member's wallet is theirs
    const other = await yoshopBuyer(t);
    expect((await yoshop('GET', 'user/assets', { token: other.token })).data.assets.coupon).toBe(0);
  });

  it('order/todoCounts: orders awaiting payment, shipment, receipt, and refunds under way', async () => {
    const buyer = await yoshopBuyer(t);
    const empty = await yoshop('GET', 'order/todoCounts', { token: buyer.token });
    expect(empty).toMatchObject({ status: 200, data: { counts: { payment: 0, delivery: 0, received: 0, refund: 0 } } });

    await order(buyer.token, buyer.memberId, 'unpaid');
    await order(buyer.token, buyer.memberId, 'unpaid');
    await order(buyer.token, buyer.memberId, 'paid');
    await order(buyer.token, buyer.memberId, 'shipped');
    const refunded = await order(buyer.token, buyer.memberId, 'shipped');
    const refund = await api(t, 'POST', `/v1/orders/${refunded.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '少发一件', lines: [{ lineId: refunded.lineId, amount: 1000 }] },
    });
    expect(refund.status).toBe(201);

    const counts = (await yoshop('GET', 'order/todoCounts', { token: buyer.token })).data.counts;
    expect(counts).toEqual({ payment: 2, delivery: 1, received: 2, refund: 1 });

    // another member's orders are not counted
    const other = await yoshopBuyer(t);
    expect((await yoshop('GET', 'order/todoCounts', { token: other.token })).data.counts).toEqual({
      payment: 0,
      delivery: 0,
      received: 0,
      refund: 0,
    });
  });

  it('points.log/list and balance.log/list: the member’s ledger, newest first, a page at a time', async () => {
    const token = await demoMember();
    const points = await yoshop('GET', 'points.log/list', { token, query: { page: 1 } });
    expect(points.status).toBe(200);
    expect(points.data.list).toMatchObject({ per_page: 15, current_page: 1 });
    const opening = points.data.list.data.at(-1);
    expect(opening).toEqual({
      log_id: expect.any(Number),
      value: DEMO.member.openingPoints,
      describe: '开户赠送',
      create_time: expect.stringMatching(TIME),
    });

    const balance = await yoshop('GET', 'balance.log/list', { token, query: { page: 1 } });
    expect(balance.data.list.data.at(-1)).toEqual({
      log_id: expect.any(Number),
      money: '500.00',
      describe: '开户赠送',
      create_time: expect.stringMatching(TIME),
    });

    // paying from the balance is a debit line on top, to the fen
    const buyer = await yoshopBuyer(t);
    const placed = await order(buyer.token, buyer.memberId, 'paid');
    expect(placed.orderNo).toMatch(/^\d{16}$/);
    const log = (await yoshop('GET', 'balance.log/list', { token: buyer.token })).data.list;
    expect(log.total).toBe(1);
    expect(log.data[0]).toMatchObject({ money: '-123.45', describe: '订单消费' });
    expect((await yoshop('GET', 'points.log/list', { token: buyer.token })).data.list).toMatchObject({
      total: 0,
      data: [],
    });

    const page2 = await yoshop('GET', 'balance.log/list', { token: buyer.token, query: { page: 2 } });
    expect(page2.data.list).toMatchObject({ total: 1, current_page: 2, data: [] });
    expect((await yoshop('GET', 'points.log/list', { token, query: { page: 'x' } })).status).toBe(500);
  });
});
