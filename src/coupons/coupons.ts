import type { Selectable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { CouponsTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';

export type CouponScope = 'all' | 'products' | 'categories';

/**
 * A coupon template. Members claim it into their wallet (when `claimable`), or use it by typing its `code` (which
 * claims one and uses it in the same order). `totalQuantity` caps the claims, `perMemberLimit` one member's claims;
 * a wallet coupon is valid from `startsAt` to `endsAt`, or for `validDays` from claiming.
 */
export interface Coupon {
  id: number;
  code: string | null;
  title: string;
  kind: 'fixed' | 'percent';
  amountOff: number;
  percentOff: number;
  maxOff: number | null;
  minSpend: number;
  startsAt: Date | null;
  endsAt: Date | null;
  totalQuantity: number | null;
  /** wallet coupons an unpaid or paid order holds now */
  usedQuantity: number;
  claimedQuantity: number;
  validDays: number | null;
  perMemberLimit: number | null;
  scope: CouponScope;
  /** the products or categories a scoped coupon covers */
  scopeIds: number[];
  claimable: boolean;
}

export const toCoupon = (c: Selectable<CouponsTable>): Coupon => ({
  id: c.id,
  code: c.code,
  title: c.title,
  kind: c.kind,
  amountOff: c.amount_off,
  percentOff: c.percent_off,
  maxOff: c.max_off,
  minSpend: c.min_spend,
  startsAt: c.starts_at,
  endsAt: c.ends_at,
  totalQuantity: c.total_quantity,
  usedQuantity: c.used_quantity,
  claimedQuantity: c.claimed_quantity,
  validDays: c.valid_days,
  perMemberLimit: c.per_member_limit,
  scope: c.scope,
  scopeIds: c.scope_ids,
  claimable: c.claimable,
});

const OPTIONAL_TERMS = [
  'code',
  'amountOff',
  'percentOff',
  'maxOff',
  'startsAt',
  'endsAt',
  'totalQuantity',
  'title',
  'validDays',
  'perMemberLimit',
  'scope',
  'scopeIds',
  'claimable',
] as const;
export type CouponInput = Pick<Coupon, 'kind' | 'minSpend'> & Partial<Pick<Coupon, (typeof OPTIONAL_TERMS)[number]>>;

/** A template's validity and reach, checked the same on create and change. */
function checkTemplate(c: {
  code?: string | null;
  claimable?: boolean;
  validDays?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  scope?: CouponScope;
  scopeIds?: number[];
}): void {
  if (!c.code && !c.claimable)
    throw new AppError('validation_failed', 'a coupon needs a code, or claimable: true, or members cannot get it');
  if (c.validDays && c.startsAt)
    throw new AppError(
      'validation_failed',
      'validity is either fixed dates (startsAt, endsAt) or validDays after claiming; endsAt then ends claiming',
    );
  const ids = c.scopeIds ?? [];
  if ((c.scope ?? 'all') === 'all' ? ids.length > 0 : ids.length === 0)
    throw new AppError('validation_failed', 'scopeIds name the products or categories of a scoped coupon, only');
}

export async function listCoupons(ctx: AppContext, merchantId: number): Promise<Coupon[]> {
  const rows = await ctx.db
    .selectFrom('coupons')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('id')
    .execute();
  return rows.map(toCoupon);
}

export async function createCoupon(ctx: AppContext, merchantId: number, input: CouponInput): Promise<Coupon> {
  if (input.kind === 'fixed' && !input.amountOff)
    throw new AppError('validation_failed', 'a fixed coupon needs amountOff > 0');
  if (input.kind === 'percent' && !input.percentOff)
    throw new AppError('validation_failed', 'a percent coupon needs percentOff between 1 and 99');
  if (input.startsAt && input.endsAt && input.startsAt >= input.endsAt)
    throw new AppError('validation_failed', 'startsAt must be before endsAt');
  checkTemplate(input);
  const row = await ctx.db
    .insertInto('coupons')
    .values({
      merchant_id: merchantId,
      code: input.code ?? null,
      title: input.title,
      kind: input.kind,
      amount_off: input.kind === 'fixed' ? input.amountOff : 0,
      percent_off: input.kind === 'percent' ? input.percentOff : 0,
      max_off: input.maxOff ?? null,
      min_spend: input.minSpend,
      starts_at: input.startsAt ?? null,
      ends_at: input.endsAt ?? null,
      total_quantity: input.totalQuantity ?? null,
      valid_days: input.validDays ?? null,
      per_member_limit: input.perMemberLimit ?? null,
      scope: input.scope ?? 'all',
      scope_ids: JSON.stringify(input.scopeIds ?? []),
      claimable: input.claimable ?? false,
    })
    .onConflict((oc) => oc.columns(['merchant_id', 'code']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'a coupon with that code exists', { code: input.code });
  return toCoupon(row);
}

export type CouponChanges = Partial<
  Pick<
    Coupon,
    'title' | 'kind' | 'amountOff' | 'percentOff' | 'maxOff' | 'minSpend' | 'startsAt' | 'endsAt' | 'totalQuantity'
  >
>;

/**
 * Changes a coupon's terms; its code stays (orders name it). Checked as a whole after the change, like a new
 * coupon. The row is locked while it changes, so an order taking the coupon at the same moment is counted against
 * the new quantity: a quantity below what is already used is refused.
 */
export async function updateCoupon(
  ctx: AppContext,
  merchantId: number,
  couponId: number,
  changes: CouponChanges,
): Promise<Coupon> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('coupons')
      .selectAll()
      .where('id', '=', couponId)
      .where('merchant_id', '=', merchantId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('coupon', { couponId });
    const next = { ...toCoupon(row), ...changes };
    if (next.kind === 'fixed' && !next.amountOff)
      throw new AppError('validation_failed', 'a fixed coupon needs amountOff > 0');
    if (next.kind === 'percent' && !(next.percentOff >= 1 && next.percentOff <= 99))
      throw new AppError('validation_failed', 'a percent coupon needs percentOff between 1 and 99');
    if (next.startsAt && next.endsAt && next.startsAt >= next.endsAt)
      throw new AppError('validation_failed', 'startsAt must be before endsAt');
    // claims count against the quantity, and every coupon an order uses was claimed
    if (next.totalQuantity !== null && next.totalQuantity < row.claimed_quantity) {
      throw new AppError(
        'validation_failed',
        `totalQuantity cannot be below the ${row.claimed_quantity} already claimed (${row.used_quantity} used)`,
        { usedQuantity: row.used_quantity, claimedQuantity: row.claimed_quantity },
      );
    }
    const updated = await trx
      .updateTable('coupons')
      .set({
        title: next.title,
        kind: next.kind,
        amount_off: next.kind === 'fixed' ? next.amountOff : 0,
        percent_off: next.kind === 'percent' ? next.percentOff : 0,
        max_off: next.maxOff,
        min_spend: next.minSpend,
        starts_at: next.startsAt,
        ends_at: next.endsAt,
        total_quantity: next.totalQuantity,
      })
      .where('id', '=', couponId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCoupon(updated);
  });
}

/**
 * Deletes a coupon no order has used. One that orders name stays for their history: end it instead (endsAt).
 * An order placed with it at the same moment either commits first (the delete is refused) or finds it gone.
 */
export async function deleteCoupon(ctx: AppContext, merchantId: number, couponId: number): Promise<void> {
  try {
    const deleted = await ctx.db
      .deleteFrom('coupons')
      .where('id', '=', couponId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (deleted.numDeletedRows === 0n) throw notFound('coupon', { couponId });
  } catch (err) {
    // orders.coupon_id or a member's wallet references it
    if ((err as { code?: string }).code === '23503')
      throw new AppError(
        'conflict',
        'orders used this coupon or members claimed it, so it stays for their history: end it instead (set endsAt)',
        { couponId },
      );
    throw err;
  }
}

/** The id of a merchant's coupon by its code (the command line names coupons by code). */
export async function couponIdByCode(ctx: AppContext, merchantId: number, code: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('coupons')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) throw notFound('coupon', { code });
  return row.id;
}
