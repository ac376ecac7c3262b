import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { AppError, notFound } from '../errors.ts';
import type { StaffPrincipal } from '../auth/tokens.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { publishOrderChange } from '../events/publish-order-change.ts';
import { MONEY_RECEIVED } from '../domain/payment-status.ts';
import { executePaymentRefund } from './refund-payment.ts';
import { refreshRefundStatus, releaseLineRefund } from '../refunds/refund-amounts.ts';
import { applyRefundRequestTransition, refundRequestMoveRefused } from '../refunds/apply-refund-request-transition.ts';
import { lockRefundedOrder } from '../refunds/lock-refunded-order.ts';
import { emitRefundEvent } from '../refunds/refund-events.ts';

async function pendingRequest(trx: Db, staff: StaffPrincipal, refundNo: string) {
  const request = await trx
    .selectFrom('refund_requests')
    .selectAll()
    .where('refund_no', '=', refundNo)
    .where('merchant_id', '=', staff.merchantId)
    .forUpdate()
    .executeTakeFirst();
  if (!request) throw notFound('refund', { refundNo });
  if (request.status !== 'requested')
    throw new AppError('invalid_state', `this refund is already ${request.status}`, { status: request.status });
  return request;
}

/**
 * Sends approved money back the way it came. The payment refund row is written in the same transaction as the
 * approval (one per request, by a unique index), then executed after commit; if the gateway call fails the
 * reconciliation job sends it again under the same refund number.
 */
export async function startRequestRefund(
  trx: Db,
  request: {
    id: number;
    order_id: number;
    merchant_id: number;
    refund_no: string;
    amount: number;
    shipping_amount: number;
    reason: string;
  },
  now: Date,
): Promise<number> {
  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', request.order_id)
    .where('status', 'in', [...MONEY_RECEIVED])
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!payment) throw new AppError('invalid_state', 'the order has no payment to refund');
  const refund = await trx
    .insertInto('payment_refunds')
    .values({
      merchant_id: request.merchant_id,
      order_id: request.order_id,
      payment_id: payment.id,
      out_refund_no: request.refund_no,
      amount: request.amount + request.shipping_amount,
      reason: request.reason.slice(0, 80) || 'after-sales refund',
      kind: 'after_sales',
      status: 'processing',
      refund_request_id: request.id,
      created_at: now,
      next_check_at: new Date(now.getTime() + 5_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return refund.id;
}

export async function approveRefund(
  ctx: AppContext,
  staff: StaffPrincipal,
  refundNo: string,
  note = '',
): Promise<{ status: string }> {
  const now = ctx.clock.now();
  const refundId = await ctx.db.transaction().execute(async (trx) => {
    const request = await pendingRequest(trx, staff, refundNo);
    const approved = await applyRefundRequestTransition(trx, request, 'approve', {
      reviewed_by: staff.staffId,
      reviewed_at: now,
      review_note: note,
    });
    if (!approved) throw refundRequestMoveRefused(request, 'approve');
    await recordOrderEvent(trx, request.order_id, 'refund_approve', {
      actor: { kind: 'staff', id: staff.staffId },
      now,
      note,
      data: { refundNo, amount: request.amount },
    });
    await emitRefundEvent(trx, request, 'refund.refunding', now);
    return startRequestRefund(trx, request, now);
  });
  await executePaymentRefund(ctx, refundId).catch((err) =>
    ctx.log.error({ err, refundNo }, 'refund call failed; reconciliation will retry'),
  );
  const after = await ctx.db
    .selectFrom('refund_requests')
    .select('status')
    .where('refund_no', '=', refundNo)
    .executeTakeFirstOrThrow();
  return { status: after.status };
}

export async function rejectRefund(
  ctx: AppContext,
  staff: StaffPrincipal,
  refundNo: string,
  reason: string,
): Promise<void> {
  const now = ctx.clock.now();
  const orderId = await ctx.db.transaction().execute(async (trx) => {
    const request = await pendingRequest(trx, staff, refundNo);
    await lockRefundedOrder(trx, request.order_id);
    const rejected = await applyRefundRequestTransition(trx, request, 'reject', {
      reviewed_by: staff.staffId,
      reviewed_at: now,
      review_note: reason,
      completed_at: now,
    });
    if (!rejected) throw refundRequestMoveRefused(request, 'reject');
    const lines = await trx
      .selectFrom('refund_request_lines')
      .selectAll()
      .where('refund_request_id', '=', request.id)
      .execute();
    for (const l of lines) await releaseLineRefund(trx, l.order_line_id, l.amount, false);
    await recordOrderEvent(trx, request.order_id, 'refund_reject', {
      actor: { kind: 'staff', id: staff.staffId },
      now,
      note: reason,
      data: { refundNo },
    });
    await emitRefundEvent(trx, request, 'refund.rejected', now);
    await refreshRefundStatus(trx, request.order_id, now);
    return request.order_id;
  });
  await publishOrderChange(ctx, orderId);
}
