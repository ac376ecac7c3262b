import type { AppContext } from '../context.ts';
import { loadProductSpecs, type ProductSpecs } from './specs.ts';

/** A product's stock as the catalog has it now, with each spec value's (the stock of the SKUs holding it). */
export interface ProductStock {
  id: number;
  stock: number;
  categoryId: number | null;
  options: { id: number; stock: number }[];
}

/** The merchant's products among these ids, with their spec values' stock: four queries for all of them. */
export async function listProductStock(
  ctx: AppContext,
  merchantId: number,
  productIds: readonly number[],
): Promise<ProductStock[]> {
  if (!productIds.length) return [];
  const rows = await ctx.db
    .selectFrom('products')
    .select(['id', 'stock', 'category_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', productIds)
    .execute();
  const specs = await loadProductSpecs(
    ctx.db,
    rows.map((p) => p.id),
  );
  return rows.map((p) => ({
    id: p.id,
    stock: p.stock,
    categoryId: p.category_id,
    options: optionStockOf(specs.get(p.id)!),
  }));
}

/** Each spec value's stock: the stock of the SKUs holding it. */
export function optionStockOf({ specs, skus }: ProductSpecs): ProductStock['options'] {
  return specs.flatMap((g) =>
    g.values.map((v) => ({
      id: v.id,
      stock: skus.filter((s) => s.specValueIds.includes(v.id)).reduce((sum, s) => sum + s.stock, 0),
    })),
  );
}
