import { sql, type SelectQueryBuilder } from 'kysely';

/**
 * One numbered page of `rows` (already sorted) with the number of rows `matching` selects, as consoles that page by
 * number want them; `pageSize` null is every row.
 */
export async function numberedPage<DB, TB extends keyof DB, O>(
  rows: SelectQueryBuilder<DB, TB, O>,
  matching: SelectQueryBuilder<DB, TB, object>,
  page: number,
  pageSize: number | null,
): Promise<{ rows: O[]; total: number }> {
  const limited = pageSize === null ? rows : rows.limit(pageSize).offset((page - 1) * pageSize);
  const [found, count] = await Promise.all([
    limited.execute(),
    matching.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: found, total: Number((count as { n: string }).n) };
}
