import type { AppContext } from '../context.ts';

/**
 * When the first parcel of each order left, per order id; orders with no parcel are absent. A partly shipped order
 * has no `shipped_at` yet (that is set when the last parcel leaves), but the buyer already has goods on the way.
 */
export async function firstParcelTimes(ctx: AppContext, orderIds: readonly number[]): Promise<Map<number, Date>> {
  const times = new Map<number, Date>();
  if (!orderIds.length) return times;
  const rows = await ctx.db
    .selectFrom('shipments')
    .select(['order_id', (eb) => eb.fn.min('created_at').as('at')])
    .where('order_id', 'in', orderIds)
    .groupBy('order_id')
    .execute();
  for (const row of rows) if (row.at) times.set(row.order_id, new Date(row.at));
  return times;
}
