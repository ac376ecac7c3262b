import type { AppContext } from '../context.ts';
import { claimCoupon as claimIntoWallet } from '../coupons/claim.ts';

/**
 * A member claims a coupon from the coupon centre into their wallet: one transaction around the template's guarded
 * claim, so a refusal (none left, ended, the member's limit reached) leaves nothing behind.
 */
export async function claimCoupon(
  ctx: AppContext,
  member: { merchantId: number; memberId: number },
  couponId: number,
): Promise<{ walletCouponId: number }> {
  const now = ctx.clock.now();
  return ctx.db
    .transaction()
    .execute((trx) =>
      claimIntoWallet(trx, { merchantId: member.merchantId, memberId: member.memberId, couponId, via: 'centre' }, now),
    );
}
