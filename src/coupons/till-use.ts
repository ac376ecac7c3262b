import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Fen } from '../domain/money.ts';
import { priceOrder } from '../domain/pricing.ts';
import { couponRefused } from './refusals.ts';
import { couponRuleOf } from './scope.ts';

/**
 * A member shows a wallet coupon at a till, which takes its discount off a sale of `amount` and marks it used there
 * and then (XxPay's 核销): the till's sale is recorded afterwards for what is left to pay, so the use has no order of
 * its own — `used_at` set, `order_id` null. A till sale names no goods, so only a coupon for all goods applies.
 * Checked and used in one guarded update: of two tills showing the same coupon at once, one gets it.
 */
export async function useWalletCouponAtTill(
  trx: Db,
  use: { merchantId: number; walletCouponId: number; amount: Fen },
  now: Date,
): Promise<{ discount: Fen; memberId: number; couponId: number }> {
  const row = await trx
    .selectFrom('member_coupons as w')
    .innerJoin('coupons as c', 'c.id', 'w.coupon_id')
    .selectAll('c')
    .select(['w.member_id', 'w.used_at', 'w.valid_from', 'w.valid_until'])
    .where('w.id', '=', use.walletCouponId)
    .where('w.merchant_id', '=', use.merchantId)
    .executeTakeFirst();
  if (!row) throw couponRefused('not_found', { memberCouponId: use.walletCouponId });
  if (row.used_at !== null) throw couponRefused('used', { memberCouponId: use.walletCouponId });
  if (row.valid_from !== null && row.valid_from > now) throw couponRefused('not_started');
  if (row.valid_until !== null && row.valid_until <= now) throw couponRefused('expired');
  if (row.scope !== 'all') throw couponRefused('not_in_scope');
  const priced = priceOrder({
    lines: [{ key: '0', unitPrice: use.amount, quantity: 1 }],
    coupon: couponRuleOf(row, []),
    shipping: { kind: 'flat', fee: 0 },
  });
  if (!priced.coupon.applied)
    throw couponRefused(priced.coupon.reason === 'none' ? 'not_in_scope' : priced.coupon.reason);
  const taken = await trx
    .updateTable('member_coupons')
    .set({ used_at: now })
    .where('id', '=', use.walletCouponId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (taken.numUpdatedRows === 0n) throw couponRefused('used', { memberCouponId: use.walletCouponId });
  await trx
    .updateTable('coupons')
    .set({ used_quantity: sql`used_quantity + 1` })
    .where('id', '=', row.id)
    .execute();
  return { discount: priced.couponDiscount, memberId: row.member_id, couponId: row.id };
}
