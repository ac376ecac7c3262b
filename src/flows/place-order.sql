-- Placing an order: everything it writes, as one statement (`select ordo_place_order($1::jsonb)`).
--
-- Why in SQL: a checkout's cost was its round trips to PostgreSQL, statement after statement in one transaction
-- (nineteen for placing an order; bench/README.md). place-order.ts still reads and prices the order in TypeScript
-- (the domain's pricing, coupons and points); it hands this function the order as priced, and everything the order
-- writes happens here. One statement is one transaction: an exception (out of stock, not enough points) undoes all of
-- it. Created by migration 019 from this file; a change to it ships with a new migration that runs it again.
--
-- p: {
--   idempotency: {scope, key, hash} | null,
--   orderNoDate: the date part of the order number (the store's local date),
--   order:    the orders columns as priced (absent receiver columns, client and remark take the columns' defaults),
--   lines:    the order_lines columns,
--   stock:    [{table: 'product_skus' | 'products', id, quantity}], in the order every stock change takes its rows,
--   points:   {delta} (points paid with, negative) | null,
--   cartItemIds: the member's cart lines the order was placed from,
--   event:    the timeline row of the placing (order_events columns),
--   snapshot: {store, lines} (order_goods_snapshots),
--   notify:   {channel, payload} | null: the live update for other ordo processes, sent at commit
-- }
-- Returns {replayed: false, orderId, orderNo}, or for a key used before {replayed: true, orderId, orderNo, requestHash}.
-- A refusal is raised with SQLSTATE OR001, the error code as its message and its details as JSON.

create or replace function ordo_place_order(p jsonb) returns jsonb
language plpgsql as $$
declare
  -- a JSON null is not an SQL null
  v_key jsonb := nullif(p->'idempotency', 'null');
  v_points jsonb := nullif(p->'points', 'null');
  v_notify jsonb := nullif(p->'notify', 'null');
  v_order jsonb := p->'order';
  v_member_id bigint := (p->'order'->>'member_id')::bigint;
  v_at timestamptz := (p->'order'->>'created_at')::timestamptz;
  v_unit jsonb;
  v_earlier record;
  v_order_id bigint;
  v_order_no text;
begin
  -- The key first: a request seen before gets its order back. A duplicate racing this one waits on the key row here
  -- until the first commits, then finds the order it placed.
  if v_key is not null then
    insert into idempotency_keys (scope, key, request_hash, order_id, created_at)
    values (v_key->>'scope', v_key->>'key', v_key->>'hash', null, v_at)
    on conflict (scope, key) do nothing;
    if not found then
      select k.request_hash, o.id, o.order_no into strict v_earlier
      from idempotency_keys k join orders o on o.id = k.order_id
      where k.scope = v_key->>'scope' and k.key = v_key->>'key';
      return jsonb_build_object('replayed', true, 'orderId', v_earlier.id, 'orderNo', v_earlier.order_no,
        'requestHash', v_earlier.request_hash);
    end if;
  end if;

  -- Stock moves to reserved with a guarded update per unit (never below zero), all or nothing, in the given order.
  for v_unit in select value from jsonb_array_elements(p->'stock') with ordinality order by ordinality loop
    if v_unit->>'table' = 'product_skus' then
      update product_skus set stock = stock - (v_unit->>'quantity')::int, reserved = reserved + (v_unit->>'quantity')::int
      where id = (v_unit->>'id')::bigint and stock >= (v_unit->>'quantity')::int;
    else
      update products set stock = stock - (v_unit->>'quantity')::int, reserved = reserved + (v_unit->>'quantity')::int
      where id = (v_unit->>'id')::bigint and stock >= (v_unit->>'quantity')::int;
    end if;
    if not found then
      raise exception 'out_of_stock' using errcode = 'OR001', detail = v_unit::text;
    end if;
  end loop;

  -- 16 digits: the local date and the sequence (no row lock, so no queue); it closes unpaid after the merchant's timeout
  v_order_no := p->>'orderNoDate' || lpad((nextval('order_no_seq') % 100000000)::text, 8, '0');
  insert into orders (order_no, merchant_id, store_id, member_id, client, operator_id, status, goods_amount,
    grade_discount, coupon_discount, points_discount, points_used, discount_amount, shipping_fee, payable_amount,
    coupon_id, buyer_remark, delivery, address_id, receiver_name, receiver_mobile, receiver_phone, receiver_province,
    receiver_city, receiver_district, receiver_district_code, receiver_address, receiver_zip, created_at, expires_at,
    updated_at)
  select v_order_no, o.merchant_id, o.store_id, o.member_id, coalesce(o.client, 'H5'), null, 'pending_payment',
    o.goods_amount, o.grade_discount, o.coupon_discount, o.points_discount, o.points_used, o.discount_amount,
    o.shipping_fee, o.payable_amount, o.coupon_id, coalesce(o.buyer_remark, ''), o.delivery, o.address_id,
    coalesce(o.receiver_name, ''), coalesce(o.receiver_mobile, ''), coalesce(o.receiver_phone, ''),
    coalesce(o.receiver_province, ''), coalesce(o.receiver_city, ''), coalesce(o.receiver_district, ''),
    coalesce(o.receiver_district_code, ''), coalesce(o.receiver_address, ''), coalesce(o.receiver_zip, ''),
    v_at, v_at + make_interval(mins => m.order_timeout_minutes), v_at
  from jsonb_populate_record(null::orders, v_order) o join merchants m on m.id = o.merchant_id
  returning id into v_order_id;

  insert into order_lines (order_id, line_no, product_id, option_ids, options, product_sku_id, title, internal_title,
    article_no, image_url, spec, list_price, unit_price, quantity, goods_amount, grade_discount, coupon_discount,
    discount_amount, line_total)
  select v_order_id, l.line_no, l.product_id, l.option_ids, l.options, l.product_sku_id, l.title, l.internal_title,
    l.article_no, l.image_url, l.spec, l.list_price, l.unit_price, l.quantity, l.goods_amount, l.grade_discount,
    l.coupon_discount, l.discount_amount, l.line_total
  from jsonb_populate_recordset(null::order_lines, p->'lines') l
  order by l.line_no;

  if v_key is not null then
    update idempotency_keys set order_id = v_order_id where scope = v_key->>'scope' and key = v_key->>'key';
  end if;

  insert into order_events (order_id, at, actor_kind, actor_id, action, from_status, to_status, note, data)
  select v_order_id, e.at, e.actor_kind, e.actor_id, e.action, e.from_status, e.to_status, e.note, e.data
  from jsonb_populate_record(null::order_events, p->'event') e;

  -- points paid with, never below zero, with their ledger line
  if v_points is not null and ordo_post_ledger_entry((v_order->>'merchant_id')::bigint, v_member_id, 'points',
       (v_points->>'delta')::bigint, 'order_points', v_order_id, null, v_order_no, v_at) is null then
    raise exception 'insufficient_points' using errcode = 'OR001', detail = '{}';
  end if;

  delete from cart_items
  where member_id = v_member_id and id in (select value::bigint from jsonb_array_elements_text(p->'cartItemIds'));

  insert into order_goods_snapshots (order_id, store, lines, created_at)
  values (v_order_id, p->'snapshot'->'store', p->'snapshot'->'lines', v_at);

  -- delivered at commit, and only if the order commits
  if v_notify is not null then
    perform pg_notify(v_notify->>'channel',
      ((v_notify->'payload') || jsonb_build_object('orderNo', v_order_no))::text);
  end if;

  return jsonb_build_object('replayed', false, 'orderId', v_order_id, 'orderNo', v_order_no);
end;
$$;
