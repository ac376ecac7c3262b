import type { Db } from '../db/connect.ts';

/**
 * Every refund change locks the order's row before its lines: a refund being made locks the order, then holds
 * amounts of its lines; one being finished or rejected must not hold a line first and then wait for the order,
 * or two refunds of one order at the same moment deadlock (PostgreSQL then fails one of them).
 */
export async function lockRefundedOrder(trx: Db, orderId: number): Promise<void> {
  await trx.selectFrom('orders').select('id').where('id', '=', orderId).forUpdate().executeTakeFirstOrThrow();
}
