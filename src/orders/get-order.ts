import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { scopeOrders } from './order-scope.ts';
import { toEventView, toOrderView, type OrderEventView, type OrderView } from './order-view.ts';

/** The order with its timeline, and the merchant and store names a cashier page shows beside the amount. */
export async function getOrder(ctx: AppContext, principal: Principal, orderNo: string): Promise<OrderView & { merchantName: string; storeName: string; events: OrderEventView[] }> {
  const order = await scopeOrders(ctx.db.selectFrom('orders').selectAll(), principal).where('order_no', '=', orderNo).executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  const [lines, events, names] = await Promise.all([
    ctx.db.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).execute(),
    ctx.db.selectFrom('order_events').selectAll().where('order_id', '=', order.id).orderBy('id').execute(),
    ctx.db
      .selectFrom('stores')
      .innerJoin('merchants', 'merchants.id', 'stores.merchant_id')
      .select(['merchants.name as merchantName', 'stores.name as storeName'])
      .where('stores.id', '=', order.store_id)
      .executeTakeFirstOrThrow(),
  ]);
  return { ...toOrderView(order, lines), ...names, events: events.map(toEventView) };
}
