import type { AppContext } from '../context.ts';

/** The id of the merchant's member with this mobile number, or null. */
export async function memberIdByMobile(ctx: AppContext, merchantId: number, mobile: string): Promise<number | null> {
  const row = await ctx.db
    .selectFrom('members')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('mobile', '=', mobile)
    .executeTakeFirst();
  return row?.id ?? null;
}
