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
import * as m013 from '../../src/db/migrations/013-coupon-wallet.ts';
import { releaseOrderCoupon } from '../../src/coupons/use.ts';
import type { Db } from '../../src/db/connect.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.ts';

let empty: EmptyDatabase;
let handle: DatabaseHandle;
let db: Kysely<any>;

// Coupons as migration 012 left them: codes whose used_quantity counts the orders holding them. An unpaid and a
// paid order hold one; a cancelled order gave its use back already.
beforeAll(async () => {
  empty = await emptyDatabase('migration013');
  handle = await empty.open();
  db = handle.db as unknown as Kysely<any>;
  for (const m of [m001, m002, m003, m004, m005, m007, m008, m009, m010, m011, m012]) await m.up(db);
  await sql`insert into merchants (id, name) values (1, 'M')`.execute(db);
  await sql`insert into stores (id, merchant_id, name) values (1, 1, 'S')`.execute(db);
  await sql`insert into members (id, merchant_id, username, password_hash) values (1, 1, 'a', 'x'), (2, 1, 'b', 'x')`.execute(
    db,
  );
  await sql`insert into coupons (id, merchant_id, code, kind, amount_off, total_quantity, used_quantity)
    values (1, 1, 'OLD', 'fixed', 500, 10, 2)`.execute(db);
  await sql`insert into orders (id, order_no, merchant_id, store_id, member_id, status, goods_amount, coupon_discount,
      discount_amount, shipping_fee, payable_amount, coupon_id, created_at, updated_at) values
    (1, 'N1', 1, 1, 1, 'pending_payment', 5000, 500, 500, 0, 4500, 1, now(), now()),
    (2, 'N2', 1, 1, 2, 'paid', 5000, 500, 500, 0, 4500, 1, now(), now()),
    (3, 'N3', 1, 1, 1, 'cancelled', 5000, 500, 500, 0, 4500, 1, now(), now())`.execute(db);
  await m013.up(db);
});
afterAll(async () => {
  await handle?.close();
  await empty?.drop();
});

describe('migration 013: coupons become templates with a wallet', () => {
  it('keeps a code coupon usable by its code: all goods, not claimable, its uses counted as claims', async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select code, scope, scope_ids, claimable, per_member_limit, valid_days, claimed_quantity, used_quantity
        from coupons`.execute(db);
    expect(rows).toEqual([
      {
        code: 'OLD',
        scope: 'all',
        scope_ids: [],
        claimable: false,
        per_member_limit: null,
        valid_days: null,
        claimed_quantity: 2,
        used_quantity: 2,
      },
    ]);
  });

  it('gives each order still holding the coupon its wallet coupon, and releasing the unpaid one frees it once', async () => {
    const held = await sql<{ member_id: string; order_id: string }>`
      select member_id, order_id from member_coupons order by order_id`.execute(db);
    expect(held.rows.map((r) => [Number(r.member_id), Number(r.order_id)])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    await releaseOrderCoupon(db as unknown as Db, 1);
    await releaseOrderCoupon(db as unknown as Db, 1);
    const after = await sql<{ order_id: string | null; used: number }>`
      select w.order_id, c.used_quantity as used from member_coupons w join coupons c on c.id = w.coupon_id
       where w.member_id = 1`.execute(db);
    expect(after.rows).toEqual([{ order_id: null, used: 1 }]);
  });
});
