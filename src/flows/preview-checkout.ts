import type { AppContext } from '../context.ts';
import type { Delivery } from '../orders/delivery.ts';
import { checkoutLines, type LineSource } from './checkout-lines.ts';
import { priceCheckout } from './price-checkout.ts';

export interface CheckoutPreviewInput {
  merchantId: number;
  memberId: number;
  source: LineSource;
  storeId?: number;
  couponCode?: string;
  memberCouponId?: number;
  usePoints?: boolean;
  delivery?: Delivery;
}

/** Prices what the buyer is about to order, without reserving anything; shows stock shortfalls per line. */
export async function previewCheckout(ctx: AppContext, input: CheckoutPreviewInput) {
  const { lines } = await checkoutLines(ctx.db, input.memberId, input.source);
  const checkout = await priceCheckout(
    ctx.db,
    {
      merchantId: input.merchantId,
      memberId: input.memberId,
      storeId: input.storeId,
      lines,
      couponCode: input.couponCode,
      memberCouponId: input.memberCouponId,
      usePoints: input.usePoints,
      delivery: input.delivery,
    },
    ctx.clock.now(),
  );
  return {
    storeId: checkout.store.id,
    lines: checkout.lines.map((line, i) => ({
      ...line,
      ...checkout.priced.lines[i]!,
      inStock: line.stock >= line.quantity,
    })),
    goodsAmount: checkout.priced.goodsAmount,
    gradeDiscount: checkout.priced.gradeDiscount,
    couponDiscount: checkout.priced.couponDiscount,
    pointsDiscount: checkout.priced.pointsDiscount,
    pointsUsed: checkout.priced.pointsUsed,
    discountAmount: checkout.priced.discountAmount,
    shippingFee: checkout.priced.shippingFee,
    payableAmount: checkout.priced.payableAmount,
    couponApplied: checkout.priced.coupon.applied,
    couponProblem: checkout.couponProblem,
  };
}
