import type { AppContext } from '../context.ts';
import { listMethodSettings, type Client } from './payment-methods.ts';

/** The payment methods a store offers on one client, as its staff set them (outside any transaction). */
export async function storePaymentMethods(ctx: AppContext, storeId: number, client: Client) {
  return listMethodSettings(ctx.db, storeId, client);
}
