import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { getMerchantRefundOrder, listMerchantRefundOrders } from '../../../payments/merchant-refund-orders.ts';
import { ok, XXPAY_CODE, type MappingEnv } from '../mapping.ts';
import { bad, paramsOf, staffOf, text, XxpayError } from '../params.ts';
import { REFUND_STATUSES_OF_STATUS, toXxpayRefundOrder } from '../pay-order-mapping.ts';
import { queryRangeOf } from '../query-dates.ts';
import { tablePage } from '../till-mapping.ts';
import { layuiPage } from './till-params.ts';

const REFUND_ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Refund orders (money the merchant sent back through a payment: till refunds, approved after-sales refunds, late
 * payments given back; newest first):
 * - `refund_order/list`: `page`, `limit` (-1: all) and the refund page's filters `refundOrderId`, `mchOrderNo` (the
 *   trade order's number), `status` (0 created, 1 refunding, 2 refunded, 3 failed; -99 all) and the creation time
 *   `createTimeStart`/`createTimeEnd` (yyyy-MM-dd HH:mm:ss). `{code, msg, count, data}`.
 * - `refund_order/get`: `refundOrderId` (the refund number memberPay/refund2 answers).
 */
export function registerRefundOrderRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/refund_order/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const { page, limit } = layuiPage(p);
      const status = text(p, 'status', { max: 4 });
      const statuses = status === undefined || status === '-99' ? undefined : REFUND_STATUSES_OF_STATUS[status];
      if (status !== undefined && status !== '-99' && !statuses) throw bad(`status 不支持: ${status}`);
      const range = queryRangeOf(p, env.timeZone, ctx.clock.now());
      const { items, total } = await listMerchantRefundOrders(
        ctx,
        staff.merchantId,
        {
          outRefundNo: text(p, 'refundOrderId', { max: 64, pattern: REFUND_ORDER_ID }),
          orderNo: text(p, 'mchOrderNo', { max: 32, pattern: /^\d{1,32}$/ }),
          statuses,
          createdFrom: range?.from,
          createdTo: range?.to,
        },
        page,
        limit,
      );
      return tablePage(
        items.map((r) => toXxpayRefundOrder(r, env)),
        total,
      );
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/refund_order/get',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const refundOrderId = text(p, 'refundOrderId', { required: true, max: 64, pattern: REFUND_ORDER_ID })!;
      const found = await getMerchantRefundOrder(ctx, staff.merchantId, refundOrderId);
      if (!found) throw new XxpayError(XXPAY_CODE.failure, '退款订单不存在');
      return ok(toXxpayRefundOrder(found, env));
    },
  });
}
