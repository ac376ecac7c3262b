import { sql } from 'kysely';
import { hashPassword } from '../src/auth/passwords.ts';
import { issueToken } from '../src/auth/tokens.ts';
import type { Db } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { DEMO, seedDemoIfEmpty } from '../src/demo/seed-demo.ts';

export interface Sizes {
  products: number;
  members: number;
  orders: number;
  /** lines per seeded order */
  linesPerOrder: number;
}

/** What the scenarios need from the seeded database: who signs in, which orders they read, what they buy. */
export interface Fixture {
  staffToken: string;
  /** members with a live token; each owns some seeded orders */
  readers: { memberId: number; token: string }[];
  /** orders of `readers`: number, id and the owner's token */
  orders: { orderNo: string; id: number; token: string }[];
  /** buyers with a practically endless balance */
  buyers: { memberId: number; token: string }[];
  /** the checkout SKUs: most with plenty of stock, a few scarce ones that sell out during the run */
  skus: { productId: number; stock: number }[];
  wechatAccountId: number;
}

const READERS = 200;
const BUYERS = 64;
const SKUS = 100;
const SCARCE_SKUS = 10;
const SCARCE_STOCK = 50;
const PLENTY = 100_000_000;

/**
 * Migrates, loads the demo shop, then a realistic data set with set-based SQL (generate_series): seconds, where
 * the HTTP API would take many minutes. Orders are paid, completed and settled, closed, or pending with a far
 * expiry, so no background job has work in them while the bench measures.
 */
export async function seedBenchData(db: Db, sizes: Sizes): Promise<Fixture> {
  await migrateToLatest(db);
  await seedDemoIfEmpty(db);
  const m = DEMO.merchantId;
  const s = DEMO.storeId;
  const hash = await hashPassword('bench123');

  await sql`insert into products (merchant_id, store_id, category_id, title, internal_title, article_no, image_urls, price, list_price, stock)
    select ${sql.lit(m)}, ${sql.lit(s)}, 100014, 'Bench product ' || g, 'bench ' || g, 'B' || g, '[]', 1000 + (g % 500) * 100, 2000 + (g % 500) * 100, ${sql.lit(PLENTY)}
    from generate_series(1, ${sql.lit(sizes.products)}) g`.execute(db);
  const firstProduct = (
    await sql<{ id: number }>`select min(id)::int as id from products where article_no like 'B%'`.execute(db)
  ).rows[0]!.id;

  await sql`insert into members (merchant_id, username, mobile, password_hash, balance, last_login_at)
    select ${sql.lit(m)}, 'bench' || g, '139' || lpad(g::text, 8, '0'), ${hash}::text, ${sql.lit(PLENTY)}, null from generate_series(1, ${sql.lit(sizes.members)}) g`.execute(
    db,
  );
  const firstMember = (
    await sql<{ id: number }>`select min(id)::int as id from members where username like 'bench%'`.execute(db)
  ).rows[0]!.id;

  // created over the last 90 days, before today: order numbers (yyyyMMdd + sequence) never meet today's real ones
  await sql`insert into orders (order_no, merchant_id, store_id, member_id, status, payment_status, goods_amount, discount_amount, shipping_fee,
      payable_amount, paid_amount, receiver_name, receiver_mobile, receiver_province, receiver_city, receiver_district, receiver_address,
      created_at, expires_at, paid_at, completed_at, settled_at, closed_at, updated_at)
    select to_char(t.at, 'YYYYMMDD') || lpad(g::text, 8, '0'), ${sql.lit(m)}, ${sql.lit(s)}, ${sql.lit(firstMember)} + (g % ${sql.lit(sizes.members)}), t.status,
      case when t.status in ('paid', 'completed') then 'paid' else 'unpaid' end,
      ${sql.lit(sizes.linesPerOrder * 1000)}, 0, 0, ${sql.lit(sizes.linesPerOrder * 1000)}, case when t.status in ('paid', 'completed') then ${sql.lit(sizes.linesPerOrder * 1000)} else 0 end,
      '收货人' || (g % 1000), '186' || lpad((g % 100000000)::text, 8, '0'), '北京市', '北京市', '大兴区', '地盛北街 ' || g || ' 号',
      t.at, case when t.status = 'pending_payment' then now() + interval '30 days' else t.at + interval '30 minutes' end,
      case when t.status in ('paid', 'completed') then t.at + interval '1 minute' end,
      case when t.status = 'completed' then t.at + interval '8 days' end,
      case when t.status = 'completed' then t.at + interval '15 days' end,
      case when t.status = 'closed' then t.at + interval '30 minutes' end, t.at
    from generate_series(1, ${sql.lit(sizes.orders)}) g
    cross join lateral (select now() - interval '1 day' - (g % 7776000) * interval '1 second' as at,
      (array['paid', 'paid', 'paid', 'paid', 'completed', 'completed', 'completed', 'completed', 'closed', 'pending_payment'])[1 + g % 10] as status) t`.execute(
    db,
  );

  await sql`insert into order_lines (order_id, line_no, product_id, title, list_price, unit_price, quantity, goods_amount, discount_amount, line_total, options)
    select o.id, n, ${sql.lit(firstProduct)} + ((o.id * 7 + n * 13) % ${sql.lit(sizes.products)}), 'Bench product', 2000, 1000, 1, 1000, 0, 1000, '[]'
    from orders o cross join generate_series(1, ${sql.lit(sizes.linesPerOrder)}) n where o.merchant_id = ${sql.lit(m)} and o.order_no not like to_char(now(), 'YYYYMMDD') || '%'`.execute(
    db,
  );

  await sql`insert into order_events (order_id, at, actor_kind, actor_id, action, from_status, to_status)
    select o.id, o.created_at, 'member', o.member_id, 'place', null, 'pending_payment' from orders o where o.member_id >= ${sql.lit(firstMember)}
    union all
    select o.id, o.updated_at, 'system', null, 'settle', 'pending_payment', o.status from orders o where o.member_id >= ${sql.lit(firstMember)} and o.status <> 'pending_payment'`.execute(
    db,
  );

  const skus = await sql<{
    id: number;
    stock: number;
  }>`insert into products (merchant_id, store_id, category_id, title, image_urls, price, list_price, stock)
    select ${sql.lit(m)}, ${sql.lit(s)}, 100014, 'Checkout SKU ' || g, '[]', 990, 990, case when g <= ${sql.lit(SCARCE_SKUS)} then ${sql.lit(SCARCE_STOCK)} else ${sql.lit(PLENTY)} end
    from generate_series(1, ${sql.lit(SKUS)}) g returning id::int, stock::int`.execute(db);
  await sql`analyze`.execute(db);

  const now = new Date();
  const token = async (memberId: number) => ({
    memberId,
    token: (await issueToken(db, { kind: 'member', id: memberId, merchantId: m }, now, 24)).token,
  });
  const readerIds = Array.from({ length: Math.min(READERS, sizes.members) }, (_, i) => firstMember + i);
  const readers = [];
  for (const id of readerIds) readers.push(await token(id));
  const buyers = [];
  for (let i = 0; i < Math.min(BUYERS, sizes.members); i++)
    buyers.push(await token(firstMember + sizes.members - 1 - i));
  const tokenOf = new Map(readers.map((r) => [r.memberId, r.token]));
  const orders = await db
    .selectFrom('orders')
    .select(['order_no', 'id', 'member_id'])
    .where('member_id', 'in', readerIds)
    .execute();
  const admin = await db.selectFrom('staff').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const staffToken = (await issueToken(db, { kind: 'staff', id: admin.id, merchantId: m }, now, 24)).token;
  const wechat = await db
    .selectFrom('provider_accounts')
    .select('id')
    .where('provider', '=', 'wechatpay')
    .executeTakeFirstOrThrow();
  return {
    staffToken,
    readers,
    orders: orders.map((o) => ({ orderNo: o.order_no, id: o.id, token: tokenOf.get(o.member_id!)! })),
    buyers,
    skus: skus.rows.map((r) => ({ productId: r.id, stock: r.stock })),
    wechatAccountId: wechat.id,
  };
}

export interface OversellCheck {
  /** SKUs whose stock went below zero or whose stock + reserved + sold no longer adds up to what was there */
  broken: number;
  /** scarce SKUs that sold out during the run (proof the check was exercised) */
  soldOut: number;
  /** units in live (not closed or cancelled) checkout orders, and units reserved or sold: must be equal */
  orderedUnits: number;
  takenUnits: number;
}

/** Zero oversell: no SKU below zero, stock conserved, and every unit taken belongs to a live order. */
export async function checkOversell(db: Db, skus: Fixture['skus']): Promise<OversellCheck> {
  const ids = skus.map((k) => k.productId);
  const rows = await db
    .selectFrom('products')
    .select(['id', 'stock', 'reserved', 'sold'])
    .where('id', 'in', ids)
    .execute();
  const initial = new Map(skus.map((k) => [k.productId, k.stock]));
  const broken = rows.filter((r) => r.stock < 0 || r.stock + r.reserved + r.sold !== initial.get(r.id)).length;
  const ordered = await db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .select((eb) => eb.fn.sum<number>('order_lines.quantity').as('n'))
    .where('order_lines.product_id', 'in', ids)
    .where('orders.status', 'not in', ['closed', 'cancelled'])
    .executeTakeFirstOrThrow();
  return {
    broken,
    soldOut: rows.filter((r) => r.stock === 0).length,
    orderedUnits: Number(ordered.n ?? 0),
    takenUnits: rows.reduce((sum, r) => sum + r.reserved + r.sold, 0),
  };
}
