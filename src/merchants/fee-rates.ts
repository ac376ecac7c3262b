import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';

/**
 * What a merchant earns on `kept` fen paid with `method`: less what the payment channel keeps, by the merchant's
 * rate for the method (hundredths of a percent, 60 = 0.60 %), rounded half up to the fen. No rate, no fee.
 */
export function incomeAfterFee(
  kept: RawBuilder<number>,
  merchantId: RawBuilder<number>,
  method: RawBuilder<string>,
): RawBuilder<number> {
  return sql<number>`${kept} - coalesce((select (${kept} * basis_points + 5000) / 10000 from fee_rates where merchant_id = ${merchantId} and method = ${method}), 0)`;
}

/**
 * The order's income on what it keeps now (paid less refunded), recomputed whenever that changes; the fee is at
 * the rate of the method of the order's first money-holding payment. One statement.
 */
export async function refreshMerchantIncome(trx: Db, orderId: number): Promise<void> {
  const firstMethod = sql<string>`(select method from payments where order_id = orders.id and status in ('paid', 'partially_refunded', 'refunded') order by id limit 1)`;
  await sql`
    update orders set merchant_income = ${incomeAfterFee(sql`(orders.paid_amount - orders.refunded_amount)`, sql`orders.merchant_id`, firstMethod)}
    where id = ${orderId}`.execute(trx);
}

export async function listFeeRates(
  ctx: AppContext,
  merchantId: number,
): Promise<{ method: string; basisPoints: number }[]> {
  const rows = await ctx.db
    .selectFrom('fee_rates')
    .select(['method', 'basis_points'])
    .where('merchant_id', '=', merchantId)
    .orderBy('method')
    .execute();
  return rows.map((r) => ({ method: r.method, basisPoints: r.basis_points }));
}

export async function setFeeRate(
  ctx: AppContext,
  merchantId: number,
  method: string,
  basisPoints: number,
): Promise<void> {
  await ctx.db
    .insertInto('fee_rates')
    .values({ merchant_id: merchantId, method, basis_points: basisPoints })
    .onConflict((oc) => oc.columns(['merchant_id', 'method']).doUpdateSet({ basis_points: basisPoints }))
    .execute();
}
