import { AppError } from '../errors.ts';

/**
 * Why a coupon cannot be claimed or used, as data: the canonical API answers `details.couponReason`, and each
 * dialect says it in its own words.
 */
export const COUPON_REASONS = {
  not_found: 'no such coupon',
  run_out: 'the coupon has run out',
  ended: 'the coupon has ended',
  limit_reached: 'you have claimed this coupon as many times as one member may',
  used: 'the coupon is used by another order',
  not_started: 'the coupon is not valid yet',
  expired: 'the coupon has expired',
  min_spend_not_met: 'the order does not reach the coupon minimum spend',
  not_in_scope: 'the coupon does not cover any goods of this order',
} as const;

export type CouponReason = keyof typeof COUPON_REASONS;

/**
 * A coupon the request names in its body that cannot be used is 422, an unknown one included (the route itself
 * exists); a coupon the path names that does not exist is 404 (`where: 'path'`).
 */
export function couponRefused(
  reason: CouponReason,
  details: Record<string, unknown> = {},
  where: 'body' | 'path' = 'body',
): AppError {
  const code = reason === 'not_found' && where === 'path' ? 'not_found' : 'unprocessable';
  return new AppError(code, COUPON_REASONS[reason], {
    ...details,
    couponReason: reason,
  });
}

/** The reason an AppError carries, when it is a coupon's refusal. */
export function couponReasonOf(err: unknown): CouponReason | null {
  const reason = err instanceof AppError ? err.details?.couponReason : undefined;
  return typeof reason === 'string' && Object.hasOwn(COUPON_REASONS, reason) ? (reason as CouponReason) : null;
}
