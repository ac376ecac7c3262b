import type { Updateable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { PaymentsTable } from '../db/schema.ts';
import { nextPaymentStatus, type PaymentEvent, type PaymentStatus } from '../domain/payment-status.ts';

/**
 * The one way a payment's status changes: the transition table, then `WHERE status = <what we read>`.
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
  const result = await trx
    .updateTable('payments')
    .set({ ...set, status: to, updated_at: now })
    .where('id', '=', payment.id)
    .where('status', '=', payment.status)
    .executeTakeFirst();
  return result.numUpdatedRows === 0n ? null : to;
}
