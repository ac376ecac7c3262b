import { sql, type Kysely } from 'kysely';

// The address-book entry an order was shipped to (the snapshot stays the record; this is the link the seed
// clients show as shippingId), and the member's e-mail some sign-up forms collect.
const statements = [
  `alter table orders add column address_id bigint references addresses(id) on delete set null`,
  `alter table members add column email text not null default ''`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
