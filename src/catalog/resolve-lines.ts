import type { Db } from '../db/connect.ts';
import type { ChosenOption } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export interface LineRequest {
  productId: number;
  optionIds: number[];
  quantity: number;
}

/** A requested line with everything checkout snapshots into the order: titles, prices and chosen options. */
export interface ResolvedLine extends LineRequest {
  storeId: number | null;
  title: string;
  internalTitle: string;
  articleNo: string;
  imageUrl: string;
  spec: string;
  options: ChosenOption[];
  listPrice: number;
  /** product price plus the prices of the chosen options */
  unitPrice: number;
  stock: number;
  onSale: boolean;
}

export const optionKey = (optionIds: readonly number[]) => [...optionIds].sort((a, b) => a - b).join(',');

export function parseOptionKey(key: string): number[] {
  return key === '' ? [] : key.split(',').map(Number);
}

/**
 * Reads the products and options behind some lines in two queries and checks that each option belongs to its
 * product. Unknown products (or another merchant's) are reported as not found.
 */
export async function resolveLines(
  db: Db,
  merchantId: number,
  requests: readonly LineRequest[],
): Promise<ResolvedLine[]> {
  if (requests.length === 0) return [];
  const productIds = [...new Set(requests.map((r) => r.productId))];
  const optionIds = [...new Set(requests.flatMap((r) => r.optionIds))];
  const [products, options] = await Promise.all([
    db.selectFrom('products').selectAll().where('id', 'in', productIds).where('merchant_id', '=', merchantId).execute(),
    optionIds.length
      ? db.selectFrom('product_options').selectAll().where('id', 'in', optionIds).execute()
      : Promise.resolve([]),
  ]);
  return requests.map((request) => {
    const product = products.find((p) => p.id === request.productId);
    if (!product) throw new AppError('not_found', 'product not found', { productId: request.productId });
    if (new Set(request.optionIds).size !== request.optionIds.length) {
      throw new AppError('validation_failed', 'an option is chosen twice', { productId: request.productId });
    }
    const chosen = request.optionIds.map((id) => {
      const option = options.find((o) => o.id === id && o.product_id === product.id);
      if (!option)
        throw new AppError('validation_failed', 'the option does not belong to the product', {
          productId: product.id,
          optionId: id,
        });
      return option;
    });
    chosen.sort((a, b) => a.sort - b.sort || a.id - b.id);
    return {
      productId: product.id,
      optionIds: chosen.map((o) => o.id),
      quantity: request.quantity,
      storeId: product.store_id,
      title: product.title,
      internalTitle: product.internal_title,
      articleNo: product.article_no,
      imageUrl: product.cover_url,
      spec: chosen.map((o) => o.title).join(','),
      options: chosen.map((o) => ({ id: o.id, title: o.title, price: o.price })),
      listPrice: product.list_price + chosen.reduce((sum, o) => sum + o.price, 0),
      unitPrice: product.price + chosen.reduce((sum, o) => sum + o.price, 0),
      stock: Math.min(product.stock, ...chosen.map((o) => o.stock)),
      onSale: product.on_sale,
    };
  });
}
