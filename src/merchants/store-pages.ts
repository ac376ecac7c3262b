import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';

/**
 * A store's home page: an ordered list of blocks the shop's front ends draw. Products are named by id (or "the
 * newest n"), never copied, so prices and pictures on the page are always the catalog's of now.
 */
export type PageBlock =
  | { type: 'search'; placeholder: string }
  | { type: 'banner'; slides: { imageUrl: string; productId: number | null }[] }
  | { type: 'notice'; text: string }
  | { type: 'navigation'; entries: { text: string; imageUrl: string; categoryId: number | null }[] }
  | { type: 'products'; title: string; source: 'newest' | 'chosen'; productIds: number[]; count: number };

export interface PageLayout {
  title: string;
  blocks: PageBlock[];
}

export interface StoredPageLayout {
  layout: PageLayout;
  updatedAt: Date;
}

/** The layout staff saved for the store, or null when the store still shows its default page. */
export async function storedPageLayout(
  ctx: AppContext,
  merchantId: number,
  storeId: number,
): Promise<StoredPageLayout | null> {
  const row = await ctx.db
    .selectFrom('store_pages')
    .select(['layout', 'updated_at'])
    .where('store_id', '=', storeId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row ? { layout: row.layout as PageLayout, updatedAt: row.updated_at } : null;
}

/** Replaces the store's layout (the first save creates it); a store of another merchant is not found. */
export async function savePageLayout(
  ctx: AppContext,
  merchantId: number,
  storeId: number,
  layout: PageLayout,
  staffId: number,
): Promise<StoredPageLayout> {
  const store = await ctx.db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!store) throw notFound('store', { storeId });
  const now = ctx.clock.now();
  const values = { layout: JSON.stringify(layout), updated_by: staffId, updated_at: now };
  await ctx.db
    .insertInto('store_pages')
    .values({ store_id: storeId, merchant_id: merchantId, ...values })
    .onConflict((oc) => oc.column('store_id').doUpdateSet(values))
    .execute();
  return { layout, updatedAt: now };
}

/** Forgets the saved layout, so the store shows its default page again. */
export async function resetPageLayout(ctx: AppContext, merchantId: number, storeId: number): Promise<void> {
  await ctx.db
    .deleteFrom('store_pages')
    .where('store_id', '=', storeId)
    .where('merchant_id', '=', merchantId)
    .execute();
}
