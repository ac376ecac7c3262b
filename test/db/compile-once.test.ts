import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOnce } from '../../src/db/compile-once.ts';
import type { Db } from '../../src/db/connect.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let db: Db;
beforeAll(async () => {
  t = await startTestApp();
  db = t.ctx.db;
  await sql`create table probe_compile (id integer primary key, kind text not null, amount bigint not null)`.execute(
    db,
  );
  await sql`insert into probe_compile values (1, 'a', 100), (2, 'a', 250), (3, 'b', 999)`.execute(db);
});
afterAll(() => t.close());

describe('a query compiled once', () => {
  it('runs with each call’s own values, keeping the constants the builder wrote', async () => {
    let builds = 0;
    const byKind = compileOnce((db: Db, kind: string, above: number) => {
      builds++;
      return (db as any)
        .selectFrom('probe_compile')
        .select(['id', 'amount'])
        .where('kind', '=', kind)
        .where('amount', '>', above)
        .where('id', '<', 100)
        .orderBy('id');
    });
    expect(await byKind(db, 'a', 0)).toEqual([
      { id: 1, amount: 100 },
      { id: 2, amount: 250 },
    ]);
    expect(await byKind(db, 'a', 100)).toEqual([{ id: 2, amount: 250 }]);
    expect(await byKind(db, 'b', 0)).toEqual([{ id: 3, amount: 999 }]);
    expect(await byKind(db, 'c', 0)).toEqual([]);
    expect(builds).toBe(1);
    // and inside a transaction
    expect(await db.transaction().execute((trx) => byKind(trx, 'b', 500))).toEqual([{ id: 3, amount: 999 }]);
  });

  it('refuses a value the builder did not turn into a parameter', async () => {
    const inList = compileOnce((db: Db, kind: string) =>
      (db as any).selectFrom('probe_compile').select('id').where('kind', 'in', [kind, 'x']),
    );
    const unused = compileOnce((db: Db, _kind: string) => (db as any).selectFrom('probe_compile').select('id'));
    await expect(unused(db, 'a')).rejects.toThrow(/value 1 is not a parameter/);
    // a list of a fixed length is taken apart into its items, so a stand-in inside it still reaches a parameter
    expect(await inList(db, 'b')).toEqual([{ id: 3 }]);
  });
});
