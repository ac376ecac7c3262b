import type { Updateable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ActorKind, OrdersTable } from '../db/schema.ts';
import { nextOrderStatus, type OrderEvent, type OrderStatus } from '../domain/order-status.ts';
import { AppError } from '../errors.ts';

export interface Actor {
  kind: ActorKind;
  id: number | null;
}

export interface TransitionOptions {
  actor: Actor;
  now: Date;
  note?: string;
  data?: Record<string, unknown>;
  /** Other columns written in the same guarded update (timestamps, amounts). */
  set?: Updateable<OrdersTable>;
}

/**
 * The one way an order's status changes: checks the transition table, then writes with
 * `WHERE status = <the status we read>`. Returns the new status, or null when another transaction moved the
 * order first, in which case nothing was written and the caller re-reads and decides.
 */
export async function applyOrderTransition(
  trx: Db,
  order: { id: number; status: string },
  event: OrderEvent,
  options: TransitionOptions,
): Promise<OrderStatus | null> {
  const to = nextOrderStatus(order.status as OrderStatus, event);
  if (!to) {
    throw new AppError('invalid_state', `an order that is ${order.status} cannot be ${pastTense(event)}`, { status: order.status, action: event });
  }
  const result = await trx
    .updateTable('orders')
    .set({ ...options.set, status: to, updated_at: options.now })
    .where('id', '=', order.id)
    .where('status', '=', order.status)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return null;
  await recordOrderEvent(trx, order.id, event, { ...options, from: order.status, to });
  return to;
}

export async function recordOrderEvent(
  trx: Db,
  orderId: number,
  action: string,
  options: { actor: Actor; now: Date; from?: string | null; to?: string | null; note?: string; data?: Record<string, unknown> },
): Promise<void> {
  await trx
    .insertInto('order_events')
    .values({
      order_id: orderId,
      at: options.now,
      actor_kind: options.actor.kind,
      actor_id: options.actor.id,
      action,
      from_status: options.from ?? null,
      to_status: options.to ?? null,
      note: options.note ?? '',
      data: JSON.stringify(options.data ?? {}),
    })
    .execute();
}

const PAST: Record<OrderEvent, string> = {
  submit_voucher: 'sent to payment review',
  reject_voucher: 'sent back from payment review',
  pay: 'paid',
  ship: 'shipped',
  receive: 'received',
  complete: 'completed',
  cancel: 'cancelled',
  expire: 'closed',
  approve_cancel: 'cancelled',
};
const pastTense = (event: OrderEvent) => PAST[event];
