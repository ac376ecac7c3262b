import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Seed 004 flows through the xxpay dialect: auth, barcode pay, query, get, refund, deposits, bad input. */

let t: TestApp;
let token: string;

/** A form-encoded call as the layui console and the cashier send it. */
async function xx(path: string, params: Record<string, string | number> = {}, auth: string | null = token) {
  const body = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth) headers.authorization = auth;
  const reply = await api(t, 'POST', `/xxpay${path}`, { body, headers });
  expect(reply.status).toBe(200);
  return reply.body;
}

beforeAll(async () => {
  t = await startTestApp();
  const admin = await staffToken(t);
  await createMerchantApp(t, admin);
  const cashier = await t.ctx.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', 'cashier')
    .executeTakeFirstOrThrow();
  await api(t, 'PUT', `/v1/admin/staff/${cashier.id}/refund-password`, { token: admin, body: { password: '888888' } });
  const login = await xx(
    '/api/auth',
    { username: 'cashier', password: DEMO.staff[1]!.password, loginType: 'pc' },
    null,
  );
  expect(login.code).toBe(0);
  token = login.data.access_token;
});
afterAll(() => t.close());

describe('xxpay till flow', () => {
  it('auth → barcode pay (customer confirming) → queryStatus → get → refund2', async () => {
    t.sandbox.simulator.behaviour.userPaying = true;
    let tradeOrderId: string;
    try {
      const bar = await xx('/api/memberPay/bar', {
        requiredAmount: '12.50',
        realAmount: '12.00',
        barCode: '134567890123456789',
      });
      expect(bar.code).toBe(0);
      expect(bar.data.orderStatus).toBe(1);
      tradeOrderId = bar.data.tradeOrderId;
      const waiting = await xx('/api/memberPay/queryStatus', { tradeOrderId });
      expect(waiting.data).toMatchObject({ tradeOrderId, orderStatus: 1, productType: 3, amount: 1_200 });
      const got = await xx('/api/trade_order/get', { tradeOrderId });
      expect((await api(t, 'POST', '/sandbox/confirm', { body: { outTradeNo: got.data.payOrderId } })).status).toBe(
        200,
      );
      await t.sandbox.simulator.settle();
    } finally {
      t.sandbox.simulator.behaviour.userPaying = false;
    }
    const paid = await xx('/api/memberPay/queryStatus', { tradeOrderId });
    expect(paid.data).toMatchObject({ orderStatus: 2, productType: 3, amount: 1_200 });

    const got = await api(t, 'GET', `/xxpay/api/trade_order/get?tradeOrderId=${tradeOrderId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(got.body.code).toBe(0);
    expect(got.body.data).toMatchObject({
      tradeOrderId,
      status: 2,
      orderAmount: 1_250,
      discountAmount: 50,
      amount: 1_200,
      productType: 3,
      productId: '8020',
      refundTotalAmount: 0,
      operatorName: '收银员',
    });
    expect(got.body.data.tradeSuccTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    const wrong = await xx('/api/memberPay/refund2', { tradeOrderId, refundAmount: '1', refundPassword: '000000' });
    expect(wrong.code).toBe(1003);
    const refund = await xx('/api/memberPay/refund2', {
      tradeOrderId,
      refundAmount: '2.00',
      refundPassword: '888888',
      refundDesc: '找零',
    });
    expect(refund.code).toBe(0);
    await t.sandbox.simulator.settle();
    const after = await xx('/api/trade_order/get', { tradeOrderId });
    expect(after.data).toMatchObject({ status: 4, refundTotalAmount: 200 });
    const rest = await xx('/api/memberPay/refund2', { tradeOrderId, refundPassword: '888888' });
    expect(rest.code).toBe(0);
    await t.sandbox.simulator.settle();
    expect((await xx('/api/trade_order/get', { tradeOrderId })).data).toMatchObject({
      status: 5,
      refundTotalAmount: 1_200,
    });

    const list = await xx('/api/trade_order/list', { page: 1, limit: 5 });
    expect(list.code).toBe(0);
    expect(list.count).toBeGreaterThan(0);
    expect(list.data.some((o: { tradeOrderId: string }) => o.tradeOrderId === tradeOrderId)).toBe(true);
  });

  it('cash and member balance', async () => {
    const cash = await xx('/api/memberPay/cash', { requiredAmount: '8.8' });
    expect(cash).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    expect((await xx('/api/trade_order/get', { tradeOrderId: cash.data.tradeOrderId })).data).toMatchObject({
      productType: 1,
      amount: 880,
    });

    const member = await createMember(t);
    await t.ctx.db.updateTable('members').set({ balance: 10_000 }).where('id', '=', member.memberId).execute();
    const balance = await xx('/api/memberPay/balance', { requiredAmount: '20', memberId: member.memberId });
    expect(balance).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    expect((await xx('/api/trade_order/get', { tradeOrderId: balance.data.tradeOrderId })).data).toMatchObject({
      productType: 2,
      memberId: String(member.memberId),
    });
    const noMember = await xx('/api/memberPay/balance', { requiredAmount: '20' });
    expect(noMember.code).toBe(10001);
  });

  it('a deposit consumed in part, and another reversed', async () => {
    const held = await xx('/api/memberPay/bar', {
      requiredAmount: '100',
      barCode: '284567890123456789',
      isDepositMode: 1,
    });
    expect(held).toMatchObject({ code: 0, data: { orderStatus: 6 } });
    const over = await xx('/api/memberPay/depositConsume', {
      tradeOrderId: held.data.tradeOrderId,
      consumeAmount: '100.01',
    });
    expect(over.code).toBe(1);
    const consumed = await xx('/api/memberPay/depositConsume', {
      tradeOrderId: held.data.tradeOrderId,
      consumeAmount: '60',
    });
    expect(consumed).toMatchObject({ code: 0, data: { consumeAmount: 6_000, returnAmount: 4_000 } });
    await t.sandbox.simulator.settle();
    expect((await xx('/api/trade_order/get', { tradeOrderId: held.data.tradeOrderId })).data).toMatchObject({
      depositMode: 1,
      refundTotalAmount: 4_000,
      productType: 4,
    });

    const other = await xx('/api/memberPay/bar', {
      requiredAmount: '50',
      barCode: '134567890123456781',
      isDepositMode: 'true',
    });
    expect(other.data.orderStatus).toBe(6);
    const reversed = await xx('/api/memberPay/depositReverse', { tradeOrderId: other.data.tradeOrderId });
    expect(reversed).toMatchObject({ code: 0, data: { returnAmount: 5_000, orderStatus: 7 } });
    await t.sandbox.simulator.settle();
    expect((await xx('/api/trade_order/get', { tradeOrderId: other.data.tradeOrderId })).data).toMatchObject({
      status: 7,
      refundTotalAmount: 5_000,
    });
  });

  it('bad parameters → 10001, no token → 1001, unknown → 12025, refused code → -1, never HTTP 500', async () => {
    const orders = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await orders();
    for (const params of [
      {},
      { barCode: '134567890123456789' },
      { barCode: '134567890123456789', requiredAmount: 'abc' },
      { barCode: '134567890123456789', requiredAmount: '1.234' },
      { barCode: '134567890123456789', requiredAmount: '-1' },
      { barCode: '134567890123456789', requiredAmount: '1', realAmount: '2' },
      { barCode: '99', requiredAmount: '1' },
      { barCode: '994567890123456789', requiredAmount: '1' },
      { barCode: '134567890123456789', requiredAmount: '1', isDepositMode: 'maybe' },
      { barCode: '134567890123456789', tradeOrderId: 'x; drop' },
      { barCode: '134567890123456789', params: '{not json' },
    ] as Record<string, string>[]) {
      const reply = await xx('/api/memberPay/bar', params);
      expect(reply.code, JSON.stringify(params)).toBe(10001);
    }
    expect(await orders()).toBe(before);
    expect((await xx('/api/trade_order/get', {})).code).toBe(10001);
    expect((await xx('/api/trade_order/list', { page: 0 })).code).toBe(10001);
    expect((await xx('/api/memberPay/depositConsume', { tradeOrderId: '1', consumeAmount: '0' })).code).toBe(10001);
    const badJson = await api(t, 'POST', '/xxpay/api/trade_order/get', {
      body: '{oops',
      headers: { 'content-type': 'application/json', authorization: token },
    });
    expect(badJson.status).toBe(200);
    expect(badJson.body.code).toBe(10001);
    expect((await xx('/api/trade_order/get', { tradeOrderId: '2026010100009999' })).code).toBe(12025);
    expect((await xx('/api/trade_order/get', { tradeOrderId: '2026010100009999' }, null)).code).toBe(1001);
    expect((await xx('/api/trade_order/get', { tradeOrderId: '1' }, 'not-a-token')).code).toBe(1001);
    expect((await xx('/api/auth', { username: 'cashier', password: 'nope' }, null)).code).toBe(12011);
    const refused = await xx('/api/memberPay/bar', { requiredAmount: '1', barCode: '134567890123450000' });
    expect(refused).toMatchObject({ code: 0, data: { orderStatus: -1 } });
    const json = await api(t, 'POST', '/xxpay/api/memberPay/queryStatus', {
      body: { tradeOrderId: refused.data.tradeOrderId },
      headers: { authorization: token },
    });
    expect(json.body).toMatchObject({ code: 0, data: { orderStatus: -1 } });
  });
});
