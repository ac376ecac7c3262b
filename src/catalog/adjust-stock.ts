import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

/**
 * Staff stock corrections (goods received, stocktake) as a signed delta, so they never overwrite units that
 * checkout reserved meanwhile. A delta that would take stock below zero is refused.
 */
export async function adjustStock(
  ctx: AppContext,
  merchantId: number,
  input: { productId: number; optionId?: number; delta: number },
): Promise<{ stock: number }> {
  const product = await ctx.db
    .selectFrom('products')
    .select('id')
    .where('id', '=', input.productId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!product) throw notFound('product', { id: input.productId });
  const updated =
    input.optionId === undefined
      ? await ctx.db
          .updateTable('products')
          .set({ stock: sql`stock + ${input.delta}`, updated_at: ctx.clock.now() })
          .where('id', '=', input.productId)
          .where(sql<boolean>`stock + ${input.delta} >= 0`)
          .returning('stock')
          .executeTakeFirst()
      : await ctx.db
          .updateTable('product_options')
          .set({ stock: sql`stock + ${input.delta}` })
          .where('id', '=', input.optionId)
          .where('product_id', '=', input.productId)
          .where(sql<boolean>`stock + ${input.delta} >= 0`)
          .returning('stock')
          .executeTakeFirst();
  if (updated) return updated;
  if (input.optionId !== undefined) {
    const option = await ctx.db
      .selectFrom('product_options')
      .select('id')
      .where('id', '=', input.optionId)
      .where('product_id', '=', input.productId)
      .executeTakeFirst();
    if (!option) throw notFound('product option', { id: input.optionId });
  }
  throw new AppError('invalid_state', 'stock cannot go below zero', { delta: input.delta });
}
