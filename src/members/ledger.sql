-- A member's balance or points moved with their ledger line, for the flows' SQL functions (flows/place-order.sql,
-- flows/pay-from-balance.sql), as postLedgerEntry (ledger.ts) moves them for TypeScript: the guarded update never
-- takes an account below zero, and the line is written only when the update was. Returns the account after the
-- move, or null when a debit is larger than the account (nothing written).
-- Created by migration 019 from this file; a change to it ships with a new migration that runs it again.
create or replace function ordo_post_ledger_entry(p_merchant_id bigint, p_member_id bigint, p_account text,
  p_delta bigint, p_reason text, p_order_id bigint, p_payment_id bigint, p_note text, p_at timestamptz)
returns bigint
language plpgsql as $$
declare
  v_after bigint;
begin
  if p_account = 'balance' then
    update members set balance = balance + p_delta, updated_at = p_at
    where id = p_member_id and balance + p_delta >= 0
    returning balance into v_after;
  else
    update members set points = points + p_delta, updated_at = p_at
    where id = p_member_id and points + p_delta >= 0
    returning points into v_after;
  end if;
  if v_after is not null then
    insert into member_ledger (merchant_id, member_id, account, delta, balance_after, reason, order_id, payment_id,
      note, created_at)
    values (p_merchant_id, p_member_id, p_account, p_delta, v_after, p_reason, p_order_id, p_payment_id, p_note, p_at);
  end if;
  return v_after;
end;
$$;
