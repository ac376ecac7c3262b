import type { MemberPrincipal } from '../../../auth/tokens.ts';
import type { AppContext } from '../../../context.ts';
import { listWallet } from '../../../coupons/wallet.ts';
import type { CheckoutCoupon } from '../checkout-mapping.ts';

/**
 * The coupons the checkout page offers this member: the unused coupons of their wallet that are valid now, each id
 * the wallet coupon's (YoShop's `user_coupon_id`), which placement takes as memberCouponId.
 */
export async function checkoutCoupons(ctx: AppContext, member: MemberPrincipal): Promise<CheckoutCoupon[]> {
  const now = ctx.clock.now();
  const { items } = await listWallet(ctx, member, { state: 'unused', page: 1, pageSize: 100 });
  return items.flatMap((c) =>
    !c.validFrom || c.validFrom <= now ? [{ ...c, startsAt: c.validFrom, endsAt: c.validUntil }] : [],
  );
}
