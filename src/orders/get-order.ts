import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { scopeOrders } from './order-scope.ts';
import { toEventView, toOrderView, type OrderEventView, type OrderView } from './order-view.ts';

export async function getOrder(ctx: AppContext, principal: Principal, orderNo: string): Promise<OrderView & { events: OrderEventView[] }> {
  const order = await scopeOrders(ctx.db.selectFrom('orders').selectAll(), principal).where('order_no', '=', orderNo).executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  const [lines, events] = await Promise.all([
    ctx.db.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).execute(),
    ctx.db.selectFrom('order_events').selectAll().where('order_id', '=', order.id).orderBy('id').execute(),
  ]);
  return { ...toOrderView(order, lines), events: events.map(toEventView) };
}
