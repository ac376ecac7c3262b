import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import type { MemberPrincipal, StaffPrincipal } from '../auth/tokens.ts';
import { restockSold } from '../catalog/stock-reservation.ts';
import { executePaymentRefund } from './refund-payment.ts';
import { refundableOf } from '../refunds/refund-amounts.ts';
import { returnUsedPoints } from './release-order-holds.ts';
import { insertRefundRequest } from './request-refund.ts';
import { startRequestRefund } from './review-refund.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { applyOrderTransition, orderMoveRefused, recordOrderEvent } from '../orders/apply-order-transition.ts';
import { lockOrderInScope } from '../orders/order-in-scope.ts';

/** The buyer of a paid order that has not left the warehouse asks to cancel it; staff decide. */
export async function requestCancel(
  ctx: AppContext,
  member: MemberPrincipal,
  orderNo: string,
  reason: string,
): Promise<void> {
  const now = ctx.clock.now();
  const order = await ctx.db.transaction().execute(async (trx) => {
    const order = await lockOrderInScope(trx, member, orderNo);
    if (order.status !== 'paid')
      throw new AppError('invalid_state', `an order that is ${order.status} cannot be cancelled this way`, {
        status: order.status,
      });
    if (order.cancel_requested) return null;
    const shipped = await trx
      .selectFrom('order_lines')
      .select('id')
      .where('order_id', '=', order.id)
      .where('shipped_quantity', '>', 0)
      .limit(1)
      .executeTakeFirst();
    if (shipped) throw new AppError('invalid_state', 'part of the order has been shipped; ask for a refund instead');
    await trx
      .updateTable('orders')
      .set({ cancel_requested: true, cancel_reason: reason, updated_at: now })
      .where('id', '=', order.id)
      .execute();
    await recordOrderEvent(trx, order.id, 'cancel_request', {
      actor: { kind: 'member', id: member.memberId },
      now,
      note: reason,
    });
    return order;
  });
  // staff watching the console see the request come in
  if (order) ctx.orderUpdates.publish(orderUpdateOf(order));
}

async function requestedOrder(trx: Db, staff: StaffPrincipal, orderNo: string) {
  const order = await lockOrderInScope(trx, staff, orderNo);
  if (!order.cancel_requested || order.status !== 'paid')
    throw new AppError('invalid_state', 'there is no cancel request waiting on this order');
  return order;
}

/**
 * Staff agree: everything not yet refunded goes back through the original method, the sold stock returns to
 * the shelf, and the order is cancelled — all decided in one transaction, the money sent right after it.
 */
export async function approveCancel(ctx: AppContext, staff: StaffPrincipal, orderNo: string, note = ''): Promise<void> {
  const now = ctx.clock.now();
  const { moved, refundId } = await ctx.db.transaction().execute(async (trx) => {
    const order = await requestedOrder(trx, staff, orderNo);
    const lines = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).execute();
    const lineRefunds = lines.map((l) => ({ lineId: l.id, amount: refundableOf(l) })).filter((l) => l.amount > 0);
    const linesTotal = lineRefunds.reduce((sum, l) => sum + l.amount, 0);
    const pendingElsewhere = lines.reduce((sum, l) => sum + l.refund_pending_amount, 0);
    const shippingAmount = Math.max(0, order.paid_amount - order.refunded_amount - pendingElsewhere - linesTotal);
    const actor = { kind: 'staff' as const, id: staff.staffId };
    const moved = await applyOrderTransition(trx, order, 'approve_cancel', {
      actor,
      now,
      note,
      set: { cancel_requested: false, cancelled_at: now },
    });
    if (!moved) throw orderMoveRefused(order, 'approve_cancel');
    await restockSold(
      trx,
      lines
        .filter((l) => l.product_id !== null)
        .map((l) => ({ productId: l.product_id!, skuId: l.product_sku_id, quantity: l.quantity })),
    );
    await returnUsedPoints(trx, order.id, now);
    if (linesTotal + shippingAmount === 0) return { moved, refundId: null };
    const request = await insertRefundRequest(trx, {
      order,
      memberId: order.member_id,
      kind: 'cancel',
      reason: order.cancel_reason || 'order cancelled',
      imageUrls: [],
      lines: lineRefunds,
      shippingAmount,
      now,
      status: 'refunding',
    });
    const refundId = await startRequestRefund(
      trx,
      {
        ...request,
        order_id: order.id,
        merchant_id: order.merchant_id,
        refund_no: request.refundNo,
        shipping_amount: shippingAmount,
        reason: order.cancel_reason,
      },
      now,
    );
    return { moved, refundId };
  });
  ctx.orderUpdates.publish(orderUpdateOf(moved));
  if (refundId !== null)
    await executePaymentRefund(ctx, refundId).catch((err) =>
      ctx.log.error({ err, orderNo }, 'cancel refund failed; reconciliation will retry'),
    );
}

export async function rejectCancel(
  ctx: AppContext,
  staff: StaffPrincipal,
  orderNo: string,
  reason: string,
): Promise<void> {
  const now = ctx.clock.now();
  const order = await ctx.db.transaction().execute(async (trx) => {
    const order = await requestedOrder(trx, staff, orderNo);
    await trx
      .updateTable('orders')
      .set({ cancel_requested: false, updated_at: now })
      .where('id', '=', order.id)
      .execute();
    await recordOrderEvent(trx, order.id, 'cancel_reject', {
      actor: { kind: 'staff', id: staff.staffId },
      now,
      note: reason,
    });
    return order;
  });
  ctx.orderUpdates.publish(orderUpdateOf(order));
}
