import type { ClaimableCoupon, CouponTerms, WalletCoupon, WalletState } from '../../coupons/wallet.ts';
import { couponReasonOf, type CouponReason } from '../../coupons/refusals.ts';
import { yoshopTime, yuan, type MappingEnv } from './mapping.ts';

/**
 * The coupon centre (`coupon/list`) and the wallet (`myCoupon/list`) as the YoShop client's pages/coupon and
 * pages/my-coupon read them: `coupon_type` 10 满减券 / 20 折扣券, `reduce_price` and `min_price` in yuan,
 * `discount` in 折 (9.5 is 5 % off), validity as `expire_type` 10 (N days after claiming) or 20 (dates), dates as
 * `Y/m/d`, and `state: {value, text}` — value 1 is claimable or usable (coloured), 0 greys the coupon out.
 */

const COUPON_TYPE = { fixed: 10, percent: 20 } as const;
const EXPIRE_TYPE = { afterClaiming: 10, dates: 20 } as const;
/** apply_range: 10 all goods, 20 some goods (ordo's categories are some goods too) */
const APPLY_RANGE = { all: 10, products: 20, categories: 20 } as const;

/** The wallet tabs the page sends as `dataType` (and the backend's `all` and `isUsable`). */
export const WALLET_TAB: Record<string, WalletState | undefined> = {
  all: undefined,
  isUnused: 'unused',
  isUsable: 'unused',
  isUse: 'used',
  isExpire: 'expired',
};

/** A refusal to claim or use a coupon, as the client's toast says it. */
export const COUPON_REASON_ZH: Record<CouponReason, string> = {
  not_found: '很抱歉，当前优惠券不存在',
  run_out: '很抱歉，当前优惠券已发完',
  ended: '很抱歉，当前优惠券已过期',
  limit_reached: '当前用户已领取该优惠券',
  used: '很抱歉，该优惠券已被使用',
  not_started: '很抱歉，该优惠券尚未生效',
  expired: '很抱歉，该优惠券已过期',
  min_spend_not_met: '很抱歉，订单金额未达到该优惠券的使用门槛',
  not_in_scope: '该优惠券不支持当前商品',
};

/** The client's words for a coupon's refusal, when the error is one. */
export function couponRefusalZh(err: unknown): string | null {
  const reason = couponReasonOf(err);
  return reason ? COUPON_REASON_ZH[reason] : null;
}

/** `Y/m/d` in the merchant's time zone; an end instant is exclusive, so its date is the day before it. */
const day = (at: Date, env: MappingEnv) => yoshopTime(at, env.timeZone).slice(0, 10).replaceAll('-', '/');
const lastDay = (until: Date, env: MappingEnv) => day(new Date(until.getTime() - 1), env);

function termsOf(c: CouponTerms) {
  return {
    coupon_id: c.couponId,
    name: c.title,
    coupon_type: COUPON_TYPE[c.kind],
    reduce_price: yuan(c.amountOff),
    discount: c.kind === 'percent' ? (100 - c.percentOff) / 10 : 0,
    min_price: yuan(c.minSpend),
    apply_range: APPLY_RANGE[c.scope],
  };
}

const CLAIM_STATE = {
  available: { text: '正常', value: 1 },
  limit_reached: { text: '已领取', value: 0 },
  run_out: { text: '已抢光', value: 0 },
} as const;

/** One coupon of the coupon centre. */
export function toClaimableCoupon(c: ClaimableCoupon, now: Date, env: MappingEnv) {
  return {
    ...termsOf(c),
    expire_type: c.validDays === null ? EXPIRE_TYPE.dates : EXPIRE_TYPE.afterClaiming,
    expire_day: c.validDays ?? 0,
    start_time: day(c.startsAt ?? now, env),
    end_time: c.endsAt ? lastDay(c.endsAt, env) : '长期有效',
    is_receive: c.claimedByMe > 0,
    state: CLAIM_STATE[c.claimState],
  };
}

const WALLET_STATE = {
  unused: { text: '正常', value: 1 },
  used: { text: '已使用', value: 0 },
  expired: { text: '已过期', value: 0 },
} as const;

/** One coupon of the member's wallet. */
export function toMyCoupon(c: WalletCoupon, env: MappingEnv) {
  return {
    user_coupon_id: c.id,
    ...termsOf(c),
    start_time: day(c.validFrom ?? c.claimedAt, env),
    end_time: c.validUntil ? lastDay(c.validUntil, env) : '长期有效',
    is_use: c.state === 'used' ? 1 : 0,
    is_expire: c.state === 'expired' ? 1 : 0,
    state: WALLET_STATE[c.state],
  };
}
