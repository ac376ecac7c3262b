import type { Updateable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { PaymentsTable } from '../db/schema.ts';
import { nextPaymentStatus, type PaymentEvent, type PaymentStatus } from '../domain/payment-status.ts';
import { emitEvent } from './outbox.ts';

/**
 * The one way a payment's status changes: the transition table, then `WHERE status = <what we read>`, with its
 * outbox event in the same transaction.
 * Returns the new status, or null when the transition does not apply or another transaction moved it first.
 */
export async function applyPaymentTransition(
  trx: Db,
  payment: { id: number; status: PaymentStatus },
  event: PaymentEvent,
  now: Date,
  set: Updateable<PaymentsTable> = {},
): Promise<PaymentStatus | null> {
  const to = nextPaymentStatus(payment.status, event);
  if (!to) return null;
  const moved = await trx
    .updateTable('payments')
    .set({ ...set, status: to, updated_at: now })
    .where('id', '=', payment.id)
    .where('status', '=', payment.status)
    .returning((eb) => [
      'merchant_id',
      'out_trade_no',
      'method',
      'amount',
      'refunded_amount',
      // keyed by the order number, so an order's payment and order events reach a webhook in the order they happened
      eb.selectFrom('orders').select('orders.order_no').whereRef('orders.id', '=', 'payments.order_id').$asScalar().$notNull().as('order_no'),
    ])
    .executeTakeFirst();
  if (!moved) return null;
  const { order_no } = moved;
  await emitEvent(trx, {
    merchantId: moved.merchant_id,
    topic: `payment.${to}`,
    aggregateId: order_no,
    now,
    payload: { orderNo: order_no, outTradeNo: moved.out_trade_no, method: moved.method, amount: moved.amount, refundedAmount: moved.refunded_amount, from: payment.status, to },
  });
  return to;
}
