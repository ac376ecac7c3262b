import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * Records a domain event in the same transaction as the change it describes, so a webhook can never announce
 * something that rolled back, nor miss something that committed. Each of the merchant's apps with a webhook URL
 * gets a pending delivery in the same transaction; sending them is the webhook job's work.
 */
export async function emitEvent(trx: Db, event: { merchantId: number; topic: string; aggregateId: string; payload: Record<string, unknown>; now: Date }): Promise<void> {
  // one statement (one round trip): the event row, and a delivery per app with a webhook URL selected beside it
  await trx
    .with('event', (db) =>
      db
        .insertInto('outbox_events')
        .values({ merchant_id: event.merchantId, topic: event.topic, aggregate_id: event.aggregateId, payload: JSON.stringify(event.payload), created_at: event.now })
        .returning('id'),
    )
    .insertInto('webhook_deliveries')
    .columns(['outbox_event_id', 'app_id', 'aggregate_id', 'status', 'next_attempt_at', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom(['event', 'apps'])
        .select([
          'event.id',
          'apps.id as app_id',
          sql<string>`${event.aggregateId}::text`.as('aggregate_id'),
          sql<string>`'pending'`.as('status'),
          sql<Date>`${event.now}::timestamptz`.as('next_attempt_at'),
          sql<Date>`${event.now}::timestamptz`.as('created_at'),
        ])
        .where('apps.merchant_id', '=', event.merchantId)
        .where('apps.webhook_url', '<>', '')
        .where('apps.disabled', '=', false),
    )
    .execute();
}
