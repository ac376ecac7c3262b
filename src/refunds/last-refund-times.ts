import type { AppContext } from '../context.ts';

/**
 * When money last went back on each order (its latest succeeded refund), per order id; orders never refunded are
 * absent. A fully refunded order ends there, so the dialects that show it as closed give this as its close time.
 */
export async function lastRefundTimes(ctx: AppContext, orderIds: readonly number[]): Promise<Map<number, Date>> {
  const times = new Map<number, Date>();
  if (!orderIds.length) return times;
  const rows = await ctx.db
    .selectFrom('payment_refunds')
    .select(['order_id', (eb) => eb.fn.max('completed_at').as('at')])
    .where('order_id', 'in', orderIds)
    .where('status', '=', 'succeeded')
    .groupBy('order_id')
    .execute();
  for (const row of rows) if (row.at) times.set(row.order_id, new Date(row.at));
  return times;
}
