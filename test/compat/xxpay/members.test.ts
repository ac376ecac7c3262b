import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { api } from '../../support/api.ts';
import { createMember, staffToken } from '../../support/actors.ts';
import { createMerchantApp } from '../../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

/**
 * The cashier's and the console's member screens over the xxpay dialect: look-up by card number or mobile, lists,
 * balance pay by `memberNo`, recharge rules and the till's top-up by rule, its bonus in the ledger to the fen.
 */

let t: TestApp;
let token: string;
let adminToken: string;

/** As the cashier's axios sends a GET: query string, `authorization` header. */
async function get(path: string, params: Record<string, string | number> = {}, auth: string | null = token) {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  const reply = await api(t, 'GET', `/xxpay/api/${path}${query ? `?${query}` : ''}`, { headers });
  expect(reply.status).toBe(200);
  return reply.body;
}

/** As the console's layui form posts: form-encoded body. */
async function post(path: string, params: Record<string, string | number>, auth: string | null = token) {
  const body = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth) headers.authorization = auth;
  const reply = await api(t, 'POST', `/xxpay/api/${path}`, { body, headers });
  expect(reply.status).toBe(200);
  return reply.body;
}

async function memberRow(memberId: number) {
  return t.ctx.db
    .selectFrom('members')
    .select(['balance', 'points', 'card_no', 'mobile'])
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
}

async function ledgerSum(memberId: number, account: 'balance' | 'points') {
  const row = await t.ctx.db
    .selectFrom('member_ledger')
    .select((eb) => eb.fn.sum<string>('delta').as('total'))
    .where('member_id', '=', memberId)
    .where('account', '=', account)
    .executeTakeFirstOrThrow();
  return Number(row.total ?? 0);
}

/** A member with a mobile and a balance brought in through the ledger (a recharge paid in cash at the till). */
async function memberWithMobile(mobile: string) {
  const m = await createMember(t);
  await t.ctx.db.updateTable('members').set({ mobile }).where('id', '=', m.memberId).execute();
  return m;
}

beforeAll(async () => {
  t = await startTestApp();
  await createMerchantApp(t, await staffToken(t));
  const login = await post('auth', { username: 'cashier', password: DEMO.staff[1]!.password });
  expect(login.code).toBe(0);
  token = login.data.access_token;
  adminToken = (await post('auth', { username: 'admin', password: DEMO.staff[0]!.password })).data.access_token;
});
afterAll(() => t.close());

describe('card numbers', () => {
  it('every member has one: ten digits beginning with 8, never a mobile number, one per member', async () => {
    const a = await createMember(t);
    const b = await createMember(t);
    const demo = await t.ctx.db
      .selectFrom('members')
      .select('card_no')
      .where('mobile', '=', DEMO.member.mobile)
      .executeTakeFirstOrThrow();
    for (const no of [(await memberRow(a.memberId)).card_no, (await memberRow(b.memberId)).card_no, demo.card_no])
      expect(no).toMatch(/^8\d{9}$/);
    expect((await memberRow(a.memberId)).card_no).not.toBe((await memberRow(b.memberId)).card_no);
  });
});

describe('member/getAllMemberInfo', () => {
  it('the cashier finds a member by mobile or by card number (type 2), balance in yuan as it prints it', async () => {
    const m = await memberWithMobile('13900000001');
    await t.ctx.db.updateTable('members').set({ nickname: '张三' }).where('id', '=', m.memberId).execute();
    const { card_no } = await memberRow(m.memberId);
    for (const key of ['13900000001', card_no]) {
      const found = await get('member/getAllMemberInfo', { type: 2, memberId: key });
      expect(found.code).toBe(0);
      expect(found.data).toMatchObject({
        memberId: m.memberId,
        memberNo: card_no,
        memberName: '张三',
        tel: '13900000001',
        balance: '0.00',
        point: 0,
        couponCount: 0,
        status: 1,
      });
    }
  });

  it('the console reads it by member id (no type) with the balance in fen; unknown and payment codes are refused', async () => {
    const m = await memberWithMobile('13900000002');
    const byId = await get('member/getAllMemberInfo', { memberId: m.memberId });
    expect(byId.data).toMatchObject({ memberId: m.memberId, balance: 0, point: 0, tel: '13900000002' });
    expect(typeof byId.data.createTime).toBe('string');
    expect(await get('member/getAllMemberInfo', { type: 2, memberId: '13999999999' })).toMatchObject({
      code: 1,
      msg: '会员不存在',
    });
    expect((await get('member/getAllMemberInfo', { type: 3, memberId: '12345678' })).code).toBe(1);
    expect((await get('member/getAllMemberInfo', { type: 2, memberId: 'abc' })).code).toBe(10001);
    expect((await get('member/getAllMemberInfo', { type: 2 })).code).toBe(10001);
    expect((await get('member/getAllMemberInfo', { type: 2, memberId: '13900000002' }, null)).code).toBe(1001);
  });
});

describe('member/list and member/get', () => {
  it('pages newest first with the total, finds by card number, mobile or name, and limit=-1 is everyone', async () => {
    const m = await memberWithMobile('13900000003');
    const { card_no } = await memberRow(m.memberId);
    const page = await get('member/list', { page: 1, limit: 2 });
    expect(page.code).toBe(0);
    expect(page.data).toHaveLength(2);
    expect(page.count).toBeGreaterThan(2);
    for (const row of page.data) {
      expect(typeof row.memberId).toBe('number');
      expect(row.memberNo).toMatch(/^8\d{9}$/);
      expect(typeof row.memberName).toBe('string');
      expect(typeof row.createTime).toBe('string');
    }
    const all = await get('member/list', { limit: -1 });
    expect(all.data).toHaveLength(all.count);
    for (const q of [card_no, '13900000003']) {
      const found = await get('member/list', { page: 1, limit: 10, memberNo: q });
      expect(found).toMatchObject({ code: 0, count: 1, data: [{ memberId: m.memberId, memberNo: card_no }] });
    }
    const one = await get('member/get', { memberId: m.memberId });
    expect(one.data).toMatchObject({ memberId: m.memberId, memberNo: card_no, tel: '13900000003' });
    expect((await get('member/list', { limit: 0 })).code).toBe(10001);
  });
});

describe('recharge rules and the till top-up', () => {
  it('a rule made on the console pays X and gives Y more balance: ledger and balance agree to the fen', async () => {
    // the console posts yuan * 100 as JavaScript computes it
    const added = await post(
      'member_recharge_rule/add',
      {
        rechargeAmount: 12.34 * 100,
        ruleType: 1,
        givePoints: 1.66 * 100,
        firstFlag: 1,
        status: 1,
        remark: '充100送',
      },
      adminToken,
    );
    expect(added.code).toBe(0);
    expect(added.data).toMatchObject({ rechargeAmount: 1_234, givePoints: 166, ruleType: 1, firstFlag: 1, status: 1 });
    const ruleId = added.data.ruleId;

    const list = await get('member_recharge_rule/list', { page: 1, limit: 10 });
    expect(list.code).toBe(0);
    expect(list.data[0]).toMatchObject({ ruleId, rechargeAmount: 1_234, givePoints: 166, remark: '充100送' });
    expect(typeof list.data[0].createTime).toBe('string');
    expect((await get('member_recharge_rule/get', { ruleId })).data).toMatchObject({ ruleId });

    const m = await memberWithMobile('13900000004');
    const top = await get('memberPay/recharge', { memberId: m.memberId, ruleId, barCode: '134567890123450001' });
    expect(top).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    const after = await memberRow(m.memberId);
    expect(after.balance).toBe(1_400);
    expect(await ledgerSum(m.memberId, 'balance')).toBe(1_400);
    const order = await get('trade_order/get', { tradeOrderId: top.data.tradeOrderId });
    expect(order.data).toMatchObject({ tradeType: 2, amount: 1_234, subject: '充值|微信条码支付' });

    // a top-up is not given back at the till: the balance (and its bonus) may be spent already
    const cashierId = (await post('auth', { username: 'cashier', password: DEMO.staff[1]!.password }, null)).data
      .operatorId;
    await api(t, 'PUT', `/v1/admin/staff/${cashierId}/refund-password`, {
      token: await staffToken(t),
      body: { password: '888888' },
    });
    const refund = await post('memberPay/refund2', { tradeOrderId: top.data.tradeOrderId, refundPassword: '888888' });
    expect(refund.code).toBe(1);
    expect((await memberRow(m.memberId)).balance).toBe(1_400);
    expect((await get('trade_order/get', { tradeOrderId: top.data.tradeOrderId })).data).toMatchObject({
      status: 2,
      refundTotalAmount: 0,
    });

    // the balance pays by memberNo, the mobile as XxPay means it
    const pay = await get('memberPay/balance', {
      requiredAmount: '13.99',
      realAmount: '13.99',
      memberNo: '13900000004',
      memberPayCode: '',
      remark: '',
    });
    expect(pay).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    expect((await memberRow(m.memberId)).balance).toBe(1);
    expect(await ledgerSum(m.memberId, 'balance')).toBe(1);
    expect((await get('trade_order/get', { tradeOrderId: pay.data.tradeOrderId })).data).toMatchObject({
      subject: '消费|会员卡支付商品',
      productType: 2,
      memberId: String(m.memberId),
    });
  });

  it('a points rule gives points; a free amount gives no bonus; a switched-off or unknown rule changes nothing', async () => {
    const points = await post(
      'member_recharge_rule/add',
      { rechargeAmount: 5_000, ruleType: 2, givePoints: 88 },
      adminToken,
    );
    const off = await post(
      'member_recharge_rule/add',
      { rechargeAmount: 5_000, ruleType: 1, givePoints: 500, status: 0 },
      adminToken,
    );
    // a rule gives money away: an operator may use rules, not make them
    expect(
      await post('member_recharge_rule/add', { rechargeAmount: 5_000, ruleType: 1, givePoints: 500 }),
    ).toMatchObject({ code: 1003 });
    const m = await memberWithMobile('13900000005');
    const { card_no } = await memberRow(m.memberId);
    const viaRule = await get('memberPay/recharge', {
      memberId: m.memberId,
      ruleId: points.data.ruleId,
      amount: '1',
      barCode: '284567890123450002',
    });
    expect(viaRule).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    const free = await get('memberPay/recharge', {
      memberId: m.memberId,
      amount: '0.50',
      barCode: '134567890123450003',
    });
    expect(free).toMatchObject({ code: 10001 });
    const free2 = await get('memberPay/recharge', {
      memberId: m.memberId,
      amount: '2.01',
      barCode: '134567890123450003',
    });
    expect(free2).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    expect(await memberRow(m.memberId)).toMatchObject({ balance: 5_201, points: 88 });
    expect(await ledgerSum(m.memberId, 'balance')).toBe(5_201);
    expect(await ledgerSum(m.memberId, 'points')).toBe(88);

    const orders = await t.ctx.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const refusals: Record<string, string | number>[] = [
      { memberId: m.memberId, ruleId: off.data.ruleId, barCode: '134567890123450004' },
      { memberId: m.memberId, ruleId: 999_999, barCode: '134567890123450004' },
      { memberId: m.memberId, ruleId: points.data.ruleId, barCode: '999' },
      { memberId: m.memberId, barCode: '134567890123450004' },
      { ruleId: points.data.ruleId, barCode: '134567890123450004' },
    ];
    for (const refused of refusals) {
      const reply = await get('memberPay/recharge', refused);
      expect(reply.code, JSON.stringify(refused)).not.toBe(0);
      expect(typeof reply.msg).toBe('string');
    }
    const after = await t.ctx.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(orders.n);
    expect(await memberRow(m.memberId)).toMatchObject({ balance: 5_201, points: 88, card_no });

    const onlyOn = await get('member_recharge_rule/list', { limit: -1, status: 1 });
    expect(onlyOn.data.some((r: { ruleId: number }) => r.ruleId === off.data.ruleId)).toBe(false);
    expect((await post('member_recharge_rule/add', { rechargeAmount: 12.345, ruleType: 1 }, adminToken)).code).toBe(
      10001,
    );
    expect((await post('member_recharge_rule/add', { rechargeAmount: 100, ruleType: 3 }, adminToken)).code).toBe(1);
  });
});
