import type { Selectable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { StoresTable } from '../db/schema.ts';
import { notFound } from '../errors.ts';

export interface Store {
  id: number;
  merchantId: number;
  name: string;
  logoUrl: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  latitude: string;
  longitude: string;
  /** Shipping rule: `shippingFee` per order, waived when discounted goods reach `freeShippingOver` (if set). */
  shippingFee: number;
  freeShippingOver: number | null;
}

const toStore = (s: Selectable<StoresTable>): Store => ({
  id: s.id,
  merchantId: s.merchant_id,
  name: s.name,
  logoUrl: s.logo_url,
  phone: s.phone,
  province: s.province,
  city: s.city,
  district: s.district,
  address: s.address,
  latitude: s.latitude,
  longitude: s.longitude,
  shippingFee: s.shipping_fee,
  freeShippingOver: s.free_shipping_over,
});

export async function listStores(ctx: AppContext, merchantId: number): Promise<Store[]> {
  const rows = await ctx.db
    .selectFrom('stores')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('id')
    .execute();
  return rows.map(toStore);
}

export type StoreChanges = Partial<Omit<Store, 'id' | 'merchantId'>>;

export async function updateStore(
  ctx: AppContext,
  merchantId: number,
  storeId: number,
  changes: StoreChanges,
): Promise<Store> {
  const row = await ctx.db
    .updateTable('stores')
    .set({
      name: changes.name,
      logo_url: changes.logoUrl,
      phone: changes.phone,
      province: changes.province,
      city: changes.city,
      district: changes.district,
      address: changes.address,
      latitude: changes.latitude,
      longitude: changes.longitude,
      shipping_fee: changes.shippingFee,
      free_shipping_over: changes.freeShippingOver,
    })
    .where('id', '=', storeId)
    .where('merchant_id', '=', merchantId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('store', { storeId });
  return toStore(row);
}

export async function createStore(
  ctx: AppContext,
  merchantId: number,
  input: { name: string; phone?: string; address?: string },
): Promise<Store> {
  const row = await ctx.db
    .insertInto('stores')
    .values({
      merchant_id: merchantId,
      name: input.name,
      phone: input.phone,
      address: input.address,
      free_shipping_over: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toStore(row);
}
