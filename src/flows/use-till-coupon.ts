import type { AppContext } from '../context.ts';
import { useWalletCouponAtTill } from '../coupons/till-use.ts';

/** A till takes a member's wallet coupon off a sale of `amount` fen and marks it used (coupons/till-use.ts). */
export async function useTillCoupon(
  ctx: AppContext,
  merchantId: number,
  input: { walletCouponId: number; amount: number },
): Promise<{ discount: number }> {
  const now = ctx.clock.now();
  const used = await ctx.db.transaction().execute((trx) => useWalletCouponAtTill(trx, { merchantId, ...input }, now));
  return { discount: used.discount };
}
