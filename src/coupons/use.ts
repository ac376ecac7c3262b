import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { CouponsTable } from '../db/schema.ts';
import { claimCoupon } from './claim.ts';
import { couponRefused, type CouponReason } from './refusals.ts';

export type CouponChoice = { memberCouponId: number } | { couponCode: string };

export interface CheckoutCoupon {
  coupon: Selectable<CouponsTable>;
  /** the wallet coupon the order will use; null when a typed code claims a new one at placement */
  walletCouponId: number | null;
}

/**
 * The coupon an order asks for — a wallet coupon by id, or a template by code — with the reason it cannot be used
 * now, read without writing. Placement writes through useCouponOnOrder, whose guards decide under concurrency.
 */
export async function couponForCheckout(
  db: Db,
  buyer: { merchantId: number; memberId: number },
  choice: CouponChoice,
  now: Date,
): Promise<{ found: CheckoutCoupon | null; reason: CouponReason | null }> {
  if ('memberCouponId' in choice) {
    const row = await db
      .selectFrom('member_coupons as w')
      .innerJoin('coupons as c', 'c.id', 'w.coupon_id')
      .selectAll('c')
      .select(['w.id as wallet_id', 'w.used_at', 'w.valid_from', 'w.valid_until'])
      .where('w.id', '=', choice.memberCouponId)
      .where('w.member_id', '=', buyer.memberId)
      .where('w.merchant_id', '=', buyer.merchantId)
      .executeTakeFirst();
    if (!row) return { found: null, reason: 'not_found' };
    const { wallet_id, used_at, valid_from, valid_until, ...coupon } = row;
    const reason =
      used_at !== null
        ? 'used'
        : valid_from !== null && valid_from > now
          ? 'not_started'
          : valid_until !== null && valid_until <= now
            ? 'expired'
            : null;
    return reason ? { found: null, reason } : { found: { coupon, walletCouponId: wallet_id }, reason: null };
  }

  const coupon = await db
    .selectFrom('coupons')
    .selectAll()
    .where('merchant_id', '=', buyer.merchantId)
    .where('code', '=', choice.couponCode)
    .executeTakeFirst();
  if (!coupon) return { found: null, reason: 'not_found' };
  // a coupon of this code already in the wallet (claimed before, or given back by a cancelled order) is used first
  const inWallet = await db
    .selectFrom('member_coupons')
    .select('id')
    .where('coupon_id', '=', coupon.id)
    .where('member_id', '=', buyer.memberId)
    .where('used_at', 'is', null)
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', now)]))
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
    .orderBy(sql`valid_until nulls last`)
    .orderBy('id')
    .executeTakeFirst();
  if (inWallet) return { found: { coupon, walletCouponId: inWallet.id }, reason: null };
  const reason = await whyCodeCannotBeClaimed(db, coupon, buyer.memberId, now);
  return reason ? { found: null, reason } : { found: { coupon, walletCouponId: null }, reason: null };
}

async function whyCodeCannotBeClaimed(
  db: Db,
  coupon: Selectable<CouponsTable>,
  memberId: number,
  now: Date,
): Promise<CouponReason | null> {
  if (coupon.valid_days === null && coupon.starts_at !== null && coupon.starts_at > now) return 'not_started';
  if (coupon.ends_at !== null && coupon.ends_at <= now) return 'ended';
  if (coupon.total_quantity !== null && coupon.claimed_quantity >= coupon.total_quantity) return 'run_out';
  if (coupon.per_member_limit === null) return null;
  const { claimed } = await db
    .selectFrom('member_coupons')
    .select((eb) => eb.fn.countAll<string>().as('claimed'))
    .where('coupon_id', '=', coupon.id)
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  return Number(claimed) >= coupon.per_member_limit ? 'limit_reached' : null;
}

/**
 * Marks the order's coupon used, in the placement transaction after the order row exists. A typed code without a
 * wallet coupon claims one first (the template's guards: quantity, end, per-member limit). Using is one guarded
 * update — only while no order holds the wallet coupon and it is valid — so of concurrent orders naming the same
 * wallet coupon exactly one gets it; the others are refused and roll back.
 */
export async function useCouponOnOrder(
  trx: Db,
  use: { merchantId: number; memberId: number; orderId: number } & CheckoutCoupon,
  now: Date,
): Promise<void> {
  const walletCouponId =
    use.walletCouponId ??
    (
      await claimCoupon(
        trx,
        { merchantId: use.merchantId, memberId: use.memberId, couponId: use.coupon.id, via: 'code' },
        now,
      )
    ).walletCouponId;
  const taken = await trx
    .updateTable('member_coupons')
    .set({ order_id: use.orderId, used_at: now })
    .where('id', '=', walletCouponId)
    .where('member_id', '=', use.memberId)
    .where('used_at', 'is', null)
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', now)]))
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
    .returning('coupon_id')
    .executeTakeFirst();
  if (!taken) throw couponRefused('used', { memberCouponId: walletCouponId });
  await trx
    .updateTable('coupons')
    .set({ used_quantity: sql`used_quantity + 1` })
    .where('id', '=', taken.coupon_id)
    .execute();
}

/**
 * Gives the coupon an unpaid order used back to the member's wallet (its validity unchanged). Only in the
 * transaction whose guarded transition moved the order out of its holding status, so it happens once.
 */
export async function releaseOrderCoupon(trx: Db, orderId: number): Promise<void> {
  const released = await trx
    .updateTable('member_coupons')
    .set({ order_id: null, used_at: null })
    .where('order_id', '=', orderId)
    .returning('coupon_id')
    .executeTakeFirst();
  if (!released) return;
  await trx
    .updateTable('coupons')
    .set({ used_quantity: sql`used_quantity - 1` })
    .where('id', '=', released.coupon_id)
    .where('used_quantity', '>', 0)
    .execute();
}
