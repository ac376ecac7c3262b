import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { consoleCall } from './console-client.ts';
import { balanceSale, cashSale, refund, tillReady } from './till-sales.ts';

/**
 * The console's pay orders (routes/pay-orders.ts) and refund orders (routes/refund-orders.ts), called as the pay
 * and refund pages call them, with the fields their tables and detail pages read.
 */

let t: TestApp;
let token: string;
let cash: string;
let member: string;
let waiting: string;
let refundNo: string;
let cashPayOrderId: string;
beforeAll(async () => {
  t = await startTestApp();
  token = await tillReady(t);
  cash = await cashSale(t, token, { requiredAmount: '12.00' });
  member = await balanceSale(t, token, '8.00');
  refundNo = await refund(t, token, cash, '3.00');
  const qr = await consoleCall(t, 'mch_qrcode/view_code_amount', { payAmount: '5.55' }, token);
  expect(qr.code).toBe(0);
  waiting = qr.data.tradeOrderId;
  cashPayOrderId = (await consoleCall(t, 'trade_order/get', { tradeOrderId: cash }, token)).data.payOrderId;
});
afterAll(() => t.close());

const SEED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
type Row = { payOrderId: string; mchOrderNo: string; refundOrderId: string };
const payList = async (params: Record<string, string | number>) => {
  const reply = await consoleCall(t, 'pay_order/list', params, token);
  expect(reply.code, reply.msg).toBe(0);
  return reply;
};
const orderNos = async (params: Record<string, string | number>) =>
  (await payList({ limit: -1, ...params })).data.map((r: Row) => r.mchOrderNo);

describe('xxpay pay_order', () => {
  it('list: the layui table with the fields the pay page reads, one row per payment', async () => {
    const reply = await payList({ mchOrderNo: cash });
    expect(reply).toMatchObject({ code: 0, count: 1 });
    const row = reply.data[0];
    expect(row).toMatchObject({
      payOrderId: cashPayOrderId,
      mchOrderNo: cash,
      amount: 1_200,
      productType: 1,
      status: 2,
      isRefund: 1,
      refundTimes: 1,
      successRefundAmount: 300,
    });
    expect(row.createTime).toMatch(SEED_TIME);
    expect(row.paySuccTime).toMatch(SEED_TIME);
  });

  it('list filters: payOrderId, mchOrderNo, productType, status (-99 all), creation time; limit=-1 is all', async () => {
    expect((await payList({ payOrderId: cashPayOrderId })).data.map((r: Row) => r.mchOrderNo)).toEqual([cash]);
    expect(await orderNos({ status: 1 })).toContain(waiting);
    expect(await orderNos({ status: 1 })).not.toContain(cash);
    expect(await orderNos({ status: 2 })).toEqual(expect.arrayContaining([cash, member]));
    expect(await orderNos({ status: 2 })).not.toContain(waiting);
    expect(await orderNos({ status: 4 })).not.toContain(cash);
    expect(await orderNos({ status: 0 })).toEqual([]);
    expect(await orderNos({ status: -99 })).toEqual(expect.arrayContaining([cash, member, waiting]));
    expect(await orderNos({ productType: 1 })).toEqual(expect.arrayContaining([cash, member, waiting]));
    expect(await orderNos({ productType: 2 })).toEqual([]);
    expect(await orderNos({ createTimeStart: '2099-01-01 00:00:00', createTimeEnd: '2099-01-01 23:59:59' })).toEqual(
      [],
    );
    expect(await orderNos({ createTimeStart: '2000-01-01 00:00:00' })).toContain(cash);
    const all = await payList({ limit: -1 });
    expect(all.data).toHaveLength(all.count);
    const page = await payList({ page: 1, limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.count).toBe(all.count);
  });

  it('count: all, paid and unpaid to the fen, and the success rate, with the list’s filters', async () => {
    const all = (await payList({ limit: -1 })).data as { amount: number; status: number }[];
    const counts = await consoleCall(t, 'pay_order/count', { productType: -99 }, token);
    expect(counts.code).toBe(0);
    const paid = all.filter((r) => r.status === 2 || r.status === 4);
    const sum = (rows: { amount: number }[]) => rows.reduce((fen, r) => fen + r.amount, 0);
    expect(counts.data).toEqual({
      allTotalCount: all.length,
      allTotalAmount: sum(all),
      successTotalCount: paid.length,
      successTotalAmount: sum(paid),
      failTotalCount: all.length - paid.length,
      failTotalAmount: sum(all) - sum(paid),
      successRate: Math.round((paid.length * 10_000) / all.length) / 100,
    });
    const one = await consoleCall(t, 'pay_order/count', { mchOrderNo: waiting }, token);
    expect(one.data).toMatchObject({
      allTotalCount: 1,
      allTotalAmount: 555,
      successTotalCount: 0,
      failTotalAmount: 555,
    });
  });

  it('get: the detail page’s fields; another id is 支付订单不存在, a bad one 10001, no token 1001', async () => {
    const got = await consoleCall(t, 'pay_order/get', { payOrderId: cashPayOrderId }, token);
    expect(got.code).toBe(0);
    expect(got.data).toMatchObject({ payOrderId: cashPayOrderId, mchOrderNo: cash, amount: 1_200, status: 2 });
    for (const field of ['appId', 'subject', 'body', 'device', 'clientIp', 'productId', 'channelOrderNo', 'updateTime'])
      expect(got.data).toHaveProperty(field);
    expect(got.data.subject).toBe('消费|现金支付');
    expect(await consoleCall(t, 'pay_order/get', { payOrderId: 'P999999999' }, token)).toMatchObject({
      code: 1,
      msg: '支付订单不存在',
    });
    expect((await consoleCall(t, 'pay_order/get', { payOrderId: 'a b' }, token)).code).toBe(10001);
    expect((await consoleCall(t, 'pay_order/get', {}, token)).code).toBe(10001);
    expect((await consoleCall(t, 'pay_order/get', { payOrderId: cashPayOrderId })).code).toBe(1001);
    expect((await consoleCall(t, 'pay_order/list', { status: 9 }, token)).code).toBe(10001);
    expect((await consoleCall(t, 'pay_order/list', { productType: 3 }, token)).code).toBe(10001);
    expect((await consoleCall(t, 'pay_order/count', { createTimeStart: 'today' }, token)).code).toBe(10001);
  });
});

describe('xxpay pay_order/exportExcel', () => {
  /** The pay page's 导出 form: a POST with the token in the field `Authorization` and the table's filters. */
  const exportForm = (fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/xxpay/api/pay_order/exportExcel',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });

  it('downloads the filtered pay orders as a spreadsheet with XxPay’s columns, amounts in yuan', async () => {
    const reply = await exportForm({ Authorization: token, mchOrderNo: cash, status: '-99', productType: '-99' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(reply.headers['content-disposition']).toContain(encodeURIComponent('支付订单.csv'));
    const [header, ...rows] = reply.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header).toBe('支付单号,商户单号,支付金额,产品类型,状态,创建时间');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      new RegExp(`^${cashPayOrderId},${cash},12\\.00,收款,支付成功,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`),
    );
    const all = await exportForm({ Authorization: token });
    expect(all.body.trimEnd().split('\r\n').length - 1).toBe((await payList({ limit: -1 })).count);
  });

  it('without a valid token it is the console’s 1001 (sign in again), never a file', async () => {
    const withoutToken: Record<string, string>[] = [{}, { Authorization: 'not-a-token' }];
    for (const fields of withoutToken) {
      const reply = await exportForm(fields);
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toMatchObject({ code: 1001 });
    }
  });
});

describe('xxpay refund_order', () => {
  it('list: the till’s refund with the fields the refund page reads; each filter narrows it', async () => {
    const list = async (params: Record<string, string | number>) => {
      const reply = await consoleCall(t, 'refund_order/list', { limit: -1, ...params }, token);
      expect(reply.code, reply.msg).toBe(0);
      return reply.data.map((r: Row) => r.refundOrderId);
    };
    const reply = await consoleCall(t, 'refund_order/list', { page: 1, limit: 10, refundOrderId: refundNo }, token);
    expect(reply).toMatchObject({ code: 0, count: 1 });
    expect(reply.data[0]).toMatchObject({ refundOrderId: refundNo, refundAmount: 300, status: 2, mchOrderNo: cash });
    expect(typeof reply.data[0].mchId).toBe('number');
    expect(reply.data[0].createTime).toMatch(SEED_TIME);
    expect(await list({ mchOrderNo: cash })).toEqual([refundNo]);
    expect(await list({ mchOrderNo: member })).toEqual([]);
    expect(await list({ status: 2 })).toContain(refundNo);
    expect(await list({ status: 1 })).not.toContain(refundNo);
    expect(await list({ status: -99 })).toContain(refundNo);
    expect(await list({ createTimeStart: '2099-01-01 00:00:00', createTimeEnd: '2099-01-01 23:59:59' })).toEqual([]);
    expect(await list({ createTimeEnd: '2000-01-01 00:00:00' })).toEqual([]);
    expect((await consoleCall(t, 'refund_order/list', { status: 7 }, token)).code).toBe(10001);
  });

  it('get: the detail page’s fields; another id is 退款订单不存在', async () => {
    const got = await consoleCall(t, 'refund_order/get', { refundOrderId: refundNo }, token);
    expect(got.code).toBe(0);
    expect(got.data).toMatchObject({
      refundOrderId: refundNo,
      mchRefundNo: refundNo,
      payOrderId: cashPayOrderId,
      payAmount: 1_200,
      refundAmount: 300,
      status: 2,
      result: 2,
    });
    expect(got.data.refundSuccTime).toMatch(SEED_TIME);
    for (const field of ['appId', 'device', 'clientIp', 'extra', 'notifyUrl', 'param1', 'param2', 'updateTime'])
      expect(got.data).toHaveProperty(field);
    expect(await consoleCall(t, 'refund_order/get', { refundOrderId: 'R0000' }, token)).toMatchObject({
      code: 1,
      msg: '退款订单不存在',
    });
    expect((await consoleCall(t, 'refund_order/get', {}, token)).code).toBe(10001);
  });
});
