import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ChosenOption, ProductsTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { loadProductSpecs, specValueKey, type ProductSpecs, type Sku } from './specs.ts';

/**
 * A line asks for a product, and for one of its SKUs either by `skuId` or by the SKU's spec value ids
 * (`optionIds`: one value of each group, in any order). A line naming neither buys the product as listed, at its own
 * price and from its own stock, as clients without a spec choice (the mall client, the demo shop) always did.
 */
export interface LineRequest {
  productId: number;
  optionIds: number[];
  skuId?: number | null;
  quantity: number;
}

/** A requested line with everything checkout snapshots into the order: titles, prices and the chosen SKU. */
export interface ResolvedLine extends LineRequest {
  skuId: number | null;
  storeId: number | null;
  title: string;
  internalTitle: string;
  articleNo: string;
  imageUrl: string;
  spec: string;
  /** the SKU's spec values, in the groups' order, with their groups' names */
  options: ChosenOption[];
  listPrice: number;
  unitPrice: number;
  stock: number;
  onSale: boolean;
}

const invalid = (message: string, details: Record<string, unknown>) =>
  new AppError('validation_failed', message, details);

function chosenSku(request: LineRequest, specs: ProductSpecs): Sku | null {
  const { productId, optionIds } = request;
  if (new Set(optionIds).size !== optionIds.length) throw invalid('an option is chosen twice', { productId });
  const values = specs.specs.flatMap((g) => g.values);
  const foreign = optionIds.find((id) => !values.some((v) => v.id === id));
  if (foreign !== undefined) {
    throw invalid('the option does not belong to the product', { productId, optionId: foreign });
  }
  if (request.skuId != null) {
    const sku = specs.skus.find((s) => s.id === request.skuId);
    if (!sku) throw invalid('the SKU does not belong to the product', { productId, skuId: request.skuId });
    if (optionIds.length && specValueKey(optionIds) !== specValueKey(sku.specValueIds)) {
      throw invalid('the spec values are not those of the SKU', { productId, skuId: sku.id });
    }
    return sku;
  }
  if (optionIds.length === 0) return null;
  const sku = specs.skus.find((s) => specValueKey(s.specValueIds) === specValueKey(optionIds));
  if (!sku) throw invalid('no SKU of the product has these spec values', { productId, optionIds });
  return sku;
}

/** The columns of a product that a line is resolved and snapshotted from. */
export type LineProduct = Pick<
  Selectable<ProductsTable>,
  | 'id'
  | 'store_id'
  | 'category_id'
  | 'title'
  | 'internal_title'
  | 'article_no'
  | 'cover_url'
  | 'list_price'
  | 'price'
  | 'stock'
  | 'on_sale'
>;

/**
 * Reads the products, specs and SKUs behind some lines in four queries and checks that each choice belongs to its
 * product. Unknown products (or another merchant's) are reported as not found.
 */
export async function resolveLines(
  db: Db,
  merchantId: number,
  requests: readonly LineRequest[],
): Promise<ResolvedLine[]> {
  if (requests.length === 0) return [];
  const productIds = [...new Set(requests.map((r) => r.productId))];
  const [products, specs] = await Promise.all([
    db.selectFrom('products').selectAll().where('id', 'in', productIds).where('merchant_id', '=', merchantId).execute(),
    loadProductSpecs(db, productIds),
  ]);
  return resolveLinesFrom(requests, products, specs);
}

/** The lines resolved against their products and specs as read (the merchant's products only). */
export function resolveLinesFrom(
  requests: readonly LineRequest[],
  products: readonly LineProduct[],
  specs: ReadonlyMap<number, ProductSpecs>,
): ResolvedLine[] {
  return requests.map((request) => {
    const product = products.find((p) => p.id === request.productId);
    if (!product) throw new AppError('not_found', 'product not found', { productId: request.productId });
    const productSpecs = specs.get(product.id)!;
    const sku = chosenSku(request, productSpecs);
    const chosen = productSpecs.specs.flatMap((g) =>
      g.values.filter((v) => sku?.specValueIds.includes(v.id)).map((v) => ({ ...v, group: g.name })),
    );
    return {
      productId: product.id,
      optionIds: chosen.map((v) => v.id),
      skuId: sku?.id ?? null,
      quantity: request.quantity,
      storeId: product.store_id,
      title: product.title,
      internalTitle: product.internal_title,
      articleNo: sku?.code || product.article_no,
      imageUrl: sku?.imageUrl || product.cover_url,
      spec: chosen.map((v) => v.title).join(','),
      options: chosen.map((v) => ({ id: v.id, group: v.group, title: v.title, price: v.price })),
      listPrice: sku?.listPrice ?? product.list_price,
      unitPrice: sku?.price ?? product.price,
      stock: sku ? Math.min(product.stock, sku.stock) : product.stock,
      onSale: product.on_sale,
    };
  });
}
