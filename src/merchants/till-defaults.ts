import type { AppContext } from '../context.ts';
import type { AppPrincipalInfo } from './signed-requests.ts';

/**
 * A till that signs in with an operator's credentials (the XxPay console) names no merchant app, yet trade orders
 * are recorded for one (`apps.app_id` on the order, its webhooks). The app that acts for it is the merchant's
 * first enabled app (lowest id): the oldest app is the one a merchant set up for its tills, and a disabled app
 * never acts. None is created here (a read never writes): with none, null, and the caller asks for one.
 */
export async function tillActingApp(ctx: AppContext, merchantId: number): Promise<AppPrincipalInfo | null> {
  const row = await ctx.db
    .selectFrom('apps')
    .select(['id', 'app_id'])
    .where('merchant_id', '=', merchantId)
    .where('disabled', '=', false)
    .orderBy('id')
    .executeTakeFirst();
  return row ? { appRowId: row.id, appId: row.app_id, merchantId } : null;
}

/** The store a till sale is recorded at when the till names none: the merchant's first store (lowest id), or null. */
export async function tillDefaultStoreId(ctx: AppContext, merchantId: number): Promise<number | null> {
  const row = await ctx.db
    .selectFrom('stores')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
