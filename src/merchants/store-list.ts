import type { AppContext } from '../context.ts';

export interface StoreListItem {
  id: number;
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  createdAt: Date;
}

/** One page of the merchant's stores, oldest first, with the total; `storeId` and `name` (part of it) filter. */
export async function listStorePage(
  ctx: AppContext,
  merchantId: number,
  filters: { storeId?: number; name?: string; page: number; limit: number | null },
): Promise<{ items: StoreListItem[]; total: number }> {
  let query = ctx.db.selectFrom('stores').where('merchant_id', '=', merchantId);
  if (filters.storeId !== undefined) query = query.where('id', '=', filters.storeId);
  if (filters.name) query = query.where('name', 'ilike', `%${filters.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const ordered = query
    .select(['id', 'name', 'phone', 'province', 'city', 'district', 'address', 'created_at'])
    .orderBy('id');
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    (filters.limit === null
      ? ordered
      : ordered.limit(filters.limit).offset((filters.page - 1) * filters.limit)
    ).execute(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      phone: r.phone,
      province: r.province,
      city: r.city,
      district: r.district,
      address: r.address,
      createdAt: r.created_at,
    })),
    total: Number(count.n),
  };
}
