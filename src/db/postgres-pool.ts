import { createHash } from 'node:crypto';
import pg from 'pg';
import { PLAN_RESULT_CHANGED, PREPARED_STATEMENTS } from './prepared-statement-rules.ts';

export const INT8 = 20;
// bigint columns hold fen and ids, all far below 2^53: numbers are safe and keep the code free of BigInt.
export const parseInt8 = (value: string) => Number(value);

/**
 * A pg client that sends every parameterised statement as a named prepared statement (named by a hash of its
 * text), so PostgreSQL parses and plans each statement once per connection instead of on every call. Kysely always
 * compiles the same query to the same text with `$n` placeholders, so the hot paths reuse a handful of statements.
 * Statements without parameters (begin, commit) keep the simple protocol.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    // a lookup is cheaper than hashing the text on every call; the map is bounded like the prepared statements
    if (statementNames.size >= 4 * PREPARED_STATEMENTS) statementNames.clear();
    name = `ordo_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A schema change made by another process (a rolling upgrade's migration) invalidates this connection's prepared
 * `*` statements. The connection then names its statements afresh (a new generation), so they are prepared again;
 * a statement that failed outside a transaction is retried once at once, one inside a transaction fails that
 * transaction (it is aborted) and the caller's retry or the next request succeeds.
 */
class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  private generation = 0;
  private inTransaction = false;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection that dies while checked out (a replica stopped, a server restarted) fails its query, which the
    // caller handles; the pool listens only to idle clients, so without this the 'error' event would end the process.
    // The pool sees the client is no longer queryable when it is released, and discards it.
    this.on('error', () => {});
  }

  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string') {
      if (/^\s*(begin|start transaction)\b/i.test(config)) this.inTransaction = true;
      else if (/^\s*(commit|rollback|end|abort)\s*$/i.test(config)) this.inTransaction = false;
    }
    if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0 || callback)
      return super.query(config, values, callback);
    const run = (): Promise<unknown> => {
      const name = `${statementName(config)}_${this.generation}`;
      if (!this.prepared.has(name) && this.prepared.size >= PREPARED_STATEMENTS) return super.query(config, values);
      this.prepared.add(name);
      return super.query({ name, text: config, values });
    };
    return run().catch((err: { code?: string }) => {
      if (err?.code !== PLAN_RESULT_CHANGED) throw err;
      this.generation++;
      this.prepared.clear();
      if (this.inTransaction) throw err;
      return run();
    });
  }
}

/** A pool of PreparingClients to one PostgreSQL server, bigint read as number. */
export function openPostgresPool(connectionString: string, max: number, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    Client: PreparingClient,
    types: {
      getTypeParser: (oid: number, format?: any) => (oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)),
    } as any,
    ...options,
  });
  // An idle connection that the server drops (restart, failover) is discarded by the pool and replaced on the
  // next query; without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  return pool;
}
