import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { consoleCall } from './console-client.ts';
import { balanceSale, cashSale, refund, tillReady } from './till-sales.ts';

/** trade_order/list with every filter the console sends (routes/trade-orders.ts), and the fields its pages read. */

let t: TestApp;
let token: string;
let cash: string;
let member: string;
let memberId: number;
beforeAll(async () => {
  t = await startTestApp();
  token = await tillReady(t);
  cash = await cashSale(t, token, { requiredAmount: '12.50', realAmount: '12.00', remark: '靠窗的桌子' });
  member = await balanceSale(t, token, '8.00');
  await refund(t, token, cash, '3.00');
  memberId = (
    await t.ctx.db.selectFrom('members').select('id').where('mobile', '=', DEMO.member.mobile).executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t.close());

const list = (params: Record<string, string | number>) => consoleCall(t, 'trade_order/list', params, token);
const ids = (reply: { code: number; msg: string; data: { tradeOrderId: string }[] }) => {
  expect(reply.code, reply.msg).toBe(0);
  return reply.data.map((o) => o.tradeOrderId);
};
const SEED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

describe('xxpay trade_order/list', () => {
  it('answers the layui table: {code, msg, count, data} with the fields the list and detail read', async () => {
    const reply = await list({ tradeOrderId: cash });
    expect(reply).toMatchObject({ code: 0, count: 1 });
    const o = reply.data[0];
    expect(o).toMatchObject({ tradeOrderId: cash, amount: 1_200, orderAmount: 1_250, discountAmount: 50, status: 4 });
    expect(typeof o.storeId).toBe('number');
    expect(typeof o.storeName).toBe('string');
    expect(o.remark).toBe('靠窗的桌子');
    expect(o.subject).not.toBe('被扫支付');
    expect(typeof o.productName).toBe('string');
    expect(typeof o.body).toBe('string');
    expect(o.createTime).toMatch(SEED_TIME);
    expect(o.refundTotalAmount).toBe(300);
  });

  it('filters: status, ps[statusInString], memberId, storeId, operatorId, tradeType, creation time', async () => {
    expect(ids(await list({ status: 2, limit: -1 }))).toContain(member);
    expect(ids(await list({ status: 2, limit: -1 }))).not.toContain(cash);
    expect(ids(await list({ status: 4, limit: -1 }))).toEqual(expect.arrayContaining([cash]));
    expect(ids(await list({ 'ps[statusInString]': '2,4', limit: -1 }))).toEqual(expect.arrayContaining([cash, member]));
    expect(ids(await list({ status: -99, limit: -1 }))).toEqual(expect.arrayContaining([cash, member]));
    const ofMember = await list({ memberId, limit: -1 });
    expect(ids(ofMember)).toContain(member);
    expect(ids(ofMember)).not.toContain(cash);
    const store = (await list({ tradeOrderId: cash })).data[0].storeId;
    expect(ids(await list({ storeId: store, limit: -1 }))).toContain(cash);
    expect((await list({ storeId: 999_999 })).count).toBe(0);
    const operator = (await list({ tradeOrderId: cash })).data[0].operatorId;
    expect(ids(await list({ operatorId: operator, limit: -1 }))).toContain(cash);
    expect(ids(await list({ tradeType: 1, limit: -1 }))).toContain(cash);
    expect(ids(await list({ tradeType: 2, limit: -1 }))).not.toContain(cash);
    expect(
      (await list({ queryStartDateTime: '2099-01-01 00:00:00', queryEndDateTime: '2099-01-02 00:00:00' })).count,
    ).toBe(0);
    expect(ids(await list({ queryStartDateTime: '2000-01-01 00:00:00', limit: -1 }))).toContain(cash);
  });

  it('limit=-1 lists every match; pages otherwise', async () => {
    const all = await list({ limit: -1 });
    expect(all.data).toHaveLength(all.count);
    const page = await list({ page: 1, limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.count).toBe(all.count);
  });

  it('bad filters are 10001 in the envelope and change nothing', async () => {
    expect((await list({ status: 9 })).code).toBe(10001);
    expect((await list({ tradeType: 3 })).code).toBe(10001);
    expect((await list({ queryStartDateTime: 'yesterday' })).code).toBe(10001);
    expect((await list({ memberId: 'abc' })).code).toBe(10001);
  });
});
