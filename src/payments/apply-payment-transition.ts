import { sql, type Updateable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { PaymentRow, PaymentsTable } from '../db/schema.ts';
import { nextPaymentStatus, type PaymentEvent, type PaymentStatus } from '../domain/payment-status.ts';
import { outboxEventCtes } from '../events/outbox.ts';

/**
 * The one way a payment's status changes, under the applier contract every state table shares: the move is written
 * only when the table (domain/payment-status.ts) allows it from the status we read, with
 * `WHERE status = <that status>`, in one statement with its outbox event. Returns the payment as moved, or null when
 * nothing was written — the table refuses the move from that status, or another transaction moved it first.
 */
export async function applyPaymentTransition(
  trx: Db,
  payment: { id: number; status: PaymentStatus },
  event: PaymentEvent,
  now: Date,
  set: Updateable<PaymentsTable> = {},
): Promise<PaymentRow | null> {
  const to = nextPaymentStatus(payment.status, event);
  if (!to) return null;
  const update = trx
    .updateTable('payments')
    .set({ ...set, status: to, updated_at: now })
    .where('id', '=', payment.id)
    .where('status', '=', payment.status)
    .returningAll();
  // one statement: the guarded update and its outbox event, keyed by the order number so an order's payment and
  // order events reach a webhook in the order they happened
  const { rows } = await sql<PaymentRow>`
    with moved as (${update}),
    ${outboxEventCtes(
      sql`select moved.merchant_id, ${`payment.${to}`}::text as topic, orders.order_no as aggregate_id,
        jsonb_build_object('orderNo', orders.order_no, 'outTradeNo', moved.out_trade_no, 'method', moved.method, 'amount', moved.amount,
          'refundedAmount', moved.refunded_amount, 'from', ${payment.status}::text, 'to', ${to}::text) as payload
        from moved join orders on orders.id = moved.order_id`,
      now,
    )}
    select * from moved`.execute(trx);
  return rows[0] ?? null;
}
