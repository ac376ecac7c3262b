import type { FastifyInstance } from 'fastify';
import type { StaffPrincipal } from '../../../auth/tokens.ts';
import type { AppContext } from '../../../context.ts';
import {
  salesPerMethod,
  tradeAmountsPerBucket,
  tradeStatistics,
  type TradeScope,
} from '../../../reports/trade-statistics.ts';
import { toXxpayAmountChart, toXxpayProductTypes, toXxpayStatistics } from '../console-mapping.ts';
import { ok, XXPAY_CODE, type MappingEnv } from '../mapping.ts';
import { int, paramsOf, staffOf, type Params } from '../params.ts';
import { localDaysOf, queryRangeOf } from '../query-dates.ts';

const HOUR_MS = 3_600_000;
/** the chart's most days, as the console's date picker allows */
const CHART_DAYS = 16;

/**
 * The console's home page from ordo's own figures (src/reports/trade-statistics.ts), each taking the console's date
 * filters (query-dates.ts; none: everything) and `queryStoreId`; an operator sees their own sales only, as in XxPay:
 * - `data/dataStatistics`: the cards, sums in fen.
 * - `data/statisticsByAmountCharts`: one day in 2-hour bars (`00:00~02:00`), else a bar a day (`dd`, at most 16),
 *   sales and refunds in yuan.
 * - `data/statisticsByProductType`: `[{productType, totalCount, totalAmount}]` of paid sales.
 * - `message/list`: ordo has no announcements, so `[]`.
 */
export function registerDashboardRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  function scopeOf(staff: StaffPrincipal, p: Params): TradeScope {
    const range = queryRangeOf(p, env.timeZone, ctx.clock.now());
    return {
      merchantId: staff.merchantId,
      from: range?.from ?? new Date(0),
      to: range?.to ?? new Date(ctx.clock.now().getTime() + 1),
      storeId: int(p, 'queryStoreId', 1, Number.MAX_SAFE_INTEGER),
      operatorId: staff.role === 'admin' ? int(p, 'queryOperatorId', 1, Number.MAX_SAFE_INTEGER) : staff.staffId,
    };
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/api/data/dataStatistics',
    handler: async (request) => {
      const staff = staffOf(request);
      return ok(toXxpayStatistics(await tradeStatistics(ctx, scopeOf(staff, paramsOf(request)))));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/data/statisticsByAmountCharts',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const range =
        queryRangeOf(p, env.timeZone, ctx.clock.now()) ??
        queryRangeOf({ queryDateRange: 'today' }, env.timeZone, ctx.clock.now())!;
      const scope = scopeOf(staff, p);
      const buckets: { from: Date; to: Date; label: string }[] = [];
      if (range.firstDay === range.lastDay) {
        const dayStart = range.from.getTime();
        for (let slot = 0; slot < 12; slot += 1) {
          const label = `${String(slot * 2).padStart(2, '0')}:00~${String(slot * 2 + 2).padStart(2, '0')}:00`;
          buckets.push({
            from: new Date(dayStart + slot * 2 * HOUR_MS),
            to: new Date(dayStart + (slot + 1) * 2 * HOUR_MS),
            label,
          });
        }
      } else {
        for (const d of localDaysOf(range, env.timeZone, CHART_DAYS))
          buckets.push({ from: d.from, to: d.to, label: d.day.slice(8) });
      }
      const totals = await tradeAmountsPerBucket(ctx, scope, buckets);
      return ok(toXxpayAmountChart(totals.map((b, i) => ({ ...b, label: buckets[i]!.label }))));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/data/statisticsByProductType',
    handler: async (request) => {
      const staff = staffOf(request);
      return ok(toXxpayProductTypes(await salesPerMethod(ctx, scopeOf(staff, paramsOf(request)))));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/message/list',
    handler: async (request) => {
      staffOf(request);
      return { code: XXPAY_CODE.ok, msg: 'success', count: 0, data: [] };
    },
  });
}
