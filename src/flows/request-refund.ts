import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { RefundKind } from '../db/schema.ts';
import type { RefundRequestOpening } from '../domain/refund-request-status.ts';
import { AppError } from '../errors.ts';
import type { MemberPrincipal } from '../auth/tokens.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { emitEvent } from '../events/outbox.ts';
import { holdLineRefund, refreshRefundStatus, refundableOf } from '../refunds/refund-amounts.ts';
import { nextRefundNo } from '../refunds/refund-number.ts';
import { lockOrderInScope } from '../orders/order-in-scope.ts';

export interface RefundRequestInput {
  kind: Exclude<RefundKind, 'cancel'>;
  reason: string;
  imageUrls?: string[];
  /** each line and how much of it; the whole refundable amount when `amount` is left out */
  lines: { lineId: number; amount?: number }[];
}

const REFUNDABLE_STATUSES = new Set(['paid', 'shipped', 'received', 'completed']);

/**
 * The buyer asks for money back on chosen lines ("refund only" or "return and refund"), with a reason and
 * pictures. Each line's amount is held at once (never more than its refundable amount), staff decide later.
 */
export async function requestRefund(
  ctx: AppContext,
  member: MemberPrincipal,
  orderNo: string,
  input: RefundRequestInput,
): Promise<{ refundNo: string; amount: number }> {
  const now = ctx.clock.now();
  const { order, request } = await ctx.db.transaction().execute(async (trx) => {
    const order = await lockOrderInScope(trx, member, orderNo);
    if (!REFUNDABLE_STATUSES.has(order.status))
      throw new AppError('invalid_state', `an order that is ${order.status} cannot be refunded`, {
        status: order.status,
      });
    if (order.settled_at) throw new AppError('settled', 'the refund window of this order has closed');
    if (order.order_type === 'recharge')
      throw new AppError('invalid_state', 'a balance top-up cannot be refunded here');
    if (new Set(input.lines.map((l) => l.lineId)).size !== input.lines.length)
      throw new AppError('validation_failed', 'a line appears twice');
    const lines = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).execute();
    const wanted = input.lines.map((l) => {
      const line = lines.find((x) => x.id === l.lineId);
      if (!line) throw new AppError('validation_failed', 'the line is not part of this order', { lineId: l.lineId });
      const amount = l.amount ?? refundableOf(line);
      if (amount <= 0)
        throw new AppError('exceeds_refundable', 'nothing is left to refund on the line', { lineId: l.lineId });
      return { lineId: line.id, amount };
    });
    const request = await insertRefundRequest(trx, {
      order,
      memberId: member.memberId,
      kind: input.kind,
      reason: input.reason,
      imageUrls: input.imageUrls ?? [],
      lines: wanted,
      shippingAmount: 0,
      now,
      status: 'requested',
    });
    await recordOrderEvent(trx, order.id, 'refund_request', {
      actor: { kind: 'member', id: member.memberId },
      now,
      note: input.reason,
      data: { refundNo: request.refundNo, amount: request.amount, kind: input.kind },
    });
    await refreshRefundStatus(trx, order.id, now);
    return { order, request };
  });
  // staff watching the console see the request come in
  ctx.orderUpdates.publish(orderUpdateOf(order));
  return request;
}

export async function insertRefundRequest(
  trx: Db,
  r: {
    order: { id: number; order_no: string; merchant_id: number };
    memberId: number | null;
    kind: RefundKind;
    reason: string;
    imageUrls: string[];
    lines: { lineId: number; amount: number }[];
    shippingAmount: number;
    now: Date;
    status: RefundRequestOpening;
  },
): Promise<{ id: number; refundNo: string; amount: number }> {
  const refundNo = await nextRefundNo(trx, r.order);
  for (const l of r.lines) await holdLineRefund(trx, l.lineId, l.amount);
  const amount = r.lines.reduce((sum, l) => sum + l.amount, 0);
  const row = await trx
    .insertInto('refund_requests')
    .values({
      refund_no: refundNo,
      merchant_id: r.order.merchant_id,
      order_id: r.order.id,
      member_id: r.memberId,
      kind: r.kind,
      reason: r.reason,
      image_urls: JSON.stringify(r.imageUrls),
      amount,
      shipping_amount: r.shippingAmount,
      status: r.status,
      created_at: r.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (r.lines.length)
    await trx
      .insertInto('refund_request_lines')
      .values(r.lines.map((l) => ({ refund_request_id: row.id, order_line_id: l.lineId, amount: l.amount })))
      .execute();
  await emitEvent(trx, {
    merchantId: r.order.merchant_id,
    topic: `refund.${r.status}`,
    aggregateId: r.order.order_no,
    now: r.now,
    payload: { orderNo: r.order.order_no, refundNo, kind: r.kind, amount: amount + r.shippingAmount },
  });
  return { id: row.id, refundNo, amount };
}
