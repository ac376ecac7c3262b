import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// On PostgreSQL every parameterised statement is a named prepared statement (src/db/connect.ts). A migration run
// by another process while this one is up (a rolling upgrade) changes what `select *` returns; PostgreSQL then
// refuses the prepared statement ("cached plan must not change result type") until it is prepared again.
describe('prepared statements and a schema change made while ordo runs', () => {
  it('a column added by another process: the next reads see it, on every pooled connection', async () => {
    const db = t.ctx.db as any;
    await sql`create table probe (id integer primary key, a text not null)`.execute(db);
    await sql`insert into probe values (1, 'one'), (2, 'two')`.execute(db);
    const read = (id: number) => db.selectFrom('probe').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // run the statement on several connections at once, several times, so it is prepared on each of them
    for (let i = 0; i < 3; i++)
      expect(await Promise.all(Array.from({ length: 12 }, (_, k) => read(1 + (k % 2))))).toHaveLength(12);

    const other = await t.openSecondContext();
    await sql`alter table probe add column b text not null default 'x'`.execute(other.ctx.db);
    await other.close();

    const after = await Promise.all(Array.from({ length: 12 }, (_, k) => read(1 + (k % 2))));
    expect(after.map((r: any) => [r.id, r.a, r.b])).toEqual(
      Array.from({ length: 12 }, (_, k) => (k % 2 ? [2, 'two', 'x'] : [1, 'one', 'x'])),
    );
    // inside a transaction too
    const inTrx = await db
      .transaction()
      .execute((trx: any) => trx.selectFrom('probe').selectAll().where('id', '=', 2).executeTakeFirstOrThrow());
    expect(inTrx).toEqual({ id: 2, a: 'two', b: 'x' });
  });
});
