import type { FastifyInstance } from 'fastify';
import { principalOfToken } from '../../../auth/principal-of-token.ts';
import type { AppContext } from '../../../context.ts';
import { csvFile } from '../../../domain/csv.ts';
import { MAX_EXPORT_ROWS } from '../../../orders/export-orders-csv.ts';
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
  PAY_ORDER_EXPORT_HEADER,
  toPayOrderExportRow,
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
 * - `pay_order/exportExcel`: the page's 导出 button, a form it posts with the token as the field `Authorization` and
 *   the same filters; the rows as a CSV download (XxPay's columns; at most MAX_EXPORT_ROWS, else its message).
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
    url: '/api/pay_order/exportExcel',
    handler: async (request, reply) => {
      const p = paramsOf(request);
      // a form cannot send a header: the page puts the token in a field
      const token = text(p, 'Authorization', { max: 512 });
      if (!request.principal && token)
        request.principal = await principalOfToken(ctx, token.replace(/^bearer\s+/i, ''));
      const staff = staffOf(request);
      const { items, total } = await listMerchantPayOrders(ctx, staff.merchantId, filtersOf(p), 1, MAX_EXPORT_ROWS);
      if (total > MAX_EXPORT_ROWS)
        throw new XxpayError(XXPAY_CODE.failure, `导出数据超过${MAX_EXPORT_ROWS}条,请缩小查询范围`);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('支付订单.csv')}`)
        .send(csvFile([PAY_ORDER_EXPORT_HEADER, ...items.map((o) => toPayOrderExportRow(o, env))]));
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
