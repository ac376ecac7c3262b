import type { AppContext } from '../context.ts';

/** The carriers' tracking numbers of these orders' parcels, per order id, in the order the parcels left. */
export async function listTrackingNumbers(
  ctx: AppContext,
  orderIds: readonly number[],
): Promise<Map<number, string[]>> {
  const byOrder = new Map<number, string[]>();
  if (!orderIds.length) return byOrder;
  const rows = await ctx.db
    .selectFrom('shipments')
    .select(['order_id', 'tracking_numbers'])
    .where('order_id', 'in', orderIds)
    .orderBy('id')
    .execute();
  for (const row of rows) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), ...row.tracking_numbers]);
  return byOrder;
}
