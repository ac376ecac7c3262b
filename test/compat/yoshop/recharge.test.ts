import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRechargeRule } from '../../../src/members/recharge-rules.ts';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { api } from '../../support/api.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The wallet's recharge page of the YoShop uniapp (pages/wallet/recharge, pages/wallet/recharge/order), called as
 * the client calls it: recharge/center (plans = the merchant's recharge rules), recharge/submit (a top-up paid at
 * the simulated gateway), recharge/tradeQuery and recharge.order/list; every field the pages read, with its type.
 */

let t: TestApp;
let plan: { id: number };
let pointsPlan: { id: number };
let switchedOff: { id: number };
beforeAll(async () => {
  t = await startTestApp();
  plan = await createRechargeRule(t.ctx, DEMO.merchantId, {
    rechargeAmount: 10_000,
    bonusKind: 'balance',
    bonusAmount: 1_550,
    recommended: true,
  });
  pointsPlan = await createRechargeRule(t.ctx, DEMO.merchantId, {
    rechargeAmount: 5_000,
    bonusKind: 'points',
    bonusAmount: 200,
  });
  switchedOff = await createRechargeRule(t.ctx, DEMO.merchantId, {
    rechargeAmount: 20_000,
    bonusKind: 'balance',
    bonusAmount: 5_000,
    enabled: false,
  });
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);

const balanceOf = async (memberId: number) =>
  await t.ctx.db
    .selectFrom('members')
    .select(['balance', 'points'])
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();

async function submit(token: string, form: Record<string, unknown>) {
  return yoshop('POST', 'recharge/submit', {
    token,
    body: { form: { planId: 0, customMoney: '', method: 'wechat', client: 'H5', extra: {}, ...form } },
  });
}

/** The buyer pays the H5 page at the simulated gateway; the notification has been handled when this returns. */
async function pay(h5Url: string) {
  const paid = await api(t, 'POST', '/sandbox/pay', { body: { content: h5Url } });
  expect(paid.status).toBeLessThan(300);
  await t.sandbox.simulator.settle();
}

describe('recharge in the YoShop uniapp', () => {
  it('recharge/center: setting, personal, the enabled rules as plans, the methods that can pay a top-up', async () => {
    const b = await yoshopBuyer(t, 1_234);
    const center = await yoshop('GET', 'recharge/center', { token: b.token, query: { client: 'H5' } });
    expect(center.status).toBe(200);
    expect(center.data.setting).toEqual({ is_entrance: true, is_custom: 1, describe: expect.any(String) });
    expect(center.data.personal).toMatchObject({ user_id: b.memberId, balance: '12.34' });
    const plans = center.data.planList as { plan_id: number; money: string; gift_money: string }[];
    expect(plans.find((x) => x.plan_id === plan.id)).toMatchObject({ money: '100.00', gift_money: '15.50' });
    expect(plans.find((x) => x.plan_id === pointsPlan.id)).toMatchObject({ money: '50.00', gift_money: '200积分' });
    expect(plans.find((x) => x.plan_id === switchedOff.id)).toBeUndefined();
    const methods = center.data.paymentMethods as { method: string }[];
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods) expect(['wechat', 'alipay']).toContain(m.method);

    // the wallet page shows its 充值 entry from the public settings
    const setting = await yoshop('GET', 'setting/data');
    expect(setting.data.setting.recharge.is_entrance).toBe(true);
  });

  it('a plan: paid at the gateway, tradeQuery says so, the balance grows by the amount and the bonus to the fen', async () => {
    const b = await yoshopBuyer(t, 1_234);
    const submitted = await submit(b.token, { planId: plan.id });
    expect(submitted).toMatchObject({
      status: 200,
      data: { isPay: false, payment: { h5_url: expect.any(String), out_trade_no: expect.any(String) } },
    });
    const outTradeNo = submitted.data.payment.out_trade_no as string;
    const query = { outTradeNo, method: 'wechat', client: 'H5' };
    expect((await yoshop('GET', 'recharge/tradeQuery', { token: b.token, query })).data).toEqual({ isPay: false });
    expect((await balanceOf(b.memberId)).balance).toBe(1_234);

    await pay(submitted.data.payment.h5_url);
    const paid = await yoshop('GET', 'recharge/tradeQuery', { token: b.token, query });
    expect(paid).toMatchObject({ status: 200, message: '恭喜您，余额充值成功', data: { isPay: true } });
    expect((await balanceOf(b.memberId)).balance).toBe(1_234 + 10_000 + 1_550);

    const list = await yoshop('GET', 'recharge.order/list', { token: b.token, query: { page: 1 } });
    expect(list.data.list).toMatchObject({ total: 1, current_page: 1 });
    expect(list.data.list.data[0]).toEqual({
      order_id: expect.any(Number),
      actual_money: '100.00',
      pay_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
  });

  it('a points plan credits its points; a free amount (customMoney, yuan) credits exactly that, no bonus', async () => {
    const b = await yoshopBuyer(t);
    const points = await submit(b.token, { planId: pointsPlan.id });
    await pay(points.data.payment.h5_url);
    const custom = await submit(b.token, { customMoney: '88.8' });
    expect(custom.status).toBe(200);
    await pay(custom.data.payment.h5_url);
    const after = await balanceOf(b.memberId);
    expect(after.balance).toBe(5_000 + 8_880);
    expect(after.points).toBe(200);
  });

  it('refusals in the envelope, nothing placed: no plan or amount, bad amounts, an unknown or switched-off plan, the balance', async () => {
    const b = await yoshopBuyer(t, 50_000);
    const cases: [Record<string, unknown>, string][] = [
      [{}, '请选择充值套餐或输入充值金额'],
      [{ customMoney: 'abc' }, '请输入正确的充值金额'],
      [{ customMoney: '0.5' }, '充值金额须在 1.00 到 50000.00 元之间'],
      [{ customMoney: '50000.01' }, '充值金额须在 1.00 到 50000.00 元之间'],
      [{ customMoney: '1.001' }, '请输入正确的充值金额'],
      [{ planId: switchedOff.id }, '很抱歉，充值套餐不存在'],
      [{ planId: 999_999 }, '很抱歉，充值套餐不存在'],
      [{ planId: plan.id, method: 'balance' }, '很抱歉，充值仅支持微信支付和支付宝'],
    ];
    for (const [form, message] of cases)
      expect(await submit(b.token, form)).toEqual({ status: 500, message, data: [] });
    const orders = await t.ctx.db
      .selectFrom('orders')
      .select('id')
      .where('member_id', '=', b.memberId)
      .where('order_type', '=', 'recharge')
      .execute();
    expect(orders).toEqual([]);
    expect((await balanceOf(b.memberId)).balance).toBe(50_000);
  });

  it('the canonical API tops up by the same rules: GET /v1/recharge-rules, POST /v1/recharges {ruleId}', async () => {
    const b = await yoshopBuyer(t);
    const rules = await api(t, 'GET', '/v1/recharge-rules', { token: b.token });
    expect(rules.status).toBe(200);
    const ids = (rules.body as { id: number }[]).map((r) => r.id);
    expect(ids).toContain(plan.id);
    expect(ids).not.toContain(switchedOff.id);
    expect(rules.body.find((r: { id: number }) => r.id === plan.id)).toEqual({
      id: plan.id,
      rechargeAmount: 10_000,
      bonusKind: 'balance',
      bonusAmount: 1_550,
      recommended: true,
      remark: '',
    });
    const placed = await api(t, 'POST', '/v1/recharges', { token: b.token, body: { ruleId: plan.id, client: 'H5' } });
    expect(placed.status).toBe(201);
    expect(placed.body).toEqual({ orderNo: expect.any(String), amount: 10_000 });
    const order = await t.ctx.db
      .selectFrom('orders')
      .select(['payable_amount', 'recharge_rule_id', 'recharge_bonus'])
      .where('order_no', '=', placed.body.orderNo)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({ payable_amount: 10_000, recharge_rule_id: plan.id, recharge_bonus: 1_550 });
    for (const body of [{}, { amount: 10_000, ruleId: plan.id }, { ruleId: switchedOff.id }]) {
      const refused = await api(t, 'POST', '/v1/recharges', { token: b.token, body });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
    }
  });

  it('signed out: each recharge route asks to log in (status 401)', async () => {
    for (const route of ['recharge/center', 'recharge.order/list', 'recharge/tradeQuery'])
      expect((await yoshop('GET', route)).status).toBe(401);
    expect((await yoshop('POST', 'recharge/submit', { body: { form: { planId: plan.id } } })).status).toBe(401);
  });
});
