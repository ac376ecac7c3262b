-- Paying an order from the member's balance: the debit and the whole settlement as one statement
-- (`select ordo_pay_from_balance($1::jsonb)`).
--
-- Why in SQL: the payment, the debit with its ledger line, both status moves with their timeline and outbox events,
-- the stock sale and the member's totals were eight statements in one transaction, each a round trip
-- (bench/README.md). start-payment.ts checks what can refuse the payment before it calls this function; here every
-- write keeps its guard and its place in the lock order: the attempt, the guarded debit, the order row locked, the
-- payment and the order moved only from the status read under that lock, stock sold SKUs first and products second,
-- each by id. One statement is one transaction: a refusal raised here undoes all of it, the attempt included.
-- This is the settlement of settle-payment.ts (settleInTransaction) for an attempt inserted by the same statement,
-- written out for the orders it takes: not a till sale (its points are earned when paid, in settle-payment.ts).
-- Created by migration 019 from this file; a change to it ships with a new migration that runs it again.
--
-- p: {orderId, orderNo, merchantId, memberId, amount, client, at, actor: {kind, id},
--     moves: {order, payment, orderPayment}: each the `pay` transition {from: [...], to} of its state table in
--       src/domain (order-status.ts, payment-status.ts), so the tables stay the one place the moves are decided,
--     notify: {channel, payload} | null (the live update for other ordo processes, sent at commit)}
-- Returns {payment: the payment as paid, order: {id, order_no, merchant_id, status, payment_status}}.
-- A refusal is raised with SQLSTATE OR001, the error code as its message; another attempt waiting for the order's
-- money is refused by the unique index on waiting attempts (23505).

create or replace function ordo_pay_from_balance(p jsonb) returns jsonb
language plpgsql as $$
declare
  v_order_id bigint := (p->>'orderId')::bigint;
  v_member_id bigint := (p->>'memberId')::bigint;
  v_amount bigint := (p->>'amount')::bigint;
  v_at timestamptz := (p->>'at')::timestamptz;
  -- a JSON null is not an SQL null
  v_notify jsonb := nullif(p->'notify', 'null');
  v_order_from text[] := array(select jsonb_array_elements_text(p->'moves'->'order'->'from'));
  v_order_to text := p->'moves'->'order'->>'to';
  v_payment_from text[] := array(select jsonb_array_elements_text(p->'moves'->'payment'->'from'));
  v_payment_to text := p->'moves'->'payment'->>'to';
  v_order_payment_from text[] := array(select jsonb_array_elements_text(p->'moves'->'orderPayment'->'from'));
  v_order_payment_to text := p->'moves'->'orderPayment'->>'to';
  v_payment payments%rowtype;
  v_order record;
  v_moved record;
  v_paid jsonb;
begin
  -- the attempt, numbered in its order (01, 02, …, 99, 100) as payments/payment-attempts.ts numbers them
  insert into payments (merchant_id, order_id, member_id, method, channel, provider, account_id, out_trade_no,
    provider_trade_id, amount, status, client, client_ip, operator_id, reviewed_by, reviewed_at, review_note,
    created_at, updated_at, paid_at, closed_at, next_check_at)
  values ((p->>'merchantId')::bigint, v_order_id, v_member_id, 'balance', '', 'balance', null,
    (p->>'orderNo') || (select case when count(*) < 9 then '0' else '' end || (count(*) + 1)::text
                        from payments where order_id = v_order_id),
    null, v_amount, 'processing', p->>'client', '', null, null, null, '', v_at, v_at, null, null, null)
  returning * into v_payment;

  -- the debit, never below zero under any concurrency, with its ledger line
  if ordo_post_ledger_entry(v_payment.merchant_id, v_member_id, 'balance', -v_amount, 'order_payment', v_order_id,
       v_payment.id, '', v_at) is null then
    raise exception 'insufficient_balance' using errcode = 'OR001', detail = '{}';
  end if;

  -- The order was checked under no lock; locked now, it must still be waiting for its money.
  select id, order_no, merchant_id, status, deposit_mode into v_order from orders where id = v_order_id for update;
  if not coalesce(v_order.status = any(v_order_from), false) then
    raise exception 'invalid_state' using errcode = 'OR001', detail = jsonb_build_object('status', v_order.status)::text;
  end if;

  update payments set status = v_payment_to, paid_at = v_at, next_check_at = null, updated_at = v_at
  where id = v_payment.id and status = any(v_payment_from)
  returning * into v_payment;
  if not found then
    raise exception 'invalid_state' using errcode = 'OR001', detail = '{}';
  end if;
  perform ordo_record_outbox_event(v_payment.merchant_id, 'payment.paid', v_order.order_no,
    jsonb_build_object('orderNo', v_order.order_no, 'outTradeNo', v_payment.out_trade_no, 'method', v_payment.method,
      'amount', v_payment.amount, 'refundedAmount', v_payment.refunded_amount, 'from', 'processing',
      'to', v_payment.status),
    v_at);

  -- paid, from the status read under the lock; the merchant's income is the amount less the method's fee
  -- (merchants/fee-rates.ts, incomeAfterFee)
  update orders set status = v_order_to, payment_status = v_order_payment_to, paid_amount = v_amount, paid_at = v_at,
    merchant_income = v_amount - coalesce((select (v_amount * basis_points + 5000) / 10000 from fee_rates
                                           where merchant_id = v_order.merchant_id and method = 'balance'), 0),
    payment_reviewed_at = case when v_order.status = 'payment_review' then v_at else payment_reviewed_at end,
    deposit_status = case when v_order.deposit_mode then 'held' else deposit_status end,
    updated_at = v_at
  where id = v_order_id and status = v_order.status and payment_status = any(v_order_payment_from)
  returning id, order_no, merchant_id, status, payment_status into v_moved;
  if not found then
    raise exception 'invalid_state' using errcode = 'OR001', detail = '{}';
  end if;
  v_paid := jsonb_build_object('outTradeNo', v_payment.out_trade_no, 'method', v_payment.method,
    'amount', v_payment.amount, 'via', 'balance');
  insert into order_events (order_id, at, actor_kind, actor_id, action, from_status, to_status, note, data)
  values (v_order_id, v_at, p->'actor'->>'kind', (p->'actor'->>'id')::bigint, 'pay', v_order.status, v_moved.status, '',
    v_paid);
  perform ordo_record_outbox_event(v_order.merchant_id, 'order.paid', v_order.order_no,
    jsonb_build_object('orderNo', v_order.order_no, 'from', v_order.status, 'to', v_moved.status, 'action', 'pay') || v_paid,
    v_at);

  -- reserved units become sold, rows locked as every stock change locks them: SKUs, then products, each by id
  perform 1 from product_skus
  where id in (select product_sku_id from order_lines where order_id = v_order_id and product_id is not null)
  order by id for update;
  update product_skus set reserved = product_skus.reserved - q.quantity, sold = product_skus.sold + q.quantity
  from (select product_sku_id, sum(quantity) as quantity from order_lines
        where order_id = v_order_id and product_id is not null and product_sku_id is not null
        group by product_sku_id) q
  where product_skus.id = q.product_sku_id;
  perform 1 from products
  where id in (select product_id from order_lines where order_id = v_order_id) order by id for update;
  update products set reserved = products.reserved - q.quantity, sold = products.sold + q.quantity
  from (select product_id, sum(quantity) as quantity from order_lines
        where order_id = v_order_id and product_id is not null group by product_id) q
  where products.id = q.product_id;

  update members set pay_money = pay_money + v_amount, updated_at = v_at where id = v_member_id;

  -- delivered at commit, and only if the payment commits
  if v_notify is not null then
    perform pg_notify(v_notify->>'channel', ((v_notify->'payload') || jsonb_build_object('orderNo', v_order.order_no,
      'merchantId', v_moved.merchant_id, 'status', v_moved.status, 'paymentStatus', v_moved.payment_status))::text);
  end if;

  return jsonb_build_object(
    'payment', jsonb_build_object('out_trade_no', v_payment.out_trade_no, 'method', v_payment.method,
      'channel', v_payment.channel, 'status', v_payment.status, 'amount', v_payment.amount,
      'refunded_amount', v_payment.refunded_amount, 'review_note', v_payment.review_note,
      'created_at', v_payment.created_at, 'paid_at', v_payment.paid_at, 'closed_at', v_payment.closed_at),
    'order', jsonb_build_object('id', v_moved.id, 'order_no', v_moved.order_no, 'merchant_id', v_moved.merchant_id,
      'status', v_moved.status, 'payment_status', v_moved.payment_status));
end;
$$;
