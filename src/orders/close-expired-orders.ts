import type { AppContext } from '../context.ts';
import { applyOrderTransition } from './apply-order-transition.ts';
import { releaseOrderHolds } from './release-order-holds.ts';

/**
 * Closes unpaid orders whose `expires_at` has passed and gives their stock back. Safe to run from several
 * processes at once: rows another sweep holds are skipped (`SKIP LOCKED`), and the guarded transition means an
 * order that was paid or cancelled meanwhile is left alone. Returns the order numbers it closed.
 */
export async function closeExpiredOrders(ctx: AppContext, batchSize = 100): Promise<string[]> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('orders')
      .select(['id', 'order_no', 'status', 'coupon_id'])
      .where('status', '=', 'pending_payment')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    const closed: string[] = [];
    for (const order of due) {
      const moved = await applyOrderTransition(trx, order, 'expire', { actor: { kind: 'system', id: null }, now, note: 'payment time ran out', set: { closed_at: now } });
      if (!moved) continue;
      await releaseOrderHolds(trx, order, order.status);
      closed.push(order.order_no);
    }
    return closed;
  });
}
