import type { Db } from '../db/connect.ts';

/**
 * Records a domain event in the same transaction as the change it describes, so a webhook can never announce
 * something that rolled back, nor miss something that committed. Delivery is a separate job.
 */
export async function emitEvent(trx: Db, event: { merchantId: number; topic: string; aggregateId: string; payload: Record<string, unknown>; now: Date }): Promise<void> {
  await trx
    .insertInto('outbox_events')
    .values({ merchant_id: event.merchantId, topic: event.topic, aggregate_id: event.aggregateId, payload: JSON.stringify(event.payload), created_at: event.now })
    .execute();
}
