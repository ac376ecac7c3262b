import type { Selectable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { CouponsTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export interface Coupon {
  id: number;
  code: string;
  title: string;
  kind: 'fixed' | 'percent';
  amountOff: number;
  percentOff: number;
  maxOff: number | null;
  minSpend: number;
  startsAt: Date | null;
  endsAt: Date | null;
  totalQuantity: number | null;
  usedQuantity: number;
}

const toCoupon = (c: Selectable<CouponsTable>): Coupon => ({
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
});

export type CouponInput = Omit<Coupon, 'id' | 'usedQuantity' | 'amountOff' | 'percentOff' | 'maxOff' | 'startsAt' | 'endsAt' | 'totalQuantity' | 'title'> &
  Partial<Pick<Coupon, 'amountOff' | 'percentOff' | 'maxOff' | 'startsAt' | 'endsAt' | 'totalQuantity' | 'title'>>;

export async function listCoupons(ctx: AppContext, merchantId: number): Promise<Coupon[]> {
  const rows = await ctx.db.selectFrom('coupons').selectAll().where('merchant_id', '=', merchantId).orderBy('id').execute();
  return rows.map(toCoupon);
}

export async function createCoupon(ctx: AppContext, merchantId: number, input: CouponInput): Promise<Coupon> {
  if (input.kind === 'fixed' && !input.amountOff) throw new AppError('validation_failed', 'a fixed coupon needs amountOff > 0');
  if (input.kind === 'percent' && !input.percentOff) throw new AppError('validation_failed', 'a percent coupon needs percentOff between 1 and 99');
  if (input.startsAt && input.endsAt && input.startsAt >= input.endsAt) throw new AppError('validation_failed', 'startsAt must be before endsAt');
  const row = await ctx.db
    .insertInto('coupons')
    .values({
      merchant_id: merchantId,
      code: input.code,
      title: input.title,
      kind: input.kind,
      amount_off: input.kind === 'fixed' ? input.amountOff : 0,
      percent_off: input.kind === 'percent' ? input.percentOff : 0,
      max_off: input.maxOff ?? null,
      min_spend: input.minSpend,
      starts_at: input.startsAt ?? null,
      ends_at: input.endsAt ?? null,
      total_quantity: input.totalQuantity ?? null,
    })
    .onConflict((oc) => oc.columns(['merchant_id', 'code']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'a coupon with that code exists', { code: input.code });
  return toCoupon(row);
}
