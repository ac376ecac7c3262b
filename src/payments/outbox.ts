import type { Db } from '../db/connect.ts';

/**
 * Records a domain event in the same transaction as the change it describes, so a webhook can never announce
 * something that rolled back, nor miss something that committed. Each of the merchant's apps with a webhook URL
 * gets a pending delivery in the same transaction; sending them is the webhook job's work.
 */
export async function emitEvent(trx: Db, event: { merchantId: number; topic: string; aggregateId: string; payload: Record<string, unknown>; now: Date }): Promise<void> {
  const row = await trx
    .insertInto('outbox_events')
    .values({ merchant_id: event.merchantId, topic: event.topic, aggregate_id: event.aggregateId, payload: JSON.stringify(event.payload), created_at: event.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const apps = await trx.selectFrom('apps').select('id').where('merchant_id', '=', event.merchantId).where('webhook_url', '<>', '').where('disabled', '=', false).execute();
  if (apps.length === 0) return;
  await trx
    .insertInto('webhook_deliveries')
    .values(apps.map((app) => ({ outbox_event_id: row.id, app_id: app.id, aggregate_id: event.aggregateId, status: 'pending' as const, next_attempt_at: event.now, created_at: event.now })))
    .execute();
}
