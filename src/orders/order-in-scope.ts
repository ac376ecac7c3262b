import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { OrderRow } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { scopeOrders, type OrderScope } from './order-scope.ts';

/** The order with this number when the caller may see it (a member their own, staff their merchant's); else not found. */
export async function orderInScope(ctx: AppContext, principal: Principal, orderNo: string): Promise<OrderRow> {
  const order = await scopeOrders(ctx.db.selectFrom('orders').selectAll(), principal)
    .where('order_no', '=', orderNo)
    .executeTakeFirst();
  if (!order) throw notFound('order', { orderNo });
  return order;
}

/**
 * The same order locked for the rest of the caller's transaction (`FOR UPDATE`): how every flow that changes an
 * order by its number starts. `noun` names it in the not-found answer ('trade order' for a till's sale).
 */
export async function lockOrderInScope(
  trx: Db,
  scope: Principal | OrderScope,
  orderNo: string,
  noun = 'order',
): Promise<OrderRow> {
  const order = await scopeOrders(trx.selectFrom('orders').selectAll(), scope)
    .where('order_no', '=', orderNo)
    .forUpdate()
    .executeTakeFirst();
  if (!order) throw notFound(noun, { orderNo });
  return order;
}
