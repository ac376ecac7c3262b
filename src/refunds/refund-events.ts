import type { Db } from '../db/connect.ts';
import { emitEvent } from '../events/outbox.ts';

/** A refund's state change for webhooks, keyed by its order so an order's events stay in order. */
export async function emitRefundEvent(
  trx: Db,
  request: { order_id: number; merchant_id: number; refund_no: string; amount: number; shipping_amount: number },
  topic: string,
  now: Date,
): Promise<void> {
  const { order_no } = await trx
    .selectFrom('orders')
    .select('order_no')
    .where('id', '=', request.order_id)
    .executeTakeFirstOrThrow();
  await emitEvent(trx, {
    merchantId: request.merchant_id,
    topic,
    aggregateId: order_no,
    now,
    payload: { orderNo: order_no, refundNo: request.refund_no, amount: request.amount + request.shipping_amount },
  });
}
