import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { PLAN_RESULT_CHANGED, PREPARED_STATEMENTS } from './prepared-statement-rules.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded database itself, when there is one (tests dump it to clone it). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without it ordo runs on the embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder; `memory://` keeps it in memory. */
  dataDir?: string;
  /** A PGlite data folder dump to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  poolSize?: number;
}

const INT8 = 20;
// bigint columns hold fen and ids, all far below 2^53: numbers are safe and keep the code free of BigInt.
const parseInt8 = (value: string) => Number(value);

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

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      Client: PreparingClient,
      types: {
        getTypeParser: (oid: number, format?: any) => (oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)),
      } as any,
    });
    // An idle connection that the server drops (restart, failover) is discarded by the pool and replaced on the
    // next query; without a listener the 'error' event would crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? 'memory://';
  // a folder on disk belongs to one process at a time; this refuses before PGlite reads or writes a file of it
  const lock = dataDir.includes('://') ? null : lockDataFolder(dataDir);
  const pglite = await PGlite.create({
    dataDir,
    loadDataDir: options.loadDataDir,
    parsers: { [INT8]: parseInt8 },
    // the order search's trigram index (migration 008)
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
  }).catch((err: unknown) => {
    lock?.release();
    throw err;
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}
