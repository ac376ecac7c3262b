import type { AppContext } from '../context.ts';

/** The ids of the merchant's newest products on sale, newest first: what a "newest goods" shelf shows. */
export async function newestProductIds(ctx: AppContext, merchantId: number, count: number): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom('products')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('on_sale', '=', true)
    .orderBy('id', 'desc')
    .limit(count)
    .execute();
  return rows.map((r) => r.id);
}
