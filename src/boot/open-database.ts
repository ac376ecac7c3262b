import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { DataFolderInUse } from '../db/data-folder-lock.ts';
import { migrateToLatest } from '../db/migrate.ts';

/** Opens (and on first use creates and migrates) the configured database. */
export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl || undefined,
    dataDir: join(config.dataDir, 'pglite'),
    readReplicas: {
      urls: config.readDatabaseUrls,
      maxLagMs: config.readMaxLagMs,
      poolSize: config.readPoolSize,
    },
  });
  await migrateToLatest(handle.db);
  return handle;
}

/**
 * For the server entries (npm start, npm run serve, npm run seed): a PGlite data folder that another live process
 * holds ends this one at once with one line naming it (exit 3), before anything in the folder is touched.
 */
export async function openConfiguredDatabaseOrExit(config: Config): Promise<DatabaseHandle> {
  try {
    return await openConfiguredDatabase(config);
  } catch (err) {
    if (!(err instanceof DataFolderInUse)) throw err;
    console.error(
      `ordo cannot start: ${err.message}. One process per data folder: stop that one first, or give this one another ORDO_DATA_DIR (or a PostgreSQL DATABASE_URL).`,
    );
    process.exit(3);
  }
}
