import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { OrderRow } from '../db/schema.ts';
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
  return (
    (await confirmOverdueReceipts(ctx, batchSize)) +
    (await completeOverdueOrders(ctx, batchSize)) +
    (await settleCompletedOrders(ctx, batchSize))
  );
}

type Timer = {
  status: 'shipped' | 'received' | 'completed';
  since: 'shipped_at' | 'received_at' | 'completed_at';
  days: 'auto_confirm_days' | 'review_window_days' | 'refund_window_days';
};

/** Runs `act` on each order whose `since` lies the merchant's `days` in the past, in one transaction; counts the moved ones. */
async function overdue(
  ctx: AppContext,
  timer: Timer,
  batchSize: number,
  act: (trx: Db, order: OrderRow, now: Date) => Promise<boolean>,
): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('orders as o')
      .innerJoin('merchants as m', 'm.id', 'o.merchant_id')
      .selectAll('o')
      .where('o.status', '=', timer.status)
      .where(
        sql<boolean>`${sql.ref(`o.${timer.since}`)} + make_interval(days => ${sql.ref(`m.${timer.days}`)}) <= ${now}`,
      );
    if (timer.status === 'completed') query = query.where('o.settled_at', 'is', null);
    const due = await query.limit(batchSize).forUpdate('o').skipLocked().execute();
    let moved = 0;
    for (const order of due) if (await act(trx, order, now)) moved += 1;
    return moved;
  });
}

export const confirmOverdueReceipts = (ctx: AppContext, batchSize = 100) =>
  overdue(
    ctx,
    { status: 'shipped', since: 'shipped_at', days: 'auto_confirm_days' },
    batchSize,
    async (trx, order, now) =>
      Boolean(
        await applyOrderTransition(trx, order, 'receive', {
          actor: system,
          now,
          note: 'confirmed automatically',
          set: { received_at: now },
        }),
      ),
  );

export const completeOverdueOrders = (ctx: AppContext, batchSize = 100) =>
  overdue(
    ctx,
    { status: 'received', since: 'received_at', days: 'review_window_days' },
    batchSize,
    async (trx, order, now) => Boolean(await completeOrder(trx, order, system, now, { rating: 5, automatic: true })),
  );

/** Settling is a mark, not a status: the order stays completed and the buyer's refund window is over. */
export const settleCompletedOrders = (ctx: AppContext, batchSize = 100) =>
  overdue(
    ctx,
    { status: 'completed', since: 'completed_at', days: 'refund_window_days' },
    batchSize,
    async (trx, order, now) => {
      const result = await trx
        .updateTable('orders')
        .set({ settled_at: now, updated_at: now })
        .where('id', '=', order.id)
        .where('settled_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await recordOrderEvent(trx, order.id, 'settle', { actor: system, now, note: 'refund window closed' });
      return true;
    },
  );
