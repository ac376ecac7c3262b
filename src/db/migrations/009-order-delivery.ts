import { sql, type Kysely } from 'kysely';

// How a physical order reaches the buyer: shipped to its address, or picked up at its store. Till sales and
// top-ups are no shipments and keep null. Shop orders placed before this column were all shipments.
const statements = [
  `alter table orders add column delivery text check (delivery in ('express', 'pickup'))`,
  `update orders set delivery = 'express' where order_type = 'retail'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
