import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { takeBackOrderPoints, type OrderPoints } from '../members/order-points.ts';
import { refreshMerchantIncome } from '../merchants/fee-rates.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { REFUND_REQUEST_STATES } from '../domain/refund-request-status.ts';
import { applyRefundRequestTransition } from '../refunds/apply-refund-request-transition.ts';
import { lockRefundedOrder } from '../refunds/lock-refunded-order.ts';
import { emitRefundEvent } from '../refunds/refund-events.ts';
import { refreshRefundStatus, releaseLineRefund } from '../refunds/refund-amounts.ts';

/**
 * The money of an after-sales refund has gone back (or could not): in the same transaction as the payment
 * refund's guarded status change, so exactly once. On success the held line amounts become refunded, the order's
 * refunded amount and refund status follow, and the member's totals and points shrink by what they no longer
 * paid; on failure the holds are released.
 */
export async function finishRefundRequest(trx: Db, requestId: number, succeeded: boolean, now: Date): Promise<void> {
  const request = await trx
    .selectFrom('refund_requests')
    .selectAll()
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const event = succeeded ? 'succeed' : 'fail';
  // a request settles once: one that is not refunding (or no longer) is left alone
  if (!REFUND_REQUEST_STATES.next(request.status, event)) return;
  await lockRefundedOrder(trx, request.order_id);
  if (!(await applyRefundRequestTransition(trx, request, event, { completed_at: now }))) return;
  const lines = await trx
    .selectFrom('refund_request_lines')
    .selectAll()
    .where('refund_request_id', '=', request.id)
    .execute();
  for (const l of lines) await releaseLineRefund(trx, l.order_line_id, l.amount, succeeded);
  const total = request.amount + request.shipping_amount;
  const actor = { kind: 'system' as const, id: null };
  if (succeeded) {
    const order = await trx
      .updateTable('orders')
      .set({ refunded_amount: sql`refunded_amount + ${total}`, updated_at: now })
      .where('id', '=', request.order_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (order.member_id !== null) await shrinkMemberTotals(trx, order, total, now);
    await refreshMerchantIncome(trx, order.id);
  }
  await emitRefundEvent(trx, request, succeeded ? 'refund.succeeded' : 'refund.failed', now);
  await recordOrderEvent(trx, request.order_id, succeeded ? 'refund_succeeded' : 'refund_failed', {
    actor,
    now,
    data: { refundNo: request.refund_no, amount: total },
  });
  await refreshRefundStatus(trx, request.order_id, now);
}

/**
 * Totals paid and spent shrink by the money returned (spent only once the order was credited: completed, or a till
 * sale once paid); the points the order gives come down to the points of what it keeps.
 */
async function shrinkMemberTotals(
  trx: Db,
  order: OrderPoints & { status: string; order_type: string },
  refunded: number,
  now: Date,
) {
  const memberId = order.member_id!;
  // a till sale counts as completed once paid (its points were given then)
  const completed = order.status === 'completed' || order.order_type === 'pos';
  await trx
    .updateTable('members')
    .set({
      pay_money: sql`greatest(pay_money - ${refunded}, 0)`,
      ...(completed ? { expend_money: sql`greatest(expend_money - ${refunded}, 0)` } : {}),
      updated_at: now,
    })
    .where('id', '=', memberId)
    .execute();
  await takeBackOrderPoints(trx, order, now);
}
