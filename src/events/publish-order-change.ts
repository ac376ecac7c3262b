import type { AppContext } from '../context.ts';
import { orderUpdateOf } from './order-updates.ts';

/**
 * Tells live pages that an order changed where the change did not touch its row's status (a refund settled or
 * refused): its status is read as committed, then published. Call after the change's transaction. Like the
 * publish itself, it never fails the request: the change is committed, and a page that misses the news reads the
 * order when it next loads.
 */
export async function publishOrderChange(ctx: AppContext, orderId: number): Promise<void> {
  try {
    const order = await ctx.db
      .selectFrom('orders')
      .select(['order_no', 'merchant_id', 'status', 'payment_status'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    ctx.orderUpdates.publish(orderUpdateOf(order));
  } catch (err) {
    ctx.log.warn({ err, orderId }, 'could not tell live pages of an order change');
  }
}
