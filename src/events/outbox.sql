-- An outbox event and a pending webhook delivery for each of the merchant's apps with a webhook URL, for the flows'
-- SQL functions (flows/pay-from-balance.sql), as outboxEventCtes (outbox.ts) writes them in TypeScript's statements:
-- in the statement that makes the change, so a webhook can neither announce what rolled back nor miss what committed.
-- Created by migration 019 from this file; a change to it ships with a new migration that runs it again.
create or replace function ordo_record_outbox_event(p_merchant_id bigint, p_topic text, p_aggregate_id text,
  p_payload jsonb, p_at timestamptz) returns void
language plpgsql as $$
declare
  v_event_id bigint;
begin
  insert into outbox_events (merchant_id, topic, aggregate_id, payload, created_at)
  values (p_merchant_id, p_topic, p_aggregate_id, p_payload, p_at)
  returning id into v_event_id;
  insert into webhook_deliveries (outbox_event_id, app_id, aggregate_id, status, next_attempt_at, created_at)
  select v_event_id, apps.id, p_aggregate_id, 'pending', p_at, p_at
  from apps where apps.merchant_id = p_merchant_id and apps.webhook_url <> '' and not apps.disabled;
end;
$$;
