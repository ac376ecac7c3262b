import type { AppContext } from '../context.ts';

/** The merchant's member grades, lowest first. */
export async function listGrades(ctx: AppContext, merchantId: number) {
  const rows = await ctx.db
    .selectFrom('member_grades')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('weight')
    .execute();
  return rows.map((g) => ({
    id: g.id,
    name: g.name,
    weight: g.weight,
    spendThreshold: g.spend_threshold,
    discountPercent: g.discount_percent,
  }));
}
