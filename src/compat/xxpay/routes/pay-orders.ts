import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import {
  getMerchantPayOrder,
  listMerchantPayOrders,
  payOrderTotals,
  type PayOrderFilters,
} from '../../../payments/merchant-pay-orders.ts';
import { ok, XXPAY_CODE, type MappingEnv } from '../mapping.ts';
import { bad, paramsOf, staffOf, text, XxpayError, type Params } from '../params.ts';
import {
  PAY_FILTER_OF_STATUS,
  PAY_KIND_OF_PRODUCT_TYPE,
  toXxpayPayCounts,
  toXxpayPayOrder,
} from '../pay-order-mapping.ts';
import { queryRangeOf } from '../query-dates.ts';
import { tablePage } from '../till-mapping.ts';
import { layuiPage } from './till-params.ts';

const PAY_ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ORDER_NO = /^\d{1,32}$/;

/** A select's value, where -99 (the page's 「全部」) or nothing means no filter. */
const chosen = (p: Params, name: string) => {
  const v = text(p, name, { max: 4 });
  return v === undefined || v === '-99' ? undefined : v;
};

/**
 * Pay orders (one per payment attempt of the merchant's orders, newest first):
 * - `pay_order/list`: `page`, `limit` (-1: all) and the pay page's filters `payOrderId`, `mchOrderNo` (the trade
 *   order's number), `productType` (1 sale, 2 top-up), `status` (XxPay's pay codes, pay-order-mapping.ts) and the
 *   creation time `createTimeStart`/`createTimeEnd` (yyyy-MM-dd HH:mm:ss, or the other ranges of query-dates.ts);
 *   -99 in a select means all. `{code, msg, count, data}`.
 * - `pay_order/count`: the same filters; `{allTotalCount, allTotalAmount, successTotalCount, successTotalAmount,
 *   failTotalCount, failTotalAmount, successRate}` in fen and percent.
 * - `pay_order/get`: `payOrderId`.
 * The page's export (`pay_order/exportExcel`, a form posting the token as a field) is not served: it answers 暂不支持.
 */
export function registerPayOrderRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  function filtersOf(p: Params): PayOrderFilters {
    const productType = chosen(p, 'productType');
    if (productType !== undefined && !PAY_KIND_OF_PRODUCT_TYPE[productType]) throw bad('productType 须为 1 或 2');
    const status = chosen(p, 'status');
    if (status !== undefined && !PAY_FILTER_OF_STATUS[status]) throw bad(`status 不支持: ${status}`);
    const range = queryRangeOf(p, env.timeZone, ctx.clock.now());
    return {
      outTradeNo: text(p, 'payOrderId', { max: 64, pattern: PAY_ORDER_ID }),
      orderNo: text(p, 'mchOrderNo', { max: 32, pattern: ORDER_NO }),
      orderKind: productType === undefined ? undefined : PAY_KIND_OF_PRODUCT_TYPE[productType],
      ...(status === undefined ? {} : PAY_FILTER_OF_STATUS[status]),
      createdFrom: range?.from,
      createdTo: range?.to,
    };
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/api/pay_order/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const { page, limit } = layuiPage(p);
      const { items, total } = await listMerchantPayOrders(ctx, staff.merchantId, filtersOf(p), page, limit);
      return tablePage(
        items.map((o) => toXxpayPayOrder(o, env)),
        total,
      );
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/pay_order/count',
    handler: async (request) => {
      const staff = staffOf(request);
      return ok(toXxpayPayCounts(await payOrderTotals(ctx, staff.merchantId, filtersOf(paramsOf(request)))));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/pay_order/get',
    handler: async (request) => {
      const staff = staffOf(request);
      const payOrderId = text(paramsOf(request), 'payOrderId', { required: true, max: 64, pattern: PAY_ORDER_ID })!;
      const found = await getMerchantPayOrder(ctx, staff.merchantId, payOrderId);
      if (!found) throw new XxpayError(XXPAY_CODE.failure, '支付订单不存在');
      return ok(toXxpayPayOrder(found, env));
    },
  });
}
