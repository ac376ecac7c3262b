import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { localDateTime } from '../../../src/domain/local-time.ts';
import { api } from '../../support/api.ts';
import { memberToken, staffToken } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { consoleCall } from './console-client.ts';
import { refund, tillReady } from './till-sales.ts';

/**
 * A shift at the till, over HTTP as the console and its cashier call ordo: sign in with the picture captcha, look a
 * member up by phone, sell from the balance, sell on a fixed-amount QR paid through the simulator, take a coupon off
 * a sale, top a balance up by a recharge rule, find the sales with each filter of the trade order list, refund one,
 * find the refund, and read the dashboard: its figures are the sums of exactly these sales, to the fen.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Trade = {
  tradeOrderId: string;
  tradeType: number;
  orderAmount: number;
  amount: number;
  discountAmount: number;
  refundTotalAmount: number;
  memberId: string | null;
  givePoints: number;
};

describe('xxpay till journey', () => {
  it('sign in → member by phone → balance, QR, coupon and top-up sales → every list filter → refund → dashboard sums', async () => {
    // the shift starts well after the demo data was made, so a time range can hold exactly its sales
    t.clock.advance(10 * 60_000);
    const shiftStart = t.clock.now();
    const token = await tillReady(t); // the web login: auth/vercode's picture, then auth with loginType=web
    const call = async (route: string, params: Record<string, string | number> = {}) => {
      const reply = await consoleCall(t, route, params, token);
      expect(reply.code, `${route}: ${reply.msg}`).toBe(0);
      return reply;
    };
    const signedIn = (await call('mch/current')).data;

    // the cashier looks the member up by the phone number the customer gives
    const lookUp = () => call('member/getAllMemberInfo', { type: 2, memberId: DEMO.member.mobile });
    const member = (await lookUp()).data;
    const balanceFen = async () => Math.round(Number((await lookUp()).data.balance) * 100);
    const startBalance = Math.round(Number(member.balance) * 100);

    // 1. paid from the balance, the member named by phone as the cashier sends it
    const balanceSale = (await call('memberPay/balance', { requiredAmount: '8.00', memberNo: DEMO.member.mobile }))
      .data;
    expect(balanceSale.orderStatus).toBe(2);
    expect(await balanceFen()).toBe(startBalance - 800);

    // 2. a fixed-amount QR, paid with the simulator's wallet while the cashier polls
    const qr = (await call('mch_qrcode/view_code_amount', { payAmount: '23.45' })).data;
    expect((await call('memberPay/queryStatus', { tradeOrderId: qr.tradeOrderId })).data.orderStatus).toBe(1);
    expect((await api(t, 'POST', '/sandbox/pay', { body: { content: qr.codeUrl } })).status).toBeLessThan(300);
    let qrStatus = 1;
    for (let poll = 0; poll < 10 && qrStatus !== 2; poll += 1) {
      await t.sandbox.simulator.settle();
      qrStatus = (await call('memberPay/queryStatus', { tradeOrderId: qr.tradeOrderId })).data.orderStatus;
    }
    expect(qrStatus).toBe(2);

    // 3. a coupon from the member's wallet, checked (and used) at the till, taken off a cash sale
    const admin = await staffToken(t);
    const template = await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: { kind: 'fixed', amountOff: 500, minSpend: 2_000, claimable: true, title: '满20减5' },
    });
    expect(template.status).toBe(201);
    const claimed = await api(t, 'POST', `/v1/coupons/${template.body.id}/claim`, {
      token: await memberToken(t, member.memberId),
    });
    expect(claimed.status).toBe(201);
    const couponNo = String(claimed.body.id);
    expect((await call('member_coupon/checkCoupon', { couponNo, amount: '30.00' })).data.couponAmount).toBe(500);
    const again = await consoleCall(t, 'member_coupon/checkCoupon', { couponNo, amount: '30.00' }, token);
    expect(again).toMatchObject({ code: 1, msg: '优惠券已被使用' });
    const couponSale = (
      await consoleCall(
        t,
        'memberPay/cash',
        { requiredAmount: '30.00', realAmount: '25.00', memberId: member.memberId },
        token,
        'POST',
      )
    ).data;
    expect(couponSale.orderStatus).toBe(2);

    // 4. a top-up by a recharge rule: pay 100 yuan, get 15 more
    const rule = (
      await consoleCall(
        t,
        'member_recharge_rule/add',
        { rechargeAmount: 10_000, ruleType: 1, givePoints: 1_500, status: 1 },
        token,
        'POST',
      )
    ).data;
    expect(rule).toMatchObject({ rechargeAmount: 10_000, givePoints: 1_500 });
    const topUp = (
      await call('memberPay/recharge', {
        memberId: member.memberId,
        ruleId: rule.ruleId,
        barCode: '134567890123450002',
      })
    ).data;
    expect(topUp.orderStatus).toBe(2);
    expect(await balanceFen()).toBe(startBalance - 800 + 11_500);

    // 5. the trade order list, by each of its filters, within the shift
    const shift = {
      queryStartDateTime: localDateTime(shiftStart, t.ctx.config.timeZone),
      queryEndDateTime: localDateTime(t.clock.now(), t.ctx.config.timeZone),
    };
    const trades = async (filter: Record<string, string | number>) =>
      ((await call('trade_order/list', { limit: -1, ...shift, ...filter })).data as Trade[])
        .map((o) => o.tradeOrderId)
        .sort();
    const [b, q, c, r] = [balanceSale, qr, couponSale, topUp].map((o) => o.tradeOrderId as string);
    const set = (...ids: string[]) => [...ids].sort();
    expect(await trades({})).toEqual(set(b!, q!, c!, r!));
    expect(await trades({ tradeOrderId: q! })).toEqual([q]);
    expect(await trades({ status: 2 })).toEqual(set(b!, q!, c!, r!));
    expect(await trades({ status: 4 })).toEqual([]);
    expect(await trades({ 'ps[statusInString]': '4,5' })).toEqual([]);
    expect(await trades({ memberId: member.memberId })).toEqual(set(b!, c!, r!));
    const qrTrade = (await call('trade_order/get', { tradeOrderId: q! })).data;
    expect(await trades({ storeId: qrTrade.storeId })).toEqual(set(b!, q!, c!, r!));
    expect(await trades({ storeId: 999_999 })).toEqual([]);
    expect(await trades({ operatorId: signedIn.userId })).toEqual(set(b!, q!, c!, r!));
    expect(await trades({ operatorId: 999_999 })).toEqual([]);
    expect(await trades({ tradeType: 1 })).toEqual(set(b!, q!, c!));
    expect(await trades({ tradeType: 2 })).toEqual([r]);
    const beforeShift = localDateTime(new Date(shiftStart.getTime() - 1_000), t.ctx.config.timeZone);
    expect(await trades({ queryStartDateTime: '2000-01-01 00:00:00', queryEndDateTime: beforeShift })).not.toContain(q);

    // 6. part of the QR sale goes back to the customer's wallet
    const refundNo = await refund(t, token, q!, '3.45');
    let refunded = (await call('refund_order/get', { refundOrderId: refundNo })).data;
    for (let poll = 0; poll < 10 && refunded.status !== 2; poll += 1) {
      await t.sandbox.simulator.settle();
      refunded = (await call('refund_order/get', { refundOrderId: refundNo })).data;
    }
    expect(refunded).toMatchObject({ refundAmount: 345, payAmount: 2_345, status: 2, payOrderId: qrTrade.payOrderId });
    expect(await trades({ status: 4 })).toEqual([q]);
    expect(await trades({ 'ps[statusInString]': '2,4' })).toEqual(set(b!, q!, c!, r!));

    // 7. the refund order list shows it, and only it, for the shift
    const refunds = await call('refund_order/list', {
      limit: -1,
      createTimeStart: shift.queryStartDateTime,
      createTimeEnd: localDateTime(t.clock.now(), t.ctx.config.timeZone),
    });
    expect(refunds.count).toBe(1);
    expect(refunds.data[0]).toMatchObject({ refundOrderId: refundNo, mchOrderNo: q, refundAmount: 345, status: 2 });

    // 8. the dashboard for the shift: the sums of these sales, in fen
    const range = { ...shift, queryEndDateTime: localDateTime(t.clock.now(), t.ctx.config.timeZone) };
    const sold = (await call('trade_order/list', { limit: -1, ...range })).data as Trade[];
    const sales = sold.filter((o) => o.tradeType === 1);
    const sum = (rows: Trade[], pick: (o: Trade) => number) => rows.reduce((fen, o) => fen + pick(o), 0);
    const toMember = sales.filter((o) => o.memberId !== null);
    const stats = (await call('data/dataStatistics', range)).data;
    expect(stats).toMatchObject({
      sumTradeAmount: sum(sales, (o) => o.orderAmount),
      sumRealAmount: sum(sales, (o) => o.amount),
      sumDiscountAmount: sum(sales, (o) => o.discountAmount),
      sumMemberAmount: sum(toMember, (o) => o.amount),
      sumNotMemberAmount: sum(sales, (o) => o.amount) - sum(toMember, (o) => o.amount),
      countTrade: sales.length,
      countMemberTradeOrder: toMember.length,
      countNotMemberTradeOrder: sales.length - toMember.length,
      sumRefundAmount: sum(sales, (o) => o.refundTotalAmount),
      countRefund: sales.filter((o) => o.refundTotalAmount > 0).length,
      sumGivePoints: sum(sales, (o) => o.givePoints),
      countRecharge: 1,
      sumRechargeAmount: 10_000,
      sumRechargeGiveAmount: 1_500,
      countAddMember: 0,
    });
    // and those sums are the shift's own amounts: 8.00 + 23.45 + 30.00 sold, 5.00 off by the coupon, 3.45 back
    expect(stats).toMatchObject({
      sumTradeAmount: 6_145,
      sumRealAmount: 5_645,
      sumDiscountAmount: 500,
      sumMemberAmount: 3_300,
      sumNotMemberAmount: 2_345,
      countTrade: 3,
      sumRefundAmount: 345,
      countRefund: 1,
    });
  });
});
