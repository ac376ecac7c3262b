import type { AppContext } from '../context.ts';
import { liveAttempt, resolveLiveAttempt } from './resolve-live-attempt.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { applyOrderTransition } from '../orders/apply-order-transition.ts';
import { releaseOrderHolds } from './release-order-holds.ts';

/**
 * Closes unpaid orders whose `expires_at` has passed and gives their stock back. An order with a payment still
 * waiting at a gateway is asked about first: if the buyer paid, it settles instead of closing; otherwise the
 * trade is closed at the gateway before the order (and if the gateway cannot close it now, the order waits for
 * the next sweep). Safe from several processes at once: `SKIP LOCKED` plus the guarded transition close each
 * order once. Returns the order numbers it closed.
 */
export async function closeExpiredOrders(ctx: AppContext, batchSize = 100): Promise<string[]> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('orders')
    .select(['id', 'order_no'])
    .where('status', '=', 'pending_payment')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(batchSize)
    .execute();
  const closed: string[] = [];
  for (const order of due) {
    const live = await liveAttempt(ctx, order.id);
    if (live) {
      const outcome = await resolveLiveAttempt(ctx, live).catch((err) => {
        ctx.log.warn({ err, orderNo: order.order_no }, 'could not ask the gateway before closing; will retry');
        return 'still_open' as const;
      });
      if (outcome !== 'closed') continue;
    }
    if (await closeIfStillDue(ctx, order.id, now)) closed.push(order.order_no);
  }
  return closed;
}

async function closeIfStillDue(ctx: AppContext, orderId: number, now: Date): Promise<boolean> {
  const closed = await ctx.db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select(['id', 'order_no', 'merchant_id', 'status', 'coupon_id'])
      .where('id', '=', orderId)
      .where('status', '=', 'pending_payment')
      .where('expires_at', '<=', now)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!order) return null;
    const moved = await applyOrderTransition(trx, order, 'expire', {
      actor: { kind: 'system', id: null },
      now,
      note: 'payment time ran out',
      set: { closed_at: now },
    });
    if (!moved) return null;
    await releaseOrderHolds(trx, order, order.status, now);
    return moved;
  });
  if (closed) ctx.orderUpdates.publish(orderUpdateOf(closed));
  return closed !== null;
}
