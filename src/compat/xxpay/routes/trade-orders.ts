import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { getTradeOrder, tradeOrderOf } from '../../../orders/get-trade-order.ts';
import { listTradeOrderPage, type TradeState } from '../../../orders/list-trade-orders.ts';
import { ok, toXxpayTradeOrder, XXPAY_CODE, type MappingEnv, type XxpayStatus } from '../mapping.ts';
import { bad, int, paramsOf, present, staffOf, text, tradeOrderId, type Params } from '../params.ts';
import { queryRangeOf } from '../query-dates.ts';
import { TRADE_KIND_OF_TYPE, TRADE_STATE_OF_STATUS } from '../trade-order-mapping.ts';
import { layuiPage } from './till-params.ts';

/** `status` (-99: any), or `ps[statusInString]` (a comma list, e.g. `2,4`) as the refund pages send it. */
function statesOf(p: Params): TradeState[] | undefined {
  const raw = text(p, 'ps[statusInString]', { max: 64 }) ?? text(p, 'status', { max: 4 });
  if (raw === undefined || raw === '-99') return undefined;
  return raw.split(',').map((v) => {
    const state = TRADE_STATE_OF_STATUS[Number(v.trim()) as XxpayStatus];
    if (!/^-?\d$/.test(v.trim()) || !state) throw bad(`status 不支持: ${v}`);
    return state;
  });
}

const id = (p: Params, name: string) => int(p, name, 1, Number.MAX_SAFE_INTEGER);

/**
 * Trade orders (every order of the merchant: till sales, top-ups and shop orders):
 * - `trade_order/get`: `tradeOrderId`.
 * - `trade_order/list`: `page`, `limit` (-1: all) and the console's filters `tradeOrderId`, `status` /
 *   `ps[statusInString]`, `memberId`, `storeId`, `operatorId`, `tradeType` (1 sale, 2 top-up) and the creation
 *   time (`queryStartDateTime`/`queryEndDateTime`, or the other ranges of query-dates.ts); newest first, as
 *   `{code, msg, count, data}`.
 */
export function registerTradeOrderRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/trade_order/get',
    handler: async (request) => {
      const staff = staffOf(request);
      return ok(toXxpayTradeOrder(await getTradeOrder(ctx, staff, tradeOrderId(paramsOf(request))), env));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/trade_order/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const { page, limit } = layuiPage(p);
      const tradeType = text(p, 'tradeType', { max: 2 });
      if (tradeType !== undefined && !TRADE_KIND_OF_TYPE[tradeType]) throw bad('tradeType 须为 1 或 2');
      const range = queryRangeOf(p, env.timeZone, ctx.clock.now());
      const { items, total } = await listTradeOrderPage(
        ctx,
        staff,
        {
          orderNo: present(p.tradeOrderId) ? tradeOrderId(p) : undefined,
          states: statesOf(p),
          memberId: id(p, 'memberId'),
          storeId: id(p, 'storeId'),
          operatorId: id(p, 'operatorId'),
          kind: tradeType === undefined ? undefined : TRADE_KIND_OF_TYPE[tradeType],
          createdFrom: range?.from,
          createdTo: range?.to,
        },
        page,
        limit,
      );
      const data = [];
      for (const order of items) data.push(toXxpayTradeOrder(await tradeOrderOf(ctx, order), env));
      return { code: XXPAY_CODE.ok, msg: 'success', count: total, data };
    },
  });
}
