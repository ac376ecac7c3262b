import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { consoleCall } from './console-client.ts';
import { balanceSale, cashSale, refund, tillReady } from './till-sales.ts';

/** The console's home page (routes/dashboard.ts): the cards and charts equal the sums of the sales, to the fen. */

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  token = await tillReady(t);
});
afterAll(() => t.close());

const today = { queryDateRange: 'today' };
const sumYuan = (values: string[]) => values.reduce((fen, v) => fen + Math.round(Number(v) * 100), 0);

describe('xxpay console dashboard', () => {
  it('dataStatistics, the amount chart and the pie grow by exactly today’s till sales and refunds', async () => {
    const before = (await consoleCall(t, 'data/dataStatistics', today, token)).data;
    const chartBefore = (await consoleCall(t, 'data/statisticsByAmountCharts', today, token)).data;
    const pieBefore = (await consoleCall(t, 'data/statisticsByProductType', today, token)).data;

    const cash = await cashSale(t, token, { requiredAmount: '12.50', realAmount: '12.00' });
    await balanceSale(t, token, '8.00');
    await refund(t, token, cash, '3.00');

    const after = await consoleCall(t, 'data/dataStatistics', today, token);
    expect(after.code).toBe(0);
    const d = after.data;
    for (const field of [
      'sumTradeAmount',
      'sumRealAmount',
      'sumMemberAmount',
      'sumRefundAmount',
      'countAddMember',
      'countTrade',
      'sumDiscountAmount',
      'sumNotMemberAmount',
      'countRefund',
      'sumRechargeAmount',
      'sumRechargeGiveAmount',
    ])
      expect(typeof d[field]).toBe('number');
    expect(d.sumTradeAmount - before.sumTradeAmount).toBe(2_050);
    expect(d.sumRealAmount - before.sumRealAmount).toBe(2_000);
    expect(d.sumDiscountAmount - before.sumDiscountAmount).toBe(50);
    expect(d.sumMemberAmount - before.sumMemberAmount).toBe(800);
    expect(d.sumNotMemberAmount - before.sumNotMemberAmount).toBe(1_200);
    expect(d.countTrade - before.countTrade).toBe(2);
    expect(d.sumRefundAmount - before.sumRefundAmount).toBe(300);
    expect(d.countRefund - before.countRefund).toBe(1);

    const chart = await consoleCall(t, 'data/statisticsByAmountCharts', today, token);
    expect(chart.code).toBe(0);
    expect(chart.data.xTitleArray).toHaveLength(12);
    expect(chart.data.xTitleArray[0]).toBe('00:00~02:00');
    expect(sumYuan(chart.data.tradeAmountArray) - sumYuan(chartBefore.tradeAmountArray)).toBe(2_050);
    expect(sumYuan(chart.data.refundAmountArray) - sumYuan(chartBefore.refundAmountArray)).toBe(300);

    const pie = await consoleCall(t, 'data/statisticsByProductType', today, token);
    const count = (rows: { productType: number; totalCount: number }[], type: number) =>
      rows.find((r) => r.productType === type)?.totalCount ?? 0;
    expect(count(pie.data, 1) - count(pieBefore, 1)).toBe(1); // cash
    expect(count(pie.data, 2) - count(pieBefore, 2)).toBe(1); // member balance
  });

  it('a top-up by a recharge rule counts as a recharge with its bonus (the data page’s 会员充值 and 赠送金额)', async () => {
    const before = (await consoleCall(t, 'data/dataStatistics', today, token)).data;
    const rule = await consoleCall(
      t,
      'member_recharge_rule/add',
      { rechargeAmount: 10_000, ruleType: 1, givePoints: 1_500 },
      token,
      'POST',
    );
    expect(rule.code).toBe(0);
    const member = await consoleCall(t, 'member/getAllMemberInfo', { type: 2, memberId: DEMO.member.mobile }, token);
    const top = await consoleCall(
      t,
      'memberPay/recharge',
      { memberId: member.data.memberId, ruleId: rule.data.ruleId, barCode: '134567890123450002' },
      token,
    );
    expect(top).toMatchObject({ code: 0, data: { orderStatus: 2 } });
    const after = (await consoleCall(t, 'data/dataStatistics', today, token)).data;
    expect(after.sumRechargeAmount - before.sumRechargeAmount).toBe(10_000);
    expect(after.sumRechargeGiveAmount - before.sumRechargeGiveAmount).toBe(1_500);
    expect(after.countRecharge - before.countRecharge).toBe(1);
    expect(after.sumTradeAmount).toBe(before.sumTradeAmount);
  });

  it('several days are a bar a day; the ranges the buttons send are accepted; message/list is []', async () => {
    const week = await consoleCall(t, 'data/statisticsByAmountCharts', { queryDateRange: 'near2yesterday_7' }, token);
    expect(week.data.xTitleArray).toHaveLength(7);
    expect(week.data.xTitleArray[0]).toMatch(/^\d{2}$/);
    for (const range of ['yesterday', 'near2yesterday_3', 'near2yesterday_30'])
      expect((await consoleCall(t, 'data/dataStatistics', { queryDateRange: range }, token)).code).toBe(0);
    const picked = await consoleCall(
      t,
      'data/dataStatistics',
      { queryStartDate: '2024-01-01', queryEndDate: '2024-01-03' },
      token,
    );
    expect(picked.data.countTrade).toBe(0);
    expect(await consoleCall(t, 'message/list', { limit: 5 }, token)).toMatchObject({ code: 0, data: [] });
  });

  it('bad ranges are 10001 in the envelope; no token is 1001', async () => {
    expect((await consoleCall(t, 'data/dataStatistics', { queryDateRange: 'someday' }, token)).code).toBe(10001);
    expect((await consoleCall(t, 'data/dataStatistics', { queryStartDate: '2024-02-30' }, token)).code).toBe(10001);
    expect((await consoleCall(t, 'data/dataStatistics', today)).code).toBe(1001);
  });
});
