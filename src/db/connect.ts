import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { lockDataFolder } from './data-folder-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { ReadReplicas, type ReadReplicaSettings } from './replicas/read-replicas.ts';
import { INT8, openPostgresPool, parseInt8 } from './postgres-pool.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  /** Reads a little lag cannot harm: a usable read replica, else the primary; `db` itself when there are none. */
  readDb: Db;
  /** The read replicas and their probe, when DATABASE_READ_URL names any (PostgreSQL only). */
  replicas: ReadReplicas | null;
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
  /** streaming replicas of `databaseUrl` to send reads to */
  readReplicas?: ReadReplicaSettings;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = openPostgresPool(options.databaseUrl, options.poolSize ?? 10);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const replicas = options.readReplicas?.urls.length ? await ReadReplicas.open(pool, db, options.readReplicas) : null;
    return {
      db,
      readDb: replicas?.readDb ?? db,
      replicas,
      kind: 'postgres',
      close: async () => {
        await replicas?.close();
        await db.destroy();
      },
    };
  }
  if (options.readReplicas?.urls.length)
    throw new Error('read replicas need a PostgreSQL primary (DATABASE_URL), not the embedded database');
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
    readDb: db,
    replicas: null,
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
