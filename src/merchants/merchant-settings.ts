import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';

export interface MerchantSettings {
  id: number;
  name: string;
  orderTimeoutMinutes: number;
  /** shipped orders are confirmed received this many days after shipping */
  autoConfirmDays: number;
  /** received orders are completed (with a default review) after this many days */
  reviewWindowDays: number;
  /** completed orders are settled after this many days; the buyer cannot ask for refunds after that */
  refundWindowDays: number;
  /** points earned per yuan of a completed order */
  pointsPerYuan: number;
  /** points that make one yuan off at checkout */
  pointsPerYuanOff: number;
  /** at most this percent of an order can be paid with points */
  pointsMaxPercent: number;
}

export async function getMerchantSettings(ctx: AppContext, merchantId: number): Promise<MerchantSettings> {
  const row = await ctx.db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirst();
  if (!row) throw notFound('merchant', { merchantId });
  return {
    id: row.id,
    name: row.name,
    orderTimeoutMinutes: row.order_timeout_minutes,
    autoConfirmDays: row.auto_confirm_days,
    reviewWindowDays: row.review_window_days,
    refundWindowDays: row.refund_window_days,
    pointsPerYuan: row.points_per_yuan,
    pointsPerYuanOff: row.points_per_yuan_off,
    pointsMaxPercent: row.points_max_percent,
  };
}

/** A new timeout applies to orders placed from now on; orders already placed keep their `expires_at`. */
export async function updateMerchantSettings(
  ctx: AppContext,
  merchantId: number,
  changes: Partial<Omit<MerchantSettings, 'id'>>,
): Promise<MerchantSettings> {
  await ctx.db
    .updateTable('merchants')
    .set({
      name: changes.name,
      order_timeout_minutes: changes.orderTimeoutMinutes,
      auto_confirm_days: changes.autoConfirmDays,
      review_window_days: changes.reviewWindowDays,
      refund_window_days: changes.refundWindowDays,
      points_per_yuan: changes.pointsPerYuan,
      points_per_yuan_off: changes.pointsPerYuanOff,
      points_max_percent: changes.pointsMaxPercent,
    })
    .where('id', '=', merchantId)
    .execute();
  return getMerchantSettings(ctx, merchantId);
}
