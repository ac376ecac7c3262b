import type { AppContext } from '../context.ts';

/**
 * The refund number a buyer would ask about, per order id: the order's latest refund request, else the latest
 * refund ordo made by itself (a cancel request, a payment that arrived after the order closed). Orders with
 * neither are absent.
 */
export async function latestRefundNumbers(ctx: AppContext, orderIds: readonly number[]): Promise<Map<number, string>> {
  const latest = new Map<number, string>();
  if (!orderIds.length) return latest;
  const [requests, paymentRefunds] = await Promise.all([
    ctx.db
      .selectFrom('refund_requests')
      .select(['order_id', 'refund_no'])
      .where('order_id', 'in', orderIds)
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('payment_refunds')
      .select(['order_id', 'out_refund_no'])
      .where('order_id', 'in', orderIds)
      .orderBy('id')
      .execute(),
  ]);
  for (const r of paymentRefunds) latest.set(r.order_id, r.out_refund_no);
  // a request, where there is one, wins over a refund ordo made by itself
  for (const r of requests) latest.set(r.order_id, r.refund_no);
  return latest;
}
