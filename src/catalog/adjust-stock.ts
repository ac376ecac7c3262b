import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

const belowZero = (delta: number) => new AppError('invalid_state', 'stock cannot go below zero', { delta });

/**
 * Staff stock corrections (goods received, stocktake) as a signed delta, so they never overwrite units that
 * checkout reserved meanwhile. A SKU's delta moves the product's stock too (the product's stock caps its SKUs
 * together, so ten more of one SKU are ten more of the product). A delta that would take stock below zero is refused.
 */
export async function adjustStock(
  ctx: AppContext,
  merchantId: number,
  input: { productId: number; skuId?: number; delta: number },
): Promise<{ stock: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const product = await trx
      .selectFrom('products')
      .select('id')
      .where('id', '=', input.productId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!product) throw notFound('product', { id: input.productId });
    let sku: { stock: number } | undefined;
    if (input.skuId !== undefined) {
      const exists = await trx
        .selectFrom('product_skus')
        .select('id')
        .where('id', '=', input.skuId)
        .where('product_id', '=', input.productId)
        .executeTakeFirst();
      if (!exists) throw notFound('SKU', { id: input.skuId });
      sku = await trx
        .updateTable('product_skus')
        .set({ stock: sql`stock + ${input.delta}` })
        .where('id', '=', input.skuId)
        .where(sql<boolean>`stock + ${input.delta} >= 0`)
        .returning('stock')
        .executeTakeFirst();
      if (!sku) throw belowZero(input.delta);
    }
    const updated = await trx
      .updateTable('products')
      .set({ stock: sql`stock + ${input.delta}`, updated_at: ctx.clock.now() })
      .where('id', '=', input.productId)
      .where(sql<boolean>`stock + ${input.delta} >= 0`)
      .returning('stock')
      .executeTakeFirst();
    if (!updated) throw belowZero(input.delta);
    return sku ?? updated;
  });
}
