import { sql, type Kysely } from 'kysely';

// Staff search orders by order number, receiver mobile or part of the receiver's name (`ilike '%…%'`). Without an
// index for the name part the whole search is a sequential scan of orders (bench/README.md, plans); a trigram index
// lets PostgreSQL combine the three indexes instead. pg_trgm is a trusted extension: the database owner may create it.
const statements = [
  `create extension if not exists pg_trgm`,
  `create index orders_receiver_name_trgm on orders using gin (receiver_name gin_trgm_ops)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
