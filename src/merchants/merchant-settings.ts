import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';

export interface MerchantSettings {
  id: number;
  name: string;
  orderTimeoutMinutes: number;
}

export async function getMerchantSettings(ctx: AppContext, merchantId: number): Promise<MerchantSettings> {
  const row = await ctx.db.selectFrom('merchants').select(['id', 'name', 'order_timeout_minutes']).where('id', '=', merchantId).executeTakeFirst();
  if (!row) throw notFound('merchant', { merchantId });
  return { id: row.id, name: row.name, orderTimeoutMinutes: row.order_timeout_minutes };
}

/** A new timeout applies to orders placed from now on; orders already placed keep their `expires_at`. */
export async function updateMerchantSettings(ctx: AppContext, merchantId: number, changes: { name?: string; orderTimeoutMinutes?: number }): Promise<MerchantSettings> {
  await ctx.db.updateTable('merchants').set({ name: changes.name, order_timeout_minutes: changes.orderTimeoutMinutes }).where('id', '=', merchantId).execute();
  return getMerchantSettings(ctx, merchantId);
}
