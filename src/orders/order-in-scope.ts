import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { OrderRow } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { scopeOrders } from './order-scope.ts';

/** The order with this number when the caller may see it (a member their own, staff their merchant's); else not found. */
export async function orderInScope(ctx: AppContext, principal: Principal, orderNo: string): Promise<OrderRow> {
  const order = await scopeOrders(ctx.db.selectFrom('orders').selectAll(), principal)
    .where('order_no', '=', orderNo)
    .executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  return order;
}
