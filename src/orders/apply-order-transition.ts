import { sql, type Insertable, type UpdateObject } from 'kysely';
import type { Principal } from '../auth/tokens.ts';
import type { Db } from '../db/connect.ts';
import type { ActorKind, Database, OrderEventsTable } from '../db/schema.ts';
import { nextOrderStatus, type OrderEvent, type OrderStatus } from '../domain/order-status.ts';
import { AppError } from '../errors.ts';
import { outboxEventCtes } from '../events/outbox.ts';

export interface Actor {
  kind: ActorKind;
  id: number | null;
}

/** Who did it, for the timeline: the member, the staff member or the merchant app behind a request. */
export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'member') return { kind: 'member', id: principal.memberId };
  if (principal.kind === 'staff') return { kind: 'staff', id: principal.staffId };
  return { kind: 'app', id: principal.appRowId };
}

export interface TransitionOptions {
  actor: Actor;
  now: Date;
  note?: string;
  data?: Record<string, unknown>;
  /** Other columns written in the same guarded update (timestamps, amounts). */
  set?: UpdateObject<Database, 'orders'>;
}

/**
 * The one way an order's status changes: checks the transition table, then writes with
 * `WHERE status = <the status we read>`, records the timeline event and the outbox event (webhooks) in the same
 * transaction. Returns the new status, or null when another transaction moved the order first, in which case
 * nothing was written and the caller re-reads and decides.
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
  const update = trx
    .updateTable('orders')
    .set({ ...options.set, status: to, updated_at: options.now })
    .where('id', '=', order.id)
    .where('status', '=', order.status)
    .returning(['id', 'merchant_id', 'order_no']);
  const payload = JSON.stringify({ from: order.status, to, action: event, ...options.data });
  // one statement: the guarded update, its timeline event and its outbox event stand or fall together
  const { rows } = await sql<{ order_no: string }>`
    with moved as (${update}),
    timeline as (
      insert into order_events (order_id, at, actor_kind, actor_id, action, from_status, to_status, note, data)
      select id, ${options.now}::timestamptz, ${options.actor.kind}::text, ${options.actor.id}::bigint, ${event}::text, ${order.status}::text, ${to}::text, ${options.note ?? ''}::text, ${JSON.stringify(options.data ?? {})}::jsonb
      from moved
    ),
    ${outboxEventCtes(sql`select merchant_id, ${`order.${to}`}::text as topic, order_no as aggregate_id, jsonb_build_object('orderNo', order_no) || ${payload}::jsonb as payload from moved`, options.now)}
    select order_no from moved`.execute(trx);
  return rows.length ? to : null;
}

type EventOptions = { actor: Actor; now: Date; from?: string | null; to?: string | null; note?: string; data?: Record<string, unknown> };

/** A timeline row, for an insert of its own or one inside a bigger statement. */
export function orderEventRow(orderId: number, action: string, options: EventOptions): Insertable<OrderEventsTable> {
  return {
    order_id: orderId,
    at: options.now,
    actor_kind: options.actor.kind,
    actor_id: options.actor.id,
    action,
    from_status: options.from ?? null,
    to_status: options.to ?? null,
    note: options.note ?? '',
    data: JSON.stringify(options.data ?? {}),
  };
}

export async function recordOrderEvent(trx: Db, orderId: number, action: string, options: EventOptions): Promise<void> {
  await trx.insertInto('order_events').values(orderEventRow(orderId, action, options)).execute();
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
