import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { actorOf, applyOrderTransition, orderMoveRefused } from '../orders/apply-order-transition.ts';
import { scopeOrders } from '../orders/order-scope.ts';
import { releaseOrderHolds } from './release-order-holds.ts';
import { liveAttempt, resolveLiveAttempt } from './resolve-live-attempt.ts';

/**
 * The buyer (their own order) or staff (their merchant's) cancel an unpaid order; its stock and coupon are
 * released in the same transaction. Cancelling an already-cancelled order is a success that changes nothing.
 */
export async function cancelOrder(
  ctx: AppContext,
  principal: Principal,
  orderNo: string,
  reason = '',
): Promise<{ status: string }> {
  const now = ctx.clock.now();
  const actor = actorOf(principal);
  // A QR or payment page still out there must stop taking money before the order is cancelled.
  const target = await scopeOrders(ctx.db.selectFrom('orders').select('id'), principal)
    .where('order_no', '=', orderNo)
    .executeTakeFirst();
  const live = target && (await liveAttempt(ctx, target.id));
  if (live) {
    const outcome = await resolveLiveAttempt(ctx, live);
    if (outcome === 'paid') throw new AppError('invalid_state', 'the order has just been paid', { status: 'paid' });
    if (outcome === 'still_open')
      throw new AppError('conflict', 'the payment in progress could not be closed yet; try again shortly');
  }
  const result = await ctx.db.transaction().execute(async (trx) => {
    const order = await scopeOrders(
      trx.selectFrom('orders').select(['id', 'order_no', 'merchant_id', 'status', 'payment_status', 'coupon_id']),
      principal,
    )
      .where('order_no', '=', orderNo)
      .forUpdate()
      .executeTakeFirst();
    if (!order) throw notFound('order', { orderNo });
    if (order.status === 'cancelled') return order;
    const moved = await applyOrderTransition(trx, order, 'cancel', {
      actor,
      now,
      note: reason,
      set: { cancelled_at: now },
    });
    if (!moved) throw orderMoveRefused(order, 'cancel');
    await releaseOrderHolds(trx, order, order.status, now);
    return moved;
  });
  ctx.orderUpdates.publish(orderUpdateOf(result));
  return { status: result.status };
}
