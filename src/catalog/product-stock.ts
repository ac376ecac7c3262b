import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { AppContext } from '../context.ts';

/** A product's stock as the catalog has it now, with each option's. */
export interface ProductStock {
  id: number;
  stock: number;
  categoryId: number | null;
  options: { id: number; stock: number }[];
}

/** The merchant's products among these ids, with their options' stock: one query for all of them. */
export async function listProductStock(
  ctx: AppContext,
  merchantId: number,
  productIds: readonly number[],
): Promise<ProductStock[]> {
  if (!productIds.length) return [];
  const rows = await ctx.db
    .selectFrom('products')
    .select((eb) => [
      'products.id',
      'products.stock',
      'products.category_id',
      jsonArrayFrom(
        eb
          .selectFrom('product_options')
          .select(['product_options.id', 'product_options.stock'])
          .whereRef('product_options.product_id', '=', 'products.id'),
      ).as('options'),
    ])
    .where('products.merchant_id', '=', merchantId)
    .where('products.id', 'in', productIds)
    .execute();
  return rows.map((p) => ({ id: p.id, stock: p.stock, categoryId: p.category_id, options: p.options }));
}
