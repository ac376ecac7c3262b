import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

/**
 * Row snapshots of every table of the public schema, to prove a batch of requests wrote nothing: per table the
 * md5 of every row (as text), so two snapshots say which tables changed and how many rows did.
 */
export type TableSnapshot = Record<string, string[]>;

export async function tableNames(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('kysely_migration', 'kysely_migration_lock')
    order by table_name`.execute(db);
  return result.rows.map((r) => r.table_name);
}

export async function snapshotTables(db: Kysely<Database>, tables?: string[]): Promise<TableSnapshot> {
  const out: TableSnapshot = {};
  for (const table of tables ?? (await tableNames(db))) {
    const { rows } = await sql<{ h: string }>`select md5(t::text) as h from ${sql.table(table)} t order by 1`.execute(
      db,
    );
    out[table] = rows.map((r) => r.h);
  }
  return out;
}

/** Tables whose rows differ (a table that appeared or went away counts too). */
export function changedTables(before: TableSnapshot, after: TableSnapshot): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((name) => (before[name] ?? []).join() !== (after[name] ?? []).join());
}

/** Rows added, removed or changed between two snapshots (a changed row counts as one removed and one added). */
export function changedRowCount(before: TableSnapshot, after: TableSnapshot): number {
  let count = 0;
  for (const name of changedTables(before, after)) {
    const remaining = new Map<string, number>();
    for (const h of before[name] ?? []) remaining.set(h, (remaining.get(h) ?? 0) + 1);
    for (const h of after[name] ?? []) {
      const n = remaining.get(h) ?? 0;
      if (n > 0) remaining.set(h, n - 1);
      else count += 1;
    }
    for (const n of remaining.values()) count += n;
  }
  return count;
}
