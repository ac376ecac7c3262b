import type { AppContext } from '../context.ts';
import { listStores, type Store } from './stores.ts';

/** The merchant a store belongs to, or null when there is no such store. */
export async function merchantOfStore(ctx: AppContext, storeId: number): Promise<number | null> {
  const row = await ctx.db.selectFrom('stores').select('merchant_id').where('id', '=', storeId).executeTakeFirst();
  return row ? row.merchant_id : null;
}

/**
 * A store by its id, whichever merchant it belongs to: a shop front end names only its store (YoShop's `storeId`
 * header), and the store tells which merchant's catalog and members it serves. Null when there is no such store.
 */
export async function storeById(ctx: AppContext, storeId: number): Promise<Store | null> {
  const merchantId = await merchantOfStore(ctx, storeId);
  if (merchantId === null) return null;
  return (await listStores(ctx, merchantId)).find((s) => s.id === storeId) ?? null;
}
