import type { MemberPrincipal } from '../../../auth/tokens.ts';
import type { AppContext } from '../../../context.ts';
import { usableWalletCoupons } from '../../../flows/usable-wallet-coupons.ts';
import type { CheckoutCoupon } from '../checkout-mapping.ts';

/** A checkout line as the coupon rule counts it: the good and what its goods cost after the grade discount. */
export interface CouponedLine {
  productId: number;
  goodsAmount: number;
  gradeDiscount: number;
}

/**
 * The coupon popup of the checkout page: the member's unused wallet coupons, each id the wallet coupon's (YoShop's
 * `user_coupon_id`, which placement takes as memberCouponId), judged against these lines by the rule placement
 * applies (validity, minimum spend, the goods or categories it covers). Like YoShop, a coupon whose validity has not
 * begun is not offered.
 */
export async function checkoutCoupons(
  ctx: AppContext,
  member: MemberPrincipal,
  lines: readonly CouponedLine[],
): Promise<CheckoutCoupon[]> {
  const offers = await usableWalletCoupons(
    ctx,
    member,
    lines.map((l) => ({ productId: l.productId, amount: l.goodsAmount - l.gradeDiscount })),
  );
  return offers.flatMap(({ walletCoupon: c, usable, reason }) =>
    reason === 'not_started'
      ? []
      : [
          {
            id: c.id,
            title: c.title,
            kind: c.kind,
            amountOff: c.amountOff,
            percentOff: c.percentOff,
            minSpend: c.minSpend,
            startsAt: c.validFrom,
            endsAt: c.validUntil,
            notApplying: usable ? null : reason,
          },
        ],
  );
}
