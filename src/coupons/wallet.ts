import { sql, type Selectable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { CouponsTable } from '../db/schema.ts';
import { priceOrder } from '../domain/pricing.ts';
import { notFound } from '../errors.ts';
import type { Fen } from '../domain/money.ts';
import type { CouponScope } from './coupons.ts';
import type { CouponReason } from './refusals.ts';
import { couponRuleOf, type ScopedLine } from './scope.ts';

/** A coupon's terms as a member sees them. */
export interface CouponTerms {
  couponId: number;
  title: string;
  kind: 'fixed' | 'percent';
  amountOff: Fen;
  percentOff: number;
  maxOff: Fen | null;
  minSpend: Fen;
  scope: CouponScope;
  scopeIds: number[];
}

export type WalletState = 'unused' | 'used' | 'expired';

/** A coupon in a member's wallet. */
export interface WalletCoupon extends CouponTerms {
  id: number;
  validFrom: Date | null;
  validUntil: Date | null;
  claimedAt: Date;
  /** the order using it; null while it is in the wallet, or when it was used at a till (state `used`) */
  orderId: number | null;
  state: WalletState;
}

/** A template the coupon centre offers, with what stands between this member and claiming one. */
export interface ClaimableCoupon extends CouponTerms {
  validDays: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  perMemberLimit: number | null;
  /** how many are left to claim; null = no limit */
  remaining: number | null;
  claimedByMe: number;
  /** `available`, or why not: this member reached the limit, or none are left */
  claimState: 'available' | 'limit_reached' | 'run_out';
}

const termsOf = (c: Selectable<CouponsTable>, couponId = c.id): CouponTerms => ({
  couponId,
  title: c.title,
  kind: c.kind,
  amountOff: c.amount_off,
  percentOff: c.percent_off,
  maxOff: c.max_off,
  minSpend: c.min_spend,
  scope: c.scope,
  scopeIds: c.scope_ids,
});

type Buyer = { merchantId: number; memberId: number };

/** The claimable templates of a merchant that have not ended, newest first; per member when one is signed in. */
export async function claimableCoupons(
  ctx: AppContext,
  merchantId: number,
  memberId: number | null,
): Promise<ClaimableCoupon[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .selectFrom('coupons as c')
    .selectAll('c')
    .select((eb) =>
      eb
        .selectFrom('member_coupons as w')
        .select((w) => w.fn.countAll<string>().as('n'))
        .whereRef('w.coupon_id', '=', 'c.id')
        .where('w.member_id', '=', memberId ?? 0)
        .as('claimed_by_me'),
    )
    .where('c.merchant_id', '=', merchantId)
    .where('c.claimable', '=', true)
    .where((eb) => eb.or([eb('c.ends_at', 'is', null), eb('c.ends_at', '>', now)]))
    .orderBy('c.id', 'desc')
    .limit(100)
    .execute();
  return rows.map(({ claimed_by_me, ...c }) => {
    const claimedByMe = Number(claimed_by_me ?? 0);
    const remaining = c.total_quantity === null ? null : Math.max(0, c.total_quantity - c.claimed_quantity);
    return {
      ...termsOf(c),
      validDays: c.valid_days,
      startsAt: c.starts_at,
      endsAt: c.ends_at,
      perMemberLimit: c.per_member_limit,
      remaining,
      claimedByMe,
      claimState:
        c.per_member_limit !== null && claimedByMe >= c.per_member_limit
          ? 'limit_reached'
          : remaining === 0
            ? 'run_out'
            : 'available',
    };
  });
}

/** A page of a member's wallet, one state or all: unused (soonest to expire first), used, expired (latest first). */
export async function listWallet(
  ctx: AppContext,
  buyer: Buyer,
  filter: { state?: WalletState; page: number; pageSize: number },
): Promise<{ items: WalletCoupon[]; total: number }> {
  const now = ctx.clock.now();
  let query = ctx.db
    .selectFrom('member_coupons as w')
    .innerJoin('coupons as c', 'c.id', 'w.coupon_id')
    .where('w.member_id', '=', buyer.memberId)
    .where('w.merchant_id', '=', buyer.merchantId);
  // used: by an order (order_id) or at a till with no order of its own (used_at only)
  if (filter.state === 'used') query = query.where('w.used_at', 'is not', null);
  else if (filter.state === 'unused')
    query = query
      .where('w.used_at', 'is', null)
      .where((eb) => eb.or([eb('w.valid_until', 'is', null), eb('w.valid_until', '>', now)]));
  else if (filter.state === 'expired') query = query.where('w.used_at', 'is', null).where('w.valid_until', '<=', now);
  const [rows, count] = await Promise.all([
    query
      .selectAll('c')
      .select(['w.id as wallet_id', 'w.valid_from', 'w.valid_until', 'w.claimed_at', 'w.order_id', 'w.used_at'])
      .orderBy(filter.state === 'unused' ? sql`w.valid_until asc nulls last` : sql`w.claimed_at desc`)
      .orderBy('w.id', 'desc')
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((row) => walletCouponOf(row, now)), total: Number(count.n) };
}

/** One coupon of a member's wallet. */
export async function getWalletCoupon(ctx: AppContext, buyer: Buyer, walletCouponId: number): Promise<WalletCoupon> {
  const row = await ctx.db
    .selectFrom('member_coupons as w')
    .innerJoin('coupons as c', 'c.id', 'w.coupon_id')
    .selectAll('c')
    .select(['w.id as wallet_id', 'w.valid_from', 'w.valid_until', 'w.claimed_at', 'w.order_id', 'w.used_at'])
    .where('w.id', '=', walletCouponId)
    .where('w.member_id', '=', buyer.memberId)
    .where('w.merchant_id', '=', buyer.merchantId)
    .executeTakeFirst();
  if (!row) throw notFound('wallet coupon', { memberCouponId: walletCouponId });
  return walletCouponOf(row, ctx.clock.now());
}

function walletCouponOf(
  row: Selectable<CouponsTable> & {
    wallet_id: number;
    valid_from: Date | null;
    valid_until: Date | null;
    claimed_at: Date;
    order_id: number | null;
    used_at: Date | null;
  },
  now: Date,
): WalletCoupon {
  return {
    ...termsOf(row),
    id: row.wallet_id,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    claimedAt: row.claimed_at,
    orderId: row.order_id,
    state: row.used_at !== null ? 'used' : row.valid_until !== null && row.valid_until <= now ? 'expired' : 'unused',
  };
}

/** A wallet coupon offered at checkout: what it would take off these lines, or why it does not apply. */
export interface CheckoutWalletCoupon {
  walletCoupon: WalletCoupon;
  usable: boolean;
  /** fen off the lines given (0 when not usable) */
  discount: Fen;
  reason: Extract<CouponReason, 'not_started' | 'min_spend_not_met' | 'not_in_scope'> | null;
}

/**
 * The member's unused, unexpired wallet coupons against some checkout lines (`amount`: the line's goods after the
 * grade discount, which is what a coupon's minimum spend and discount count): the usable ones first, the largest
 * discount first, then the ones that do not apply with their reason.
 */
export async function walletCouponsForLines(
  db: Db,
  buyer: Buyer,
  lines: readonly (ScopedLine & { amount: Fen })[],
  now: Date,
): Promise<CheckoutWalletCoupon[]> {
  const rows = await db
    .selectFrom('member_coupons as w')
    .innerJoin('coupons as c', 'c.id', 'w.coupon_id')
    .selectAll('c')
    .select(['w.id as wallet_id', 'w.valid_from', 'w.valid_until', 'w.claimed_at', 'w.order_id', 'w.used_at'])
    .where('w.member_id', '=', buyer.memberId)
    .where('w.merchant_id', '=', buyer.merchantId)
    .where('w.used_at', 'is', null)
    .where((eb) => eb.or([eb('w.valid_until', 'is', null), eb('w.valid_until', '>', now)]))
    .orderBy('w.id')
    .limit(200)
    .execute();
  const offers = rows.map((row): CheckoutWalletCoupon => {
    const walletCoupon = walletCouponOf(row, now);
    if (row.valid_from !== null && row.valid_from > now)
      return { walletCoupon, usable: false, discount: 0, reason: 'not_started' };
    if (lines.length === 0) return { walletCoupon, usable: false, discount: 0, reason: 'not_in_scope' };
    const priced = priceOrder({
      lines: lines.map((line, i) => ({ key: String(i), unitPrice: line.amount, quantity: 1 })),
      coupon: couponRuleOf(row, lines),
      shipping: { kind: 'flat', fee: 0 },
    });
    return priced.coupon.applied
      ? { walletCoupon, usable: true, discount: priced.couponDiscount, reason: null }
      : {
          walletCoupon,
          usable: false,
          discount: 0,
          reason: priced.coupon.reason === 'none' ? 'not_in_scope' : priced.coupon.reason,
        };
  });
  return offers.sort((a, b) => Number(b.usable) - Number(a.usable) || b.discount - a.discount);
}
