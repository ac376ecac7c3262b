import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { couponRefused } from './refusals.ts';

const DAY_MS = 86_400_000;

export interface ClaimRequest {
  merchantId: number;
  memberId: number;
  couponId: number;
  /** `centre`: a member claims a claimable template; `code`: an order typed the template's code */
  via: 'centre' | 'code';
}

/**
 * Puts one coupon of a template into a member's wallet, in the caller's transaction. The template's counter goes up
 * in one guarded update (only while some are left and the template has not ended), which also locks the template
 * row until commit: concurrent claims of the same template queue there, so the member's count read after it
 * includes every claim committed before, and the per-member limit holds under concurrency. A refusal throws, and
 * the caller's rollback takes the counter back.
 */
export async function claimCoupon(trx: Db, request: ClaimRequest, now: Date): Promise<{ walletCouponId: number }> {
  const template = await trx
    .updateTable('coupons')
    .set({ claimed_quantity: sql`claimed_quantity + 1` })
    .where('id', '=', request.couponId)
    .where('merchant_id', '=', request.merchantId)
    .where((eb) =>
      eb.and([
        eb.or([eb('total_quantity', 'is', null), eb('claimed_quantity', '<', eb.ref('total_quantity'))]),
        eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]),
        ...(request.via === 'centre' ? [eb('claimable', '=', true)] : []),
      ]),
    )
    .returning(['id', 'per_member_limit', 'valid_days', 'starts_at', 'ends_at'])
    .executeTakeFirst();
  if (!template) throw await whyNotClaimable(trx, request, now);

  if (template.per_member_limit !== null) {
    const { claimed } = await trx
      .selectFrom('member_coupons')
      .select((eb) => eb.fn.countAll<string>().as('claimed'))
      .where('coupon_id', '=', template.id)
      .where('member_id', '=', request.memberId)
      .executeTakeFirstOrThrow();
    if (Number(claimed) >= template.per_member_limit)
      throw couponRefused('limit_reached', { couponId: template.id, perMemberLimit: template.per_member_limit });
  }

  const wallet = await trx
    .insertInto('member_coupons')
    .values({
      merchant_id: request.merchantId,
      coupon_id: template.id,
      member_id: request.memberId,
      valid_from: template.valid_days === null ? template.starts_at : now,
      valid_until:
        template.valid_days === null ? template.ends_at : new Date(now.getTime() + template.valid_days * DAY_MS),
      claimed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { walletCouponId: wallet.id };
}

async function whyNotClaimable(trx: Db, request: ClaimRequest, now: Date) {
  const template = await trx
    .selectFrom('coupons')
    .select(['claimable', 'ends_at'])
    .where('id', '=', request.couponId)
    .where('merchant_id', '=', request.merchantId)
    .executeTakeFirst();
  const details = { couponId: request.couponId };
  if (!template || (request.via === 'centre' && !template.claimable))
    return couponRefused('not_found', details, 'path');
  if (template.ends_at !== null && template.ends_at <= now) return couponRefused('ended', details);
  return couponRefused('run_out', details);
}
