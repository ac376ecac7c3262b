import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';

/**
 * What the payment channel keeps of an amount, by the merchant's rate for the method (hundredths of a percent,
 * 60 = 0.60 %), rounded half up to the fen. The merchant's income is the rest.
 */
export async function channelFee(db: Db, merchantId: number, method: string, amount: number): Promise<number> {
  const rate = await db.selectFrom('fee_rates').select('basis_points').where('merchant_id', '=', merchantId).where('method', '=', method).executeTakeFirst();
  return rate ? Math.floor((amount * rate.basis_points + 5_000) / 10_000) : 0;
}

/** The order's income on what it keeps now (paid less refunded), recomputed whenever that changes. */
export async function refreshMerchantIncome(trx: Db, orderId: number): Promise<void> {
  const order = await trx.selectFrom('orders').select(['merchant_id', 'paid_amount', 'refunded_amount']).where('id', '=', orderId).executeTakeFirstOrThrow();
  const payment = await trx.selectFrom('payments').select('method').where('order_id', '=', orderId).where('status', 'in', ['paid', 'partially_refunded', 'refunded']).orderBy('id').limit(1).executeTakeFirst();
  const kept = order.paid_amount - order.refunded_amount;
  const fee = payment ? await channelFee(trx, order.merchant_id, payment.method, kept) : 0;
  await trx.updateTable('orders').set({ merchant_income: kept - fee }).where('id', '=', orderId).execute();
}

export async function listFeeRates(ctx: AppContext, merchantId: number): Promise<{ method: string; basisPoints: number }[]> {
  const rows = await ctx.db.selectFrom('fee_rates').select(['method', 'basis_points']).where('merchant_id', '=', merchantId).orderBy('method').execute();
  return rows.map((r) => ({ method: r.method, basisPoints: r.basis_points }));
}

export async function setFeeRate(ctx: AppContext, merchantId: number, method: string, basisPoints: number): Promise<void> {
  await ctx.db
    .insertInto('fee_rates')
    .values({ merchant_id: merchantId, method, basis_points: basisPoints })
    .onConflict((oc) => oc.columns(['merchant_id', 'method']).doUpdateSet({ basis_points: basisPoints }))
    .execute();
}
