import { cancelOrder } from '../../../flows/cancel-order.ts';
import { confirmReceipt } from '../../../flows/receive-and-complete.ts';
import { listShipments } from '../../../flows/ship-order.ts';
import { listOrderPage } from '../../../orders/list-orders.ts';
import { orderNoOf, orderOf } from '../lookups.ts';
import { DATA_TYPES, ok, paginator } from '../mapping.ts';
import { toExpressList, toOrderDetail, toOrderListItem } from '../order-mapping.ts';
import { bad, PAGE_SIZE, pageOf, reqInt, str } from '../params.ts';
import type { MemberRoutes } from '../route-table.ts';

/** The member's orders: the tabbed list, one order, cancelling, confirming receipt, the parcels, the tab counts. */
export const orderRoutes: MemberRoutes = {
  'order/list': async ({ ctx, env, member, p }) => {
    const dataType = str(p, 'dataType', { optional: true, max: 20 }) || 'all';
    if (!(dataType in DATA_TYPES)) throw bad('参数 dataType 无效');
    const page = pageOf(p);
    const status = DATA_TYPES[dataType];
    const { items, total } = await listOrderPage(ctx, member, status ? { status } : {}, page, PAGE_SIZE);
    return ok({
      list: paginator(
        items.map((o) => toOrderListItem(o, env)),
        page,
        PAGE_SIZE,
        total,
      ),
    });
  },
  'order/detail': async ({ ctx, env, member, p }) => {
    const order = await orderOf(ctx, member, reqInt(p, 'orderId'));
    return ok({
      order: toOrderDetail(order, await listShipments(ctx, order.id), env),
      setting: { points_name: '积分' },
    });
  },
  'order/cancel': async ({ ctx, member, p }) => {
    const result = await cancelOrder(ctx, member, await orderNoOf(ctx, member, reqInt(p, 'orderId')), '用户取消');
    return ok([], result.status === 'cancelled' ? '订单已取消' : '已申请取消，请等待审核');
  },
  'order/receipt': async ({ ctx, member, p }) => {
    await confirmReceipt(ctx, member, await orderNoOf(ctx, member, reqInt(p, 'orderId')));
    return ok([], '确认收货成功');
  },
  'order/express': async ({ ctx, env, member, p }) => {
    const order = await orderOf(ctx, member, reqInt(p, 'orderId'));
    return ok({ express: toExpressList(order, await listShipments(ctx, order.id), env) });
  },
  'order/todoCounts': async ({ ctx, member }) => {
    const count = async (status: string[]) => (await listOrderPage(ctx, member, { status }, 1, 1)).total;
    return ok({
      counts: {
        payment: await count(DATA_TYPES.payment!),
        deliver: await count(DATA_TYPES.delivery!),
        received: await count(DATA_TYPES.received!),
        refund: 0,
      },
    });
  },
};
