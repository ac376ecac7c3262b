import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * The outbox event and a pending delivery for each of the merchant's apps with a webhook URL, as two common table
 * expressions to put in the same statement as the change they describe (one round trip, one transaction: a
 * webhook can never announce something that rolled back, nor miss something that committed). `source` is a query
 * yielding `merchant_id`, `topic`, `aggregate_id` and `payload` (jsonb) — no row, no event. Sending the deliveries
 * is the webhook job's work.
 */
export function outboxEventCtes(source: RawBuilder<unknown>, now: Date): RawBuilder<unknown> {
  return sql`outbox_event as (
      insert into outbox_events (merchant_id, topic, aggregate_id, payload, created_at)
      select merchant_id, topic, aggregate_id, payload, ${now}::timestamptz from (${source}) as source
      returning id, merchant_id, aggregate_id
    ), outbox_deliveries as (
      insert into webhook_deliveries (outbox_event_id, app_id, aggregate_id, status, next_attempt_at, created_at)
      select outbox_event.id, apps.id, outbox_event.aggregate_id, 'pending', ${now}::timestamptz, ${now}::timestamptz
      from outbox_event join apps on apps.merchant_id = outbox_event.merchant_id and apps.webhook_url <> '' and not apps.disabled
    )`;
}

/** Records a domain event on its own (one statement) in the caller's transaction. */
export async function emitEvent(
  trx: Db,
  event: { merchantId: number; topic: string; aggregateId: string; payload: Record<string, unknown>; now: Date },
): Promise<void> {
  const source = sql`select ${event.merchantId}::bigint as merchant_id, ${event.topic}::text as topic, ${event.aggregateId}::text as aggregate_id, ${JSON.stringify(event.payload)}::jsonb as payload`;
  await sql`with ${outboxEventCtes(source, event.now)} select 1`.execute(trx);
}
