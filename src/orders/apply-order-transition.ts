import { sql, type Insertable, type UpdateObject } from 'kysely';
import type { Principal } from '../auth/tokens.ts';
import type { Db } from '../db/connect.ts';
import type { ActorKind, Database, OrderEventsTable, OrderRow } from '../db/schema.ts';
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

/** An order as a transition left it: what live pages are told (events/order-updates.ts, `orderUpdateOf`). */
export type MovedOrder = Pick<OrderRow, 'id' | 'order_no' | 'merchant_id' | 'status' | 'payment_status'>;

/**
 * The one way an order's status changes, under the applier contract every state table shares: the move is written
 * only when the table allows it from the status we read, with `WHERE status = <that status>`, in one statement with
 * its timeline event and its outbox event (webhooks). Returns the order as moved, or null when nothing was written —
 * the table refuses the move from that status, or another transaction moved the order first. A caller that needs
 * the move throws `orderMoveRefused` itself.
 */
export async function applyOrderTransition(
  trx: Db,
  order: { id: number; status: OrderStatus },
  event: OrderEvent,
  options: TransitionOptions,
): Promise<MovedOrder | null> {
  const to = nextOrderStatus(order.status, event);
  if (!to) return null;
  const update = trx
    .updateTable('orders')
    .set({ ...options.set, status: to, updated_at: options.now })
    .where('id', '=', order.id)
    .where('status', '=', order.status)
    .returning(['id', 'merchant_id', 'order_no', 'status', 'payment_status']);
  const payload = JSON.stringify({ from: order.status, to, action: event, ...options.data });
  // one statement: the guarded update, its timeline event and its outbox event stand or fall together
  const { rows } = await sql<MovedOrder>`
    with moved as (${update}),
    timeline as (
      insert into order_events (order_id, at, actor_kind, actor_id, action, from_status, to_status, note, data)
      select id, ${options.now}::timestamptz, ${options.actor.kind}::text, ${options.actor.id}::bigint, ${event}::text, ${order.status}::text, ${to}::text, ${options.note ?? ''}::text, ${JSON.stringify(options.data ?? {})}::jsonb
      from moved
    ),
    ${outboxEventCtes(sql`select merchant_id, ${`order.${to}`}::text as topic, order_no as aggregate_id, jsonb_build_object('orderNo', order_no) || ${payload}::jsonb as payload from moved`, options.now)}
    select id, order_no, merchant_id, status, payment_status from moved`.execute(trx);
  return rows[0] ?? null;
}

/**
 * Why a move a caller needed did not happen: the table does not allow it from the status read (invalid_state), or
 * another transaction moved the order between the read and the write (conflict).
 */
export function orderMoveRefused(order: { status: OrderStatus }, event: OrderEvent): AppError {
  if (nextOrderStatus(order.status, event))
    return new AppError('conflict', 'the order changed meanwhile; read it again');
  return new AppError('invalid_state', `an order that is ${order.status} cannot be ${pastTense(event)}`, {
    status: order.status,
    action: event,
  });
}

type EventOptions = {
  actor: Actor;
  now: Date;
  from?: string | null;
  to?: string | null;
  note?: string;
  data?: Record<string, unknown>;
};

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
  await trx
    .insertInto('order_events')
    .values(orderEventRow(orderId, action, options))
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
