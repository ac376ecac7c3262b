import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { databaseUrlFor } from './postgres-urls.ts';

export interface EmptyDatabase {
  /** the environment that points an ordo process (npm start, the CLI) at it */
  env: Record<string, string>;
  /** opens it from the test, once the process is done with it */
  open(): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

/** A database with nothing in it for a child process: a fresh PGlite folder, or a new PostgreSQL database when DATABASE_URL is set. */
export async function emptyDatabase(label: string): Promise<EmptyDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `ordo_${label}_${process.pid}`;
    const admin = await openDatabase({ databaseUrl: serverUrl, poolSize: 1 });
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await sql.raw(`create database ${name}`).execute(admin.db);
    const url = databaseUrlFor(serverUrl, name);
    return {
      env: { DATABASE_URL: url },
      open: () => openDatabase({ databaseUrl: url }),
      async drop() {
        await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
        await admin.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `ordo-${label}-`));
  return {
    env: { DATABASE_URL: '', ORDO_DATA_DIR: dir },
    open: () => openDatabase({ dataDir: join(dir, 'pglite') }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
