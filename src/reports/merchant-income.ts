import { sql } from 'kysely';
import type { AppContext } from '../context.ts';

/**
 * The merchant's income from paid orders, after gateway fees and refunds (`orders.merchant_income`), split into what
 * is settled (the order's refund window has closed) and what is not yet. Fen.
 */
export async function merchantIncome(
  ctx: AppContext,
  merchantId: number,
): Promise<{ total: number; settled: number; unsettled: number }> {
  const row = await ctx.db
    .selectFrom('orders')
    .select([
      sql<string>`coalesce(sum(merchant_income), 0)`.as('total'),
      sql<string>`coalesce(sum(merchant_income) filter (where settled_at is not null), 0)`.as('settled'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('paid_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const total = Number(row.total);
  const settled = Number(row.settled);
  return { total, settled, unsettled: total - settled };
}
