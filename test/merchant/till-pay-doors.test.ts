import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp, merchantCall, type TestMerchantApp } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * A till collects a trade order through the signed merchant API or through the XxPay dialect; both go through one
 * flow (pay-trade-order-by-method), so the rules are the same at either door: the balance that pays is that of
 * the member the trade order names, cash is recorded against a real operator for the whole amount due, and the
 * XxPay till acts for the merchant's first enabled app.
 */

let t: TestApp;
let admin: string;
let xxToken: string;
let cashierId: number;

async function xx(path: string, params: Record<string, string | number>) {
  const body = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const reply = await api(t, 'POST', `/xxpay${path}`, {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: xxToken },
  });
  expect(reply.status).toBe(200);
  return reply.body;
}

const sale = (merchantOrderNo: string, extra: Record<string, unknown> = {}) => ({
  merchantOrderNo,
  tradeType: 'sale',
  storeId: DEMO.storeId,
  lines: [{ productId: null, title: '散装糖果', listPrice: 2_345, price: 2_345, quantity: 1 }],
  ...extra,
});

const orderCount = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const balanceOf = async (memberId: number) =>
  (await t.ctx.db.selectFrom('members').select('balance').where('id', '=', memberId).executeTakeFirstOrThrow()).balance;
const statusOf = async (orderNo: string) =>
  (await t.ctx.db.selectFrom('orders').select('status').where('order_no', '=', orderNo).executeTakeFirstOrThrow())
    .status;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  cashierId = (
    await t.ctx.db.selectFrom('staff').select('id').where('username', '=', 'cashier').executeTakeFirstOrThrow()
  ).id;
  const login = await api(t, 'POST', '/xxpay/api/auth', {
    body: { username: 'cashier', password: DEMO.staff[1]!.password },
  });
  xxToken = login.body.data.access_token;
});
afterAll(() => t.close());

describe('the app an XxPay till acts for', () => {
  it('is none until the merchant has an enabled app (1004, nothing recorded), then the first enabled one by age', async () => {
    const before = await orderCount();
    expect(await xx('/api/memberPay/cash', { requiredAmount: '1' })).toMatchObject({ code: 1004 });
    expect(await orderCount()).toBe(before);

    const first = await createMerchantApp(t, admin);
    const second = await createMerchantApp(t, admin);
    const appOfSale = async () => {
      const paid = await xx('/api/memberPay/cash', { requiredAmount: '1' });
      expect(paid.code).toBe(0);
      return (await xx('/api/trade_order/get', { tradeOrderId: paid.data.tradeOrderId })).data.appId;
    };
    expect(await appOfSale()).toBe(first.appId);
    expect(
      (await api(t, 'PATCH', `/v1/admin/apps/${first.appId}`, { token: admin, body: { disabled: true } })).status,
    ).toBe(200);
    expect(await appOfSale()).toBe(second.appId);
    expect(
      (await api(t, 'PATCH', `/v1/admin/apps/${second.appId}`, { token: admin, body: { disabled: true } })).status,
    ).toBe(200);
    expect(await xx('/api/memberPay/cash', { requiredAmount: '1' })).toMatchObject({ code: 1004 });
    for (const app of [first, second])
      await api(t, 'PATCH', `/v1/admin/apps/${app.appId}`, { token: admin, body: { disabled: false } });
  });
});

describe('both doors collect by the same rules', () => {
  let till: TestMerchantApp;
  beforeAll(async () => {
    till = await createMerchantApp(t, admin);
  });

  it('the balance of the member the trade order names pays, to the fen; another member named by the till is refused', async () => {
    const buyer = await createMember(t);
    const other = await createMember(t);
    await t.ctx.db
      .updateTable('members')
      .set({ balance: 10_000 })
      .where('id', 'in', [buyer.memberId, other.memberId])
      .execute();

    const viaXxpay = (
      await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('DOORS-1', { memberId: buyer.memberId }))
    ).body.order.orderNo;
    expect(await xx('/api/memberPay/balance', { tradeOrderId: viaXxpay, memberId: other.memberId })).toMatchObject({
      code: 10001,
      msg: '该交易订单属于其他会员',
    });
    expect([await balanceOf(buyer.memberId), await balanceOf(other.memberId), await statusOf(viaXxpay)]).toEqual([
      10_000,
      10_000,
      'pending_payment',
    ]);
    expect(await xx('/api/memberPay/balance', { tradeOrderId: viaXxpay, memberId: buyer.memberId })).toMatchObject({
      code: 0,
      data: { orderStatus: 2 },
    });
    expect([await balanceOf(buyer.memberId), await balanceOf(other.memberId)]).toEqual([7_655, 10_000]);

    const viaApi = (
      await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('DOORS-2', { memberId: buyer.memberId }))
    ).body.order.orderNo;
    expect(
      (await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${viaApi}/pay`, { method: 'balance' })).body,
    ).toMatchObject({ result: 'paid', tradeOrder: { payment: { method: 'balance' } } });
    expect(await balanceOf(buyer.memberId)).toBe(5_310);
  });

  it('a trade order naming no member is paid from no balance; an unknown one is not found', async () => {
    const orderNo = (await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('DOORS-3'))).body.order
      .orderNo;
    expect(await xx('/api/memberPay/balance', { tradeOrderId: orderNo })).toMatchObject({
      code: 10001,
      msg: '缺少参数 memberId：该交易订单未指定会员',
    });
    const refused = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${orderNo}/pay`, {
      method: 'balance',
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'unprocessable']);
    expect(await statusOf(orderNo)).toBe('pending_payment');

    const unknown = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders/2099010100000001/pay', {
      method: 'balance',
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    expect(await xx('/api/memberPay/balance', { tradeOrderId: '2099010100000001', memberId: 1 })).toMatchObject({
      code: 12025,
    });
  });

  it('cash is recorded against a real operator: the signed-in one at XxPay (the whole amount due), the named one in the API', async () => {
    const paid = await xx('/api/memberPay/cash', { requiredAmount: '23.45' });
    expect(paid).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    const order = await t.ctx.db
      .selectFrom('orders')
      .select('id')
      .where('order_no', '=', paid.data.tradeOrderId)
      .executeTakeFirstOrThrow();
    expect(
      await t.ctx.db
        .selectFrom('payments')
        .select(['method', 'amount', 'operator_id', 'status'])
        .where('order_id', '=', order.id)
        .execute(),
    ).toEqual([{ method: 'cash', amount: 2_345, operator_id: cashierId, status: 'paid' }]);

    const orderNo = (await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('DOORS-4'))).body.order
      .orderNo;
    const nobody = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${orderNo}/pay`, {
      method: 'cash',
      amount: 2_345,
      operatorId: 999_999,
    });
    expect([nobody.status, nobody.body.error.code]).toEqual([400, 'validation_failed']);
    expect(await statusOf(orderNo)).toBe('pending_payment');
    const byCashier = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${orderNo}/pay`, {
      method: 'cash',
      amount: 2_345,
      operatorId: cashierId,
    });
    expect(byCashier.body).toMatchObject({
      result: 'paid',
      tradeOrder: { order: { status: 'paid', paidAmount: 2_345 } },
    });
  });

  it('an XxPay refund naming no amount gives back what is left, to the fen, and then there is nothing left', async () => {
    expect(
      (
        await api(t, 'PUT', `/v1/admin/staff/${cashierId}/refund-password`, {
          token: admin,
          body: { password: '888888' },
        })
      ).status,
    ).toBeLessThan(300);
    const paid = await xx('/api/memberPay/bar', { requiredAmount: '12.34', barCode: '134567890123456789' });
    expect(paid).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    const tradeOrderId = paid.data.tradeOrderId;
    expect(
      await xx('/api/memberPay/refund2', { tradeOrderId, refundAmount: '2.34', refundPassword: '888888' }),
    ).toMatchObject({ code: 0, data: { refundAmount: 234 } });
    await t.sandbox.simulator.settle();
    expect(await xx('/api/memberPay/refund2', { tradeOrderId, refundPassword: '888888' })).toMatchObject({
      code: 0,
      data: { refundAmount: 1_000 },
    });
    await t.sandbox.simulator.settle();
    expect(await xx('/api/memberPay/refund2', { tradeOrderId, refundPassword: '888888' })).toMatchObject({
      code: 1,
      msg: '该订单已无可退金额',
    });
    expect((await xx('/api/trade_order/get', { tradeOrderId })).data).toMatchObject({
      status: 5,
      refundTotalAmount: 1_234,
    });
  });
});
