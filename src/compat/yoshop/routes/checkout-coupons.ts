import type { MemberPrincipal } from '../../../auth/tokens.ts';
import type { AppContext } from '../../../context.ts';
import { listCoupons } from '../../../coupons/coupons.ts';
import type { CheckoutCoupon } from '../checkout-mapping.ts';

/**
 * The coupons the checkout page offers this member, and the code ordo's checkout takes for the one they pick.
 * Today coupons are typed by code: every coupon of the member's merchant that is valid now and not run out is
 * offered, its id standing for YoShop's `user_coupon_id`. When members keep coupons in a wallet, this is the one
 * place to read the wallet instead (and `codeOf` becomes the wallet coupon's id).
 */
export async function checkoutCoupons(
  ctx: AppContext,
  member: MemberPrincipal,
): Promise<(CheckoutCoupon & { code: string })[]> {
  const now = ctx.clock.now();
  const coupons = await listCoupons(ctx, member.merchantId);
  return coupons.flatMap((c) =>
    c.code &&
    (!c.startsAt || c.startsAt <= now) &&
    (!c.endsAt || c.endsAt > now) &&
    (c.totalQuantity === null || c.usedQuantity < c.totalQuantity)
      ? [{ ...c, code: c.code }]
      : [],
  );
}
