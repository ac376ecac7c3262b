import type { Db } from '../db/connect.ts';

/** The category of each of a merchant's products (null when it has none), for coupons scoped to categories. */
export async function categoryIdsOf(
  db: Db,
  merchantId: number,
  productIds: readonly number[],
): Promise<Map<number, number | null>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('products')
    .select(['id', 'category_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', [...new Set(productIds)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.category_id]));
}
