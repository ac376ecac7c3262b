import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * The next refund number of an order: `R` + order number + the order's count of refund numbers, at least three
 * digits (`R2026060100000042001`). The count is taken by updating the order's row, which waits for any other
 * transaction refunding the same order: concurrent refunds get consecutive numbers, never the same one. A
 * transaction that rolls back gives its number back with it.
 */
export async function nextRefundNo(trx: Db, order: { id: number; order_no: string }): Promise<string> {
  const { refund_numbers_taken: count } = await trx
    .updateTable('orders')
    .set({ refund_numbers_taken: sql<number>`refund_numbers_taken + 1` })
    .where('id', '=', order.id)
    .returning('refund_numbers_taken')
    .executeTakeFirstOrThrow();
  return `R${order.order_no}${String(count).padStart(3, '0')}`;
}
