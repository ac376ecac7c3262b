import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { allocateByLargestRemainder } from '../domain/allocation.ts';
import { REFUND_REQUEST_OPEN, type OrderRefundStatus } from '../domain/refund-request-status.ts';
import { AppError } from '../errors.ts';

/**
 * What can still be refunded of a line: what the buyer paid for it (its total after its share of the order's
 * discounts) less what was refunded and what is being refunded.
 */
export const refundableOf = (line: { line_total: number; refunded_amount: number; refund_pending_amount: number }) =>
  Math.max(0, line.line_total - line.refunded_amount - line.refund_pending_amount);

/**
 * Reserves `amount` of a line for a refund with one guarded cumulative update: two requests racing on one line
 * cannot both pass if together they exceed what was paid for it.
 */
export async function holdLineRefund(trx: Db, lineId: number, amount: number): Promise<void> {
  const held = await trx
    .updateTable('order_lines')
    .set({ refund_pending_amount: sql`refund_pending_amount + ${amount}`, refunding: true })
    .where('id', '=', lineId)
    .where(sql<boolean>`line_total - refunded_amount - refund_pending_amount >= ${amount}`)
    .executeTakeFirst();
  if (held.numUpdatedRows === 0n)
    throw new AppError('exceeds_refundable', 'that is more than can still be refunded for the line', { lineId });
}

/** Ends a line's hold: moved into refunded (succeeded) or given back (rejected, failed). */
export async function releaseLineRefund(trx: Db, lineId: number, amount: number, succeeded: boolean): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set({
      refund_pending_amount: sql`refund_pending_amount - ${amount}`,
      refunded_amount: succeeded ? sql`refunded_amount + ${amount}` : sql`refunded_amount`,
      refunding: sql<boolean>`refund_pending_amount - ${amount} > 0`,
    })
    .where('id', '=', lineId)
    .execute();
}

/** none / requested / partially_refunded / refunded, from the order's amounts and its lines' holds. */
export async function refreshRefundStatus(trx: Db, orderId: number, now: Date): Promise<OrderRefundStatus> {
  const order = await trx
    .selectFrom('orders')
    .select(['paid_amount', 'refunded_amount'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const open = await trx
    .selectFrom('refund_requests')
    .select('id')
    .where('order_id', '=', orderId)
    .where('status', 'in', REFUND_REQUEST_OPEN)
    .limit(1)
    .executeTakeFirst();
  const status: OrderRefundStatus =
    order.paid_amount > 0 && order.refunded_amount >= order.paid_amount
      ? 'refunded'
      : open
        ? 'requested'
        : order.refunded_amount > 0
          ? 'partially_refunded'
          : 'none';
  await trx.updateTable('orders').set({ refund_status: status, updated_at: now }).where('id', '=', orderId).execute();
  return status;
}

/**
 * Shares an order-level refund (a till refund, the unused part of a deposit) over the lines by largest remainder
 * of what each can still give back, so no line is asked for more than it has.
 */
export function allocateRefund(
  lines: readonly { id: number; line_total: number; refunded_amount: number; refund_pending_amount: number }[],
  amount: number,
): { lineId: number; amount: number }[] {
  const refundable = lines.map(refundableOf);
  if (amount > refundable.reduce((a, b) => a + b, 0))
    throw new AppError('exceeds_refundable', 'that is more than can still be refunded');
  return allocateByLargestRemainder(amount, refundable)
    .map((share, i) => ({ lineId: lines[i]!.id, amount: share }))
    .filter((l) => l.amount > 0);
}
