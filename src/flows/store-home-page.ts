import { listCategories } from '../catalog/categories.ts';
import { newestProductIds } from '../catalog/newest-product-ids.ts';
import { getProduct, type Product } from '../catalog/products.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { storedPageLayout, type PageBlock, type PageLayout } from '../merchants/store-pages.ts';

/** How many products the default page's banner and goods group show. */
const DEFAULT_BANNER_SLIDES = 3;
const DEFAULT_GOODS_COUNT = 6;
const DEFAULT_NAVIGATION_ENTRIES = 8;

/**
 * The layout a store shows: the one its staff saved, else a default built from its catalog (a search box, a
 * banner of the newest products' pictures, a navigation row of the top categories and a goods group of the newest
 * products), so a new store has a working home page before anyone edits it.
 */
export async function storePageLayout(
  ctx: AppContext,
  merchantId: number,
  storeId: number,
): Promise<{ layout: PageLayout; isDefault: boolean; updatedAt: Date | null }> {
  const stored = await storedPageLayout(ctx, merchantId, storeId);
  if (stored) return { ...stored, isDefault: false };
  return { layout: await defaultLayout(ctx, merchantId), isDefault: true, updatedAt: null };
}

async function defaultLayout(ctx: AppContext, merchantId: number): Promise<PageLayout> {
  const newest = await productsByIds(ctx, merchantId, await newestProductIds(ctx, merchantId, DEFAULT_BANNER_SLIDES));
  const topCategories = (await listCategories(ctx, merchantId))
    .filter((c) => c.parentId === null)
    .slice(0, DEFAULT_NAVIGATION_ENTRIES);
  const blocks: PageBlock[] = [{ type: 'search', placeholder: '搜索商品' }];
  const slides = newest.filter((p) => p.coverUrl).map((p) => ({ imageUrl: p.coverUrl, productId: p.id }));
  if (slides.length) blocks.push({ type: 'banner', slides });
  if (topCategories.length)
    blocks.push({
      type: 'navigation',
      entries: topCategories.map((c) => ({ text: c.name, imageUrl: c.imageUrl, categoryId: c.id })),
    });
  blocks.push({ type: 'products', title: '新品上架', source: 'newest', productIds: [], count: DEFAULT_GOODS_COUNT });
  return { title: '首页', blocks };
}

export type RenderedBlock =
  Exclude<PageBlock, { type: 'products' }> | (Extract<PageBlock, { type: 'products' }> & { products: Product[] });

/** The store's page with each goods group's products read from the catalog (those gone or off sale left out). */
export async function renderStorePage(
  ctx: AppContext,
  merchantId: number,
  storeId: number,
): Promise<{ title: string; blocks: RenderedBlock[] }> {
  const { layout } = await storePageLayout(ctx, merchantId, storeId);
  const blocks: RenderedBlock[] = [];
  for (const block of layout.blocks) {
    if (block.type !== 'products') {
      blocks.push(block);
      continue;
    }
    const ids =
      block.source === 'newest'
        ? await newestProductIds(ctx, merchantId, block.count)
        : block.productIds.slice(0, block.count);
    blocks.push({ ...block, products: await productsByIds(ctx, merchantId, ids) });
  }
  return { title: layout.title, blocks };
}

async function productsByIds(ctx: AppContext, merchantId: number, ids: number[]): Promise<Product[]> {
  const found = await Promise.all(
    ids.map((id) =>
      getProduct(ctx, merchantId, id, { onSaleOnly: true }).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'not_found') return null;
        throw err;
      }),
    ),
  );
  return found.filter((p): p is Product => p !== null);
}
