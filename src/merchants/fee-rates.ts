import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';

/**
 * The order's income on what it keeps now (paid less refunded), recomputed whenever that changes: less what the
 * payment channel keeps, by the merchant's rate for the method of the order's first money-holding payment
 * (hundredths of a percent, 60 = 0.60 %), rounded half up to the fen. One statement: no rate, no fee.
 */
export async function refreshMerchantIncome(trx: Db, orderId: number): Promise<void> {
  await sql`
    update orders set merchant_income = kept - coalesce((
        select (kept * fee_rates.basis_points + 5000) / 10000 from fee_rates
        where fee_rates.merchant_id = orders.merchant_id
          and fee_rates.method = (
            select method from payments where order_id = orders.id and status in ('paid', 'partially_refunded', 'refunded') order by id limit 1
          )
      ), 0)
    from (select id, paid_amount - refunded_amount as kept from orders where id = ${orderId}) as order_kept
    where orders.id = order_kept.id`.execute(trx);
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
