import type { AppContext } from '../context.ts';

/** The ids of the voucher pictures uploaded for these payments, per payment id, in upload order. */
export async function listVoucherImageIds(
  ctx: AppContext,
  paymentIds: readonly number[],
): Promise<Map<number, number[]>> {
  const byPayment = new Map<number, number[]>();
  if (!paymentIds.length) return byPayment;
  const rows = await ctx.db
    .selectFrom('voucher_images')
    .select(['id', 'payment_id'])
    .where('payment_id', 'in', paymentIds)
    .orderBy('id')
    .execute();
  for (const row of rows) byPayment.set(row.payment_id, [...(byPayment.get(row.payment_id) ?? []), row.id]);
  return byPayment;
}
