import { sql, type Kysely } from 'kysely';

// The store and the products of an order as they were when it was placed: what the storefront's `goods_json`
// shows (the store's name, logo and place; each product's stock, category and option stock, and the cart line it
// came from), so editing the store or a product later never changes an order already placed. The order lines keep
// their own title, price, picture and options. Orders placed before this table have no row; they read live.
const statements = [
  `create table order_goods_snapshots (
     order_id integer primary key references orders(id) on delete cascade,
     store jsonb not null,
     lines jsonb not null,
     created_at timestamptz not null
   )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
