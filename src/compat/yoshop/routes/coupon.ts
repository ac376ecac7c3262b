import { claimableCoupons, listWallet } from '../../../coupons/wallet.ts';
import { claimCoupon } from '../../../flows/claim-coupon.ts';
import { couponRefusalZh, toClaimableCoupon, toMyCoupon, WALLET_TAB } from '../coupon-mapping.ts';
import { storeOf } from '../lookups.ts';
import { ok, paginator } from '../mapping.ts';
import { bad, PAGE_SIZE, pageOf, reqInt, str } from '../params.ts';
import type { MemberCall, MemberRoutes, OpenRoutes } from '../route-table.ts';

/** The coupon centre lists without sign-in (is_receive needs one); claiming and the wallet are the member's. */
export const couponOpenRoutes: OpenRoutes = {
  'coupon/list': async ({ ctx, env, storeId, member }) => {
    const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
    const coupons = await claimableCoupons(ctx, merchantId, member?.memberId ?? null);
    const now = ctx.clock.now();
    return ok({ list: coupons.map((c) => toClaimableCoupon(c, now, env)) });
  },
};

/**
 * pages/coupon posts `myCoupon/receive` with `{couponId}`; `coupon/receive` and api/user/coupon.js's
 * `user.coupon/receive` are the same action.
 */
async function receive({ ctx, member, p }: MemberCall) {
  const couponId = reqInt(p, 'couponId');
  await claimCoupon(ctx, member, couponId).catch((err: unknown) => {
    const refusal = couponRefusalZh(err);
    throw refusal ? bad(refusal) : err;
  });
  return ok([], '领取成功');
}

export const couponMemberRoutes: MemberRoutes = {
  'myCoupon/receive': receive,
  'coupon/receive': receive,
  'user.coupon/receive': receive,
  'myCoupon/list': async ({ ctx, env, member, p }) => {
    const tab = str(p, 'dataType', { optional: true, max: 20 }) ?? 'all';
    if (!Object.hasOwn(WALLET_TAB, tab)) throw bad('参数 dataType 无效');
    const page = pageOf(p);
    const { items, total } = await listWallet(ctx, member, { state: WALLET_TAB[tab], page, pageSize: PAGE_SIZE });
    return ok({
      list: paginator(
        items.map((c) => toMyCoupon(c, env)),
        page,
        PAGE_SIZE,
        total,
      ),
    });
  },
};
