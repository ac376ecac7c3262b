import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { PREPARED_STATEMENTS } from '../../src/db/prepared-statement-rules.ts';

// The PGlite dialect runs statements through its own protocol path (src/db/pglite-statements.ts): named prepared
// statements, one batched call per statement, replies decoded into rows. These tests hold it to what PGlite's own
// query() returns for the same SQL and parameters, and show the prepared statements surviving schema changes.
// They make their own in-memory PGlite, so they run the same whatever database the rest of the suite uses.

let handle: DatabaseHandle;
let pglite: PGlite;
let db: Kysely<any>;

/** each group of tests on a database of its own: what one group leaves prepared cannot help or hurt another */
function ownDatabase(setUp: string) {
  beforeAll(async () => {
    handle = await openDatabase({ dataDir: 'memory://' });
    pglite = handle.pglite!;
    db = handle.db as Kysely<any>;
    if (setUp) await pglite.exec(setUp);
  });
  afterAll(() => handle.close());
}

/** the same statement through the dialect and through PGlite.query() */
async function both(statement: RawBuilder<unknown>) {
  const compiled = statement.compile(db);
  const viaDialect = await db.executeQuery(compiled);
  const viaPglite = await pglite.query(compiled.sql, compiled.parameters as unknown[]);
  return { viaDialect, viaPglite };
}

const preparedNames = async () =>
  (await pglite.query<{ name: string }>('select name from pg_prepared_statements order by name')).rows.map(
    (r) => r.name,
  );
const preparedStatements = async (containing: string) =>
  (await pglite.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.filter((r) =>
    r.statement.includes(containing),
  ).length;

describe('PGlite dialect: the same results as PGlite.query()', () => {
  ownDatabase(`
    create type mood as enum ('calm', 'busy');
    create table kinds (
      id bigint primary key, n integer, small smallint, big bigint, amount numeric(12,2), ratio double precision,
      label text, code varchar(8), flag boolean, at timestamptz, day date, stamp timestamp, doc json, docb jsonb,
      raw bytea, tags text[], nums integer[], ref uuid, m mood
    );
    insert into kinds values
      (1, 42, -3, 9007199254740991, 1234.50, 0.25, 'plain', 'ab', true, '2026-11-21 08:30:15.123+08', '2026-02-28',
       '2026-11-21 08:30:15', '{"a":[1,"二"]}', '{"b":{"c":null}}', '\\x00ff10', '{"x","y,z","q\\"uote"}', '{1,NULL,3}',
       '0e6f1a52-98a2-4fb3-a1a3-8b5a0d6f9a11', 'busy'),
      (2, null, null, null, null, null, '中文 and emoji 🎉', null, false, null, null, null, null, null, null, '{}', null, null, null);
  `);

  it('every column type, nulls included, decodes to the same values', async () => {
    const { viaDialect, viaPglite } = await both(sql`select * from kinds where id >= ${1} order by id`);
    expect(viaDialect.rows).toHaveLength(2);
    expect(viaDialect.rows).toEqual(viaPglite.rows);
    const [first] = viaDialect.rows as any[];
    // spot checks that would catch a decoder that only agreed with itself
    expect(first.big).toBe(9007199254740991);
    expect(first.at).toEqual(new Date('2026-11-21T00:30:15.123Z'));
    expect(first.doc).toEqual({ a: [1, '二'] });
    expect(Array.from(first.raw as Uint8Array)).toEqual([0, 255, 16]);
    expect(first.tags).toEqual(['x', 'y,z', 'q"uote']);
    expect(first.nums).toEqual([1, null, 3]);
    expect((viaDialect.rows[1] as any).label).toBe('中文 and emoji 🎉');
  });

  it('parameters of every kind are sent as PGlite sends them', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const cases: RawBuilder<unknown>[] = [
      sql`select ${at}::timestamptz as t, ${'2026-03-01'}::date as d, ${true} as b, ${false}::boolean as f`,
      sql`select ${{ k: [1, 'v'] }}::jsonb as j, ${JSON.stringify({ s: 1 })}::json as s, ${[3, 1, 2]}::int[] as a`,
      sql`select ${Buffer.from([1, 2, 250])}::bytea as raw, ${12345678901234n}::bigint as big, ${'12.30'}::numeric as num`,
      sql`select ${null}::text as nothing, ${'中文'} || ${'🎉'} as joined, ${7}::int + ${0.5}::float8 as sum`,
      sql`select label from kinds where tags = ${['x', 'y,z', 'q"uote']} and flag = ${true}`,
    ];
    for (const statement of cases) {
      const { viaDialect, viaPglite } = await both(statement);
      expect(viaDialect.rows).toEqual(viaPglite.rows);
      expect(viaDialect.rows).toHaveLength(1);
    }
  });

  it('counts affected rows as PGlite does, and a later column of the same name wins', async () => {
    await sql`create table counted (id integer primary key, v text)`.execute(db);
    const inserted = await db
      .insertInto('counted')
      .values([
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
        { id: 3, v: 'c' },
      ])
      .executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(3n);
    const updated = await db.updateTable('counted').set({ v: 'z' }).where('id', '<', 3).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await db.deleteFrom('counted').where('id', '=', 3).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
    const { viaDialect, viaPglite } = await both(sql`select id as x, v as x from counted where id = ${1}`);
    expect(viaDialect.rows).toEqual([{ x: 'z' }]);
    expect(viaDialect.rows).toEqual(viaPglite.rows);
  });

  it('errors are the DatabaseError PGlite throws, with the query and parameters; the session carries on', async () => {
    await sql`create table uniq (id integer primary key, email text unique)`.execute(db);
    await db.insertInto('uniq').values({ id: 1, email: 'a@x' }).execute();
    const insert = () => db.insertInto('uniq').values({ id: 2, email: 'a@x' }).execute();
    const viaDialect: any = await insert().catch((e) => e);
    const compiled = db.insertInto('uniq').values({ id: 2, email: 'a@x' }).compile();
    const viaPglite: any = await pglite.query(compiled.sql, compiled.parameters as unknown[]).catch((e) => e);
    expect(viaDialect.code).toBe('23505');
    for (const key of ['name', 'message', 'severity', 'code', 'detail', 'constraint', 'table', 'schema'])
      expect(viaDialect[key]).toEqual(viaPglite[key]);
    expect(viaDialect.constructor).toBe(viaPglite.constructor);
    expect(viaDialect.query).toBe(compiled.sql);
    expect(viaDialect.params).toEqual([2, 'a@x']);
    // a value PostgreSQL cannot read fails at Bind, not at Parse
    const badInput: any = await sql`select ${'not a number'}::int as n`.execute(db).catch((e) => e);
    expect(badInput.code).toBe('22P02');
    expect((await db.selectFrom('uniq').select('email').where('id', '=', 1).execute()).map((r) => r.email)).toEqual([
      'a@x',
    ]);
  });

  it('a failed statement inside a transaction fails the transaction, and the rollback undoes its earlier work', async () => {
    await sql`create table trx (id integer primary key)`.execute(db);
    const failed = await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('trx').values({ id: 1 }).execute();
        await trx.insertInto('trx').values({ id: 1 }).execute();
      })
      .catch((e) => e);
    expect(failed.code).toBe('23505');
    expect(await db.selectFrom('trx').selectAll().execute()).toEqual([]);
    await db.transaction().execute((trx) => trx.insertInto('trx').values({ id: 2 }).execute());
    expect(await db.selectFrom('trx').selectAll().execute()).toEqual([{ id: 2 }]);
  });
});

describe('PGlite dialect: prepared statements', () => {
  ownDatabase('');

  it('a statement is prepared once and reused with new values', async () => {
    await sql`create table reuse (id integer primary key, v text)`.execute(db); // DDL closes what was prepared
    expect(await preparedNames()).toEqual([]);
    await db
      .insertInto('reuse')
      .values([
        { id: 1, v: 'one' },
        { id: 2, v: 'two' },
        { id: 3, v: 'three' },
      ])
      .execute();
    const read = (id: number) => db.selectFrom('reuse').select('v').where('id', '=', id).executeTakeFirst();
    expect([await read(1), await read(2), await read(3), await read(4)]).toEqual([
      { v: 'one' },
      { v: 'two' },
      { v: 'three' },
      undefined,
    ]);
    expect(await preparedStatements('from "reuse"')).toBe(1);
    expect(await preparedStatements('insert into "reuse"')).toBe(1);
  });

  it('concurrent reads each get their own row', async () => {
    await sql`create table many (id integer primary key, v text)`.execute(db);
    await sql`insert into many select g, 'v' || g from generate_series(1, 200) g`.execute(db);
    const ids = Array.from({ length: 200 }, (_, i) => 200 - i);
    const rows = await Promise.all(
      ids.map((id) => db.selectFrom('many').select(['id', 'v']).where('id', '=', id).executeTakeFirstOrThrow()),
    );
    expect(rows).toEqual(ids.map((id) => ({ id, v: `v${id}` })));
  });

  it(`at most ${PREPARED_STATEMENTS} are kept; statements beyond them still run, unnamed`, async () => {
    await sql`create table wide (id integer primary key)`.execute(db);
    await sql`insert into wide select generate_series(1, 600)`.execute(db);
    // `in (...)` lists of every length up to 600: 600 distinct statements
    for (let length = 1; length <= 600; length++) {
      const ids = Array.from({ length }, (_, i) => i + 1);
      const found = await db
        .selectFrom('wide')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', 'in', ids)
        .executeTakeFirstOrThrow();
      expect(Number(found.n)).toBe(length);
    }
    expect((await preparedNames()).length).toBe(PREPARED_STATEMENTS);
  });
});

// PostgreSQL refuses a prepared `select *` whose table gained a column ("cached plan must not change result type").
// On PostgreSQL the change comes from another process (test/db/prepared-statements.test.ts); on PGlite it can only
// come through this session, or past the dialect through the PGlite object itself.
describe('PGlite dialect: prepared statements and schema changes', () => {
  ownDatabase('');
  const read = (trx: Kysely<any>, id: number) =>
    trx.selectFrom('probe').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a column added through the dialect: the next reads see it, inside a transaction too', async () => {
    await sql`create table probe (id integer primary key, a text not null)`.execute(db);
    await sql`insert into probe values (1, 'one'), (2, 'two')`.execute(db);
    for (let i = 0; i < 3; i++)
      expect(await Promise.all([read(db, 1), read(db, 2)])).toEqual([
        { id: 1, a: 'one' },
        { id: 2, a: 'two' },
      ]);
    expect(await preparedStatements('from "probe"')).toBe(1);

    await sql`alter table probe add column b text not null default 'x'`.execute(db);
    // the first use after the change is inside a transaction: it must not fail
    expect(await db.transaction().execute((trx) => read(trx, 2))).toEqual({ id: 2, a: 'two', b: 'x' });
    expect(await read(db, 1)).toEqual({ id: 1, a: 'one', b: 'x' });

    await db.transaction().execute(async (trx) => {
      await sql`alter table probe drop column a`.execute(trx);
      expect(await read(trx, 1)).toEqual({ id: 1, b: 'x' });
    });
    expect(await read(db, 2)).toEqual({ id: 2, b: 'x' });
  });

  it('a column added past the dialect: the next read outside a transaction prepares the statement again and succeeds', async () => {
    await sql`create table probe2 (id integer primary key, a text not null)`.execute(db);
    await sql`insert into probe2 values (1, 'one')`.execute(db);
    const read2 = (trx: Kysely<any>) =>
      trx.selectFrom('probe2').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    expect(await read2(db)).toEqual({ id: 1, a: 'one' });
    expect(await preparedStatements('from "probe2"')).toBe(1);
    await pglite.exec(`alter table probe2 add column b integer not null default 7`);
    expect(await read2(db)).toEqual({ id: 1, a: 'one', b: 7 });

    // inside a transaction the refusal fails that transaction (as on PostgreSQL); the next use is prepared afresh
    await pglite.exec(`alter table probe2 add column c text`);
    const failed = await db
      .transaction()
      .execute((trx) => read2(trx))
      .catch((e) => e);
    expect(failed.code).toBe('0A000');
    expect(await db.transaction().execute((trx) => read2(trx))).toEqual({ id: 1, a: 'one', b: 7, c: null });
  });
});
