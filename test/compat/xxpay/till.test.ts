import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { localDateTime } from '../../../src/domain/local-time.ts';
import { api } from '../../support/api.ts';
import { createMember, staffToken } from '../../support/actors.ts';
import { createMerchantApp } from '../../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

/**
 * The cashier's other screens over the xxpay dialect: the fixed-amount QR paid through the simulator, cash and code
 * sales with their remark and XxPay's subjects, and the console's stores, sub-users, account and handover tables.
 */

let t: TestApp;
let token: string;
let adminToken: string;
let cashierId: number;

async function call(
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string | number> = {},
  auth: string | null = token,
) {
  const encoded = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  const reply =
    method === 'GET'
      ? await api(t, 'GET', `/xxpay/api/${path}${encoded ? `?${encoded}` : ''}`, { headers })
      : await api(t, 'POST', `/xxpay/api/${path}`, {
          body: encoded,
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        });
  expect(reply.status).toBe(200);
  return reply.body;
}

beforeAll(async () => {
  t = await startTestApp();
  await createMerchantApp(t, await staffToken(t));
  const login = await call('POST', 'auth', { username: 'cashier', password: DEMO.staff[1]!.password }, null);
  token = login.data.access_token;
  cashierId = login.data.operatorId;
  adminToken = (await call('POST', 'auth', { username: 'admin', password: DEMO.staff[0]!.password }, null)).data
    .access_token;
});
afterAll(() => t.close());

describe('fixed-amount QR', () => {
  it('view_code_amount → a QR the simulator pays → queryStatus 2, the trade order for exactly that amount', async () => {
    const qr = await call('GET', 'mch_qrcode/view_code_amount', { payAmount: '23.45' });
    expect(qr.code).toBe(0);
    expect(typeof qr.data.tradeOrderId).toBe('string');
    expect(typeof qr.data.codeUrl).toBe('string');
    expect(qr.data.codeImgUrl).toMatch(/^data:image\/png;base64,/);
    const waiting = await call('GET', 'memberPay/queryStatus', { tradeOrderId: qr.data.tradeOrderId });
    expect(waiting.data).toMatchObject({ orderStatus: 1, amount: 2_345 });

    expect((await api(t, 'POST', '/sandbox/pay', { body: { content: qr.data.codeUrl } })).status).toBeLessThan(300);
    await t.sandbox.simulator.settle();
    const paid = await call('GET', 'memberPay/queryStatus', { tradeOrderId: qr.data.tradeOrderId });
    expect(paid.data).toMatchObject({ orderStatus: 2, productType: 3, amount: 2_345 });
    expect((await call('GET', 'trade_order/get', { tradeOrderId: qr.data.tradeOrderId })).data).toMatchObject({
      amount: 2_345,
      orderAmount: 2_345,
      subject: '消费|微信扫码支付',
      operatorId: String(cashierId),
    });
  });

  it('a bad amount is refused and creates nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const payAmount of ['', '0', '-1', '1.234', 'abc']) {
      const reply = await call('GET', 'mch_qrcode/view_code_amount', { payAmount });
      expect(reply.code, payAmount).toBe(10001);
    }
    expect((await call('GET', 'mch_qrcode/view_code_amount', { payAmount: '1' }, null)).code).toBe(1001);
    expect(await count()).toBe(before);
  });
});

describe('cash and code sales', () => {
  it('keep the remark and get XxPay subjects, not 被扫支付', async () => {
    // as the cashier posts cash: what was handed over as requiredAmount, what is due as realAmount
    const cash = await call('POST', 'memberPay/cash', {
      requiredAmount: '10.00',
      realAmount: '10.00',
      remark: '不要袋子',
    });
    expect(cash).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    const bar = await call('GET', 'memberPay/bar', {
      requiredAmount: '3.30',
      realAmount: '3.30',
      barCode: '284567890123450010',
      remark: '',
    });
    expect(bar).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    const rows = await t.ctx.db
      .selectFrom('orders')
      .select(['order_no', 'subject', 'merchant_remark', 'paid_amount'])
      .where('order_no', 'in', [cash.data.tradeOrderId, bar.data.tradeOrderId])
      .execute();
    const byNo = Object.fromEntries(rows.map((r) => [r.order_no, r]));
    expect(byNo[cash.data.tradeOrderId]).toMatchObject({
      subject: '消费|现金支付',
      merchant_remark: '不要袋子',
      paid_amount: 1_000,
    });
    expect(byNo[bar.data.tradeOrderId]).toMatchObject({ subject: '消费|支付宝条码支付', paid_amount: 330 });
    expect((await call('GET', 'trade_order/get', { tradeOrderId: cash.data.tradeOrderId })).data.subject).toBe(
      '消费|现金支付',
    );
  });
});

describe('stores, sub-users, account', () => {
  it('store/list and subuser/list page as layui tables, limit=-1 is all', async () => {
    const stores = await call('GET', 'store/list', { limit: -1 });
    expect(stores.code).toBe(0);
    expect(stores.data.length).toBe(stores.count);
    expect(stores.count).toBeGreaterThan(0);
    for (const s of stores.data) {
      expect(typeof s.storeId).toBe('number');
      expect(s.storeNo).toBe(String(s.storeId));
      expect(typeof s.storeName).toBe('string');
      expect(s.status).toBe(1);
      expect(typeof s.createTime).toBe('string');
    }
    const one = await call('GET', 'store/list', { page: 1, limit: 10, storeId: stores.data[0].storeId });
    expect(one).toMatchObject({ count: 1, data: [{ storeId: stores.data[0].storeId }] });

    const users = await call('GET', 'subuser/list', { limit: -1, storeId: stores.data[0].storeId });
    expect(users.code).toBe(0);
    expect(users.data.length).toBe(users.count);
    const cashier = users.data.find((u: { userId: number }) => u.userId === cashierId);
    expect(cashier).toMatchObject({ loginUserName: 'cashier', nickName: '收银员', isSuperAdmin: 0, status: 1 });
    expect(typeof cashier.createTime).toBe('string');
    const admin = users.data.find((u: { loginUserName: string }) => u.loginUserName === 'admin');
    expect(admin.isSuperAdmin).toBe(1);
    const paged = await call('GET', 'subuser/list', { page: 1, limit: 1 });
    expect(paged.data).toHaveLength(1);
    expect(paged.count).toBe(users.count);
    expect((await call('GET', 'store/list', { limit: 'x' })).code).toBe(10001);
  });

  it('account/get: income = settled + not yet settled, and grows by the income of a sale', async () => {
    const before = await call('GET', 'account/get');
    expect(before.code).toBe(0);
    expect(before.data.balanceAmount).toBe(before.data.balanceUnAmount + before.data.balanceSettAmount);
    const sale = await call('POST', 'memberPay/cash', { requiredAmount: '7.77', realAmount: '7.77' });
    const income = (await call('GET', 'trade_order/get', { tradeOrderId: sale.data.tradeOrderId })).data.mchIncome;
    const after = await call('GET', 'account/get');
    expect(after.data.balanceAmount - before.data.balanceAmount).toBe(income);
    expect(after.data.balanceUnAmount - before.data.balanceUnAmount).toBe(income);
    expect(after.data).toMatchObject({ bailAmount: 0, balanceFrozenAmount: 0, agpayAmount: 0, agpayUnAmount: 0 });
  });
});

describe('handover history', () => {
  it("an operator's day totals count their paid sales and cash to the fen; operators see only their own", async () => {
    const storeId = (await call('GET', 'store/list', { limit: -1 })).data[0].storeId;
    const day = localDateTime(t.clock.now(), t.ctx.config.timeZone).slice(0, 10);
    const id = `${cashierId}-${storeId}-${day}`;
    const rowOf = async (auth: string) => {
      const list = await call('GET', 'handover_history/list', { limit: -1 }, auth);
      expect(list.code).toBe(0);
      return (
        list.data.find((r: { id: string }) => r.id === id) ?? { countTotalOrder: 0, sumRealAmount: 0, sumCashAmount: 0 }
      );
    };
    const before = await rowOf(adminToken);
    await call('POST', 'memberPay/cash', { requiredAmount: '12.34', realAmount: '12.34', storeId });
    await call('POST', 'memberPay/cash', { requiredAmount: '0.01', realAmount: '0.01', storeId });
    await call('GET', 'memberPay/bar', { requiredAmount: '5', barCode: '134567890123450011', storeId });
    const after = await rowOf(adminToken);
    expect(after.countTotalOrder - before.countTotalOrder).toBe(3);
    expect(after.sumRealAmount - before.sumRealAmount).toBe(1_735);
    expect(after.sumCashAmount - before.sumCashAmount).toBe(1_235);
    expect(after).toMatchObject({ userId: cashierId, userName: '收银员', storeId });
    expect(typeof after.workStartTime).toBe('string');
    expect(typeof after.workEndTime).toBe('string');

    // the cashier's own view holds only the cashier's days
    const own = await call('GET', 'handover_history/list', { limit: -1 });
    expect(own.data.every((r: { userId: number }) => r.userId === cashierId)).toBe(true);
    const filtered = await call('GET', 'handover_history/list', {
      page: 1,
      limit: 10,
      storeId,
      workStartTime: `${day} 00:00:00`,
      workEndTime: `${day} 23:59:59`,
    });
    expect(filtered.data.some((r: { id: string }) => r.id === id)).toBe(true);
    const none = await call('GET', 'handover_history/list', { workEndTime: '2000-01-01 00:00:00' });
    expect(none).toMatchObject({ code: 0, count: 0, data: [] });
    expect((await call('GET', 'handover_history/list', { workStartTime: '2024-13-01 00:00:00' })).code).toBe(10001);
  });
});

describe('coupons at the till', () => {
  it('checkCoupon checks a member wallet coupon against the amount and uses it at once; a second check is refused', async () => {
    const admin = await staffToken(t);
    const template = await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: { kind: 'fixed', amountOff: 500, minSpend: 2_000, claimable: true, title: '满20减5' },
    });
    expect(template.status).toBe(201);
    const percent = await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: { kind: 'percent', percentOff: 15, maxOff: 1_000, minSpend: 0, claimable: true },
    });
    const buyer = await createMember(t);
    const claim = async (couponId: number) => {
      const claimed = await api(t, 'POST', `/v1/coupons/${couponId}/claim`, { token: buyer.token });
      expect(claimed.status).toBe(201);
      return String(claimed.body.id);
    };
    const fixedNo = await claim(template.body.id);
    const percentNo = await claim(percent.body.id);

    // the member's unused coupons show on the cashier's member card
    await t.ctx.db.updateTable('members').set({ mobile: '13900000099' }).where('id', '=', buyer.memberId).execute();
    const card = await call('GET', 'member/getAllMemberInfo', { type: 2, memberId: '13900000099' });
    expect(card.data.couponCount).toBe(2);

    // below the minimum spend: refused in the cashier's words, nothing used
    const low = await call('POST', 'member_coupon/checkCoupon', { couponNo: fixedNo, amount: '19.99' });
    expect(low).toMatchObject({ code: 1, msg: '消费金额未达到优惠券使用门槛' });
    const used = await call('POST', 'member_coupon/checkCoupon', { couponNo: fixedNo, amount: '20.00' });
    expect(used).toMatchObject({ code: 0, data: { couponAmount: 500 } });
    const again = await call('POST', 'member_coupon/checkCoupon', { couponNo: fixedNo, amount: '20.00' });
    expect(again).toMatchObject({ code: 1, msg: '优惠券已被使用' });
    // 15% of 33.33 yuan is 499.95 fen: the pricing domain rounds it to the nearest fen
    const pct = await call('POST', 'member_coupon/checkCoupon', { couponNo: percentNo, amount: '33.33' });
    expect(pct.code).toBe(0);
    expect(pct.data.couponAmount).toBe(500);

    const wallet = await api(t, 'GET', '/v1/me/coupons?state=used', { token: buyer.token });
    expect(wallet.status).toBe(200);
    // the member's wallet shows both as used, with no order: they were used at the till
    expect(wallet.body.total).toBe(2);
    expect(wallet.body.items.map((c: { orderId: number | null }) => c.orderId)).toEqual([null, null]);
    expect((await call('GET', 'member/getAllMemberInfo', { type: 2, memberId: '13900000099' })).data.couponCount).toBe(
      0,
    );
    const { used_quantity } = await t.ctx.db
      .selectFrom('coupons')
      .select('used_quantity')
      .where('id', '=', template.body.id)
      .executeTakeFirstOrThrow();
    expect(used_quantity).toBe(1);
    expect((await call('POST', 'member_coupon/checkCoupon', { couponNo: '999999', amount: '20' })).code).toBe(1);
    expect((await call('POST', 'member_coupon/checkCoupon', { couponNo: 'abc', amount: '20' })).code).toBe(10001);
    expect((await call('POST', 'member_coupon/checkCoupon', { couponNo: fixedNo })).code).toBe(10001);
  });

  it('two tills checking the same coupon at once: exactly one uses it', async () => {
    const admin = await staffToken(t);
    const template = await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: { kind: 'fixed', amountOff: 300, minSpend: 0, claimable: true },
    });
    const buyer = await createMember(t);
    const claimed = await api(t, 'POST', `/v1/coupons/${template.body.id}/claim`, { token: buyer.token });
    const couponNo = String(claimed.body.id);
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => call('POST', 'member_coupon/checkCoupon', { couponNo, amount: '10' })),
    );
    expect(replies.filter((r) => r.code === 0)).toHaveLength(1);
    expect(replies.filter((r) => r.code === 1 && r.msg === '优惠券已被使用')).toHaveLength(5);
  });
});
