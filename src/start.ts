import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logger.ts';

/** Opens (and on first use creates and migrates) the configured database. */
export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl || undefined, dataDir: join(config.dataDir, 'pglite') });
  await migrateToLatest(handle.db);
  return handle;
}

export function createContext(config: Config, handle: DatabaseHandle, clock: Clock = systemClock): AppContext {
  return { db: handle.db, clock, config, log: createLogger(config.logLevel) };
}
