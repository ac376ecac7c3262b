import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { couponReasonOf } from '../../../coupons/refusals.ts';
import { useTillCoupon } from '../../../flows/use-till-coupon.ts';
import { ok, XXPAY_CODE } from '../mapping.ts';
import { paramsOf, staffOf, text, XxpayError, yuan } from '../params.ts';
import { TILL_COUPON_MESSAGE } from '../till-mapping.ts';

/**
 * `member_coupon/checkCoupon`: the cashier scans or types a member's coupon (`couponNo`, the wallet coupon's number)
 * for a sale of `amount` yuan; the coupon is checked and used at once (XxPay's 核销) and the answer is
 * `{couponAmount}` in fen, which the cashier takes off the amount it then charges. Only coupons for all goods apply
 * at the till (a till sale names no goods).
 */
export function registerTillCouponRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/member_coupon/checkCoupon',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const couponNo = text(p, 'couponNo', { required: true, max: 16, pattern: /^\d{1,15}$/ })!;
      const amount = yuan(p, 'amount', true)!;
      try {
        const used = await useTillCoupon(ctx, staff.merchantId, { walletCouponId: Number(couponNo), amount });
        return ok({ couponNo, couponAmount: used.discount });
      } catch (err) {
        const reason = couponReasonOf(err);
        if (reason) throw new XxpayError(XXPAY_CODE.failure, TILL_COUPON_MESSAGE[reason]);
        throw err;
      }
    },
  });
}
