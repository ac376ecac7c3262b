import type { AppContext } from '../context.ts';

/** Which of these orders the buyer has reviewed (or that were reviewed automatically). */
export async function reviewedOrderIds(ctx: AppContext, orderIds: readonly number[]): Promise<Set<number>> {
  if (!orderIds.length) return new Set();
  const rows = await ctx.db.selectFrom('reviews').select('order_id').where('order_id', 'in', orderIds).execute();
  return new Set(rows.map((r) => r.order_id));
}
