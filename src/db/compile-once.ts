import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './connect.ts';

/**
 * A query built and compiled once, then run with new values on every call. Kysely builds an immutable tree and
 * compiles it to SQL each time a query is written out, which costs more of ordo's CPU than the round trip itself
 * on the hottest reads (bench/README.md).
 *
 * `build` declares one parameter per value after `db` and is called once, with a stand-in object for each value:
 * it must put each value where Kysely makes a parameter of it (a comparison, a `sql` placeholder), never in a list
 * or object Kysely would take apart, nor decide anything by it. A value that does not reach the parameters is
 * refused on the first call.
 */
export function compileOnce<Values extends unknown[], Row>(build: (db: Db, ...values: Values) => Compilable<Row>) {
  let compiled: { query: CompiledQuery<Row>; sources: number[] } | undefined;
  const compile = (db: Db) => {
    const standIns = Array.from({ length: build.length - 1 }, (_, i) => ({ standIn: i }));
    const query = build(db, ...(standIns as unknown as Values)).compile();
    // for each parameter: which value fills it, or -1 for a constant the builder wrote itself
    const sources = query.parameters.map((p) => standIns.indexOf(p as (typeof standIns)[number]));
    standIns.forEach((_, i) => {
      if (!sources.includes(i)) throw new Error(`compileOnce: value ${i + 1} is not a parameter of: ${query.sql}`);
    });
    return { query, sources };
  };
  return async (db: Db, ...values: Values): Promise<Row[]> => {
    compiled ??= compile(db);
    const { query, sources } = compiled;
    const parameters = sources.map((source, i) => (source === -1 ? query.parameters[i] : values[source]));
    const result = await db.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}
