import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { applyOrderTransition, recordOrderEvent } from '../orders/apply-order-transition.ts';
import { completeOrder } from './receive-and-complete.ts';

const system = { kind: 'system' as const, id: null };

/**
 * The after-delivery timers, each one pass over what is due: shipped orders are confirmed received after the
 * merchant's auto-confirm days, received ones completed (with a default review) after the review window, and
 * completed ones settled after the refund window — from then on the buyer can no longer ask for a refund.
 * Rows are taken with SKIP LOCKED and moved by guarded transitions, so several processes never act twice.
 */
export async function runOrderTimers(ctx: AppContext, batchSize = 100): Promise<number> {
  return (await confirmOverdueReceipts(ctx, batchSize)) + (await completeOverdueOrders(ctx, batchSize)) + (await settleCompletedOrders(ctx, batchSize));
}

export async function confirmOverdueReceipts(ctx: AppContext, batchSize = 100): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('orders as o')
      .innerJoin('merchants as m', 'm.id', 'o.merchant_id')
      .selectAll('o')
      .where('o.status', '=', 'shipped')
      .where(sql<boolean>`o.shipped_at + make_interval(days => m.auto_confirm_days) <= ${now}`)
      .limit(batchSize)
      .forUpdate('o')
      .skipLocked()
      .execute();
    let moved = 0;
    for (const order of due) if (await applyOrderTransition(trx, order, 'receive', { actor: system, now, note: 'confirmed automatically', set: { received_at: now } })) moved += 1;
    return moved;
  });
}

export async function completeOverdueOrders(ctx: AppContext, batchSize = 100): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('orders as o')
      .innerJoin('merchants as m', 'm.id', 'o.merchant_id')
      .selectAll('o')
      .where('o.status', '=', 'received')
      .where(sql<boolean>`o.received_at + make_interval(days => m.review_window_days) <= ${now}`)
      .limit(batchSize)
      .forUpdate('o')
      .skipLocked()
      .execute();
    let moved = 0;
    for (const order of due) if (await completeOrder(trx, order, system, now, { rating: 5, automatic: true })) moved += 1;
    return moved;
  });
}

export async function settleCompletedOrders(ctx: AppContext, batchSize = 100): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('orders as o')
      .innerJoin('merchants as m', 'm.id', 'o.merchant_id')
      .select(['o.id', 'o.status'])
      .where('o.status', '=', 'completed')
      .where('o.settled_at', 'is', null)
      .where(sql<boolean>`o.completed_at + make_interval(days => m.refund_window_days) <= ${now}`)
      .limit(batchSize)
      .forUpdate('o')
      .skipLocked()
      .execute();
    let settled = 0;
    for (const order of due) {
      const result = await trx.updateTable('orders').set({ settled_at: now, updated_at: now }).where('id', '=', order.id).where('settled_at', 'is', null).executeTakeFirst();
      if (result.numUpdatedRows === 0n) continue;
      await recordOrderEvent(trx, order.id, 'settle', { actor: system, now, note: 'refund window closed' });
      settled += 1;
    }
    return settled;
  });
}
