import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { scopeOrders } from './order-scope.ts';

/** The order number of an order the caller names by its id (clients that only know ids); not found outside its scope. */
export async function orderNoOfId(ctx: AppContext, principal: Principal, orderId: number): Promise<string> {
  const row = await scopeOrders(ctx.db.selectFrom('orders').select('order_no'), principal)
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!row) throw notFound('order');
  return row.order_no;
}
