import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m001 from '../../src/db/migrations/001-core.ts';
import * as m002 from '../../src/db/migrations/002-payments.ts';
import * as m003 from '../../src/db/migrations/003-after-sales.ts';
import * as m004 from '../../src/db/migrations/004-order-address-and-email.ts';
import * as m005 from '../../src/db/migrations/005-merchant-platform.ts';
import * as m007 from '../../src/db/migrations/007-operations.ts';
import * as m008 from '../../src/db/migrations/008-order-search.ts';
import * as m009 from '../../src/db/migrations/009-order-delivery.ts';
import * as m010 from '../../src/db/migrations/010-refund-number-count.ts';
import * as m011 from '../../src/db/migrations/011-points-rule-and-opening-ledger.ts';
import * as m012 from '../../src/db/migrations/012-catalog-skus.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.ts';

let empty: EmptyDatabase;
let handle: DatabaseHandle;
let db: Kysely<any>;

// A catalog as migration 011 left it: options with their own stock, reservations and sales, a cart line and order
// lines naming them. Migration 012 must turn them into spec groups, values and SKUs without losing a unit.
beforeAll(async () => {
  empty = await emptyDatabase('migration012');
  handle = await empty.open();
  db = handle.db as unknown as Kysely<any>;
  for (const m of [m001, m002, m003, m004, m005, m007, m008, m009, m010, m011]) await m.up(db);
  await sql`insert into merchants (id, name) values (1, 'M')`.execute(db);
  await sql`insert into stores (id, merchant_id, name) values (1, 1, 'S')`.execute(db);
  await sql`insert into members (id, merchant_id, username, password_hash) values (1, 1, 'buyer', 'x')`.execute(db);
  // a shirt sold by size (one group), a guitar with two add-on groups
  await sql`insert into products (id, merchant_id, title, price, list_price, stock, reserved, sold) values
    (1, 1, 'shirt', 2900, 3900, 90, 3, 7), (2, 1, 'guitar', 79900, 89900, 900, 1, 0)`.execute(db);
  await sql`insert into product_options (id, product_id, group_name, title, price, stock, reserved, sold, sort) values
    (11, 1, '尺码', 'M', 0, 40, 2, 5, 1), (12, 1, '尺码', 'XL', 500, 50, 1, 2, 2),
    (21, 2, '款式', '普通款', 1000, 92, 1, 0, 1), (22, 2, '琴弦', '加厚款', 3000, 93, 1, 0, 2)`.execute(db);
  await sql`insert into cart_items (member_id, product_id, option_ids, quantity) values (1, 1, '12', 2)`.execute(db);
  await sql`insert into orders (id, order_no, merchant_id, store_id, status, goods_amount, discount_amount, shipping_fee,
      payable_amount, created_at, updated_at)
    values (1, 'N1', 1, 1, 'pending_payment', 0, 0, 0, 0, now(), now())`.execute(db);
  await sql`insert into order_lines (order_id, line_no, product_id, option_ids, options, title, list_price, unit_price,
      quantity, goods_amount, discount_amount, line_total) values
    (1, 1, 1, '11', '[{"id":11,"title":"M","price":0}]', 'shirt', 3900, 2900, 2, 5800, 0, 5800),
    (1, 2, 2, '21,22', '[{"id":21,"title":"普通款","price":1000},{"id":22,"title":"加厚款","price":3000}]', 'guitar',
      93900, 83900, 1, 83900, 0, 83900)`.execute(db);
  await m012.up(db);
});
afterAll(async () => {
  await handle?.close();
  await empty?.drop();
});

describe('migration 012: options become spec groups, values and SKUs', () => {
  it('keeps each option as a spec value with its id, grouped by its group name in the options’ order', async () => {
    const groups = await sql<{ product_id: number; name: string; values: string }>`
      select g.product_id, g.name, string_agg(v.id || ':' || v.title || ':' || v.price, ' ' order by v.sort) as values
        from product_spec_groups g join product_spec_values v on v.group_id = g.id
       group by g.id order by g.product_id, g.sort`.execute(db);
    expect(groups.rows.map((g) => [Number(g.product_id), g.name, g.values])).toEqual([
      [1, '尺码', '11:M:0 12:XL:500'],
      [2, '款式', '21:普通款:1000'],
      [2, '琴弦', '22:加厚款:3000'],
    ]);
  });

  it('moves a one-group product’s stock, reservations and sales into its SKUs, priced as before', async () => {
    const skus = await sql<Record<string, unknown>>`
      select value_ids, price, list_price, stock, reserved, sold from product_skus where product_id = 1 order by sort`.execute(
      db,
    );
    expect(skus.rows.map((s) => ({ ...s, price: Number(s.price), list_price: Number(s.list_price) }))).toEqual([
      { value_ids: '11', price: 2900, list_price: 3900, stock: 40, reserved: 2, sold: 5 },
      { value_ids: '12', price: 3400, list_price: 4400, stock: 50, reserved: 1, sold: 2 },
    ]);
  });

  it('gives a several-group combination its scarcest option’s free stock and the added-up price', async () => {
    const skus = await sql<Record<string, unknown>>`
      select value_ids, price, stock, reserved, sold from product_skus where product_id = 2`.execute(db);
    expect(skus.rows.map((s) => ({ ...s, price: Number(s.price) }))).toEqual([
      { value_ids: '21,22', price: 83900, stock: 92, reserved: 0, sold: 0 },
    ]);
  });

  it('leaves the products’ own counters, the cart line and the order lines’ choices as they were', async () => {
    const products = await sql<
      Record<string, unknown>
    >`select id, stock, reserved, sold from products order by id`.execute(db);
    expect(products.rows.map((p) => ({ ...p, id: Number(p.id) }))).toEqual([
      { id: 1, stock: 90, reserved: 3, sold: 7 },
      { id: 2, stock: 900, reserved: 1, sold: 0 },
    ]);
    const cart = await sql<{ option_ids: string }>`select option_ids from cart_items`.execute(db);
    expect(cart.rows).toEqual([{ option_ids: '12' }]);
    const lines = await sql<{ option_ids: string; options: unknown; sku: string | null }>`
      select l.option_ids, l.options, s.value_ids as sku
        from order_lines l left join product_skus s on s.id = l.product_sku_id order by l.line_no`.execute(db);
    expect(lines.rows).toEqual([
      { option_ids: '11', options: [{ id: 11, title: 'M', price: 0 }], sku: '11' },
      // the guitar's reservation was on the options, not on the new SKU: the line moves only the product's stock
      {
        option_ids: '21,22',
        options: [
          { id: 21, title: '普通款', price: 1000 },
          { id: 22, title: '加厚款', price: 3000 },
        ],
        sku: null,
      },
    ]);
  });

  it('drops the options table and lets new spec values take ids after the old ones', async () => {
    const table = await sql<{ present: boolean }>`select to_regclass('product_options') is not null as present`.execute(
      db,
    );
    expect(table.rows[0]!.present).toBe(false);
    const group = await sql<{ id: number }>`select id from product_spec_groups where product_id = 1`.execute(db);
    const value = await sql<{ id: number }>`
      insert into product_spec_values (product_id, group_id, title) values (1, ${group.rows[0]!.id}, 'XXL') returning id`.execute(
      db,
    );
    expect(Number(value.rows[0]!.id)).toBeGreaterThan(22);
  });
});
