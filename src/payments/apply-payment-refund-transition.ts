import type { UpdateObject } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database, PaymentRefundRow } from '../db/schema.ts';
import {
  PAYMENT_REFUND_STATES,
  type PaymentRefundEvent,
  type PaymentRefundStatus,
} from '../domain/payment-refund-status.ts';

/**
 * The one way a payment refund's status changes, under the applier contract every state table shares: the move is
 * written only when the table (domain/payment-refund-status.ts) allows it from the status given, with
 * `WHERE status = <that status>`, in one statement with the other columns in `set`. Returns the refund as moved, or
 * null when nothing was written — the table refuses the move, or the refund was no longer in that status (another
 * answer about it was applied first).
 */
export async function applyPaymentRefundTransition(
  trx: Db,
  refund: { id: number; status: PaymentRefundStatus },
  event: PaymentRefundEvent,
  set: UpdateObject<Database, 'payment_refunds'> = {},
): Promise<PaymentRefundRow | null> {
  const to = PAYMENT_REFUND_STATES.next(refund.status, event);
  if (!to) return null;
  const moved = await trx
    .updateTable('payment_refunds')
    .set({ ...set, status: to })
    .where('id', '=', refund.id)
    .where('status', '=', refund.status)
    .returningAll()
    .executeTakeFirst();
  return moved ?? null;
}
