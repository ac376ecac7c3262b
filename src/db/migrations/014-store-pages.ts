import { sql, type Kysely } from 'kysely';

// A store's home page as its staff laid it out (search, banner, notice, navigation, a goods group). A store without
// a row shows the default page built from its catalog, so a new store has a home page before anyone edits it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `create table store_pages (
        store_id bigint primary key references stores(id),
        merchant_id bigint not null references merchants(id),
        layout jsonb not null,
        updated_by bigint references staff(id),
        updated_at timestamptz not null
      )`,
    )
    .execute(db);
}
