import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.ts';
import { lockDataFolder } from '../db/data-folder-lock.ts';

const run = promisify(execFile);

/** PostgreSQL's client tools: ORDO_PG_BIN, else the Debian PostgreSQL 15 folder, else whatever is on PATH. */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const dir = process.env.ORDO_PG_BIN || '/usr/lib/postgresql/15/bin';
  return existsSync(join(dir, name)) ? join(dir, name) : name;
}

export const pgliteDir = (config: Config) => join(config.dataDir, 'pglite');

/**
 * Writes the whole database to `file`: on PostgreSQL a pg_dump archive (custom format; consistent while ordo runs,
 * it reads one snapshot); on the embedded PGlite a gzipped tar of its data folder (stop ordo first: PGlite is one
 * process's database, so this refuses with DataFolderInUse while ordo runs). The master key is not in it: keep ORDO_MASTER_KEY (or data/master.key) with the backup,
 * or app secrets cannot be opened after a restore.
 */
export async function backUpDatabase(
  config: Config,
  file: string,
): Promise<{ kind: 'postgres' | 'pglite'; bytes: number }> {
  mkdirSync(dirname(file), { recursive: true });
  if (config.databaseUrl) {
    await run(pgTool('pg_dump'), [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--file=${file}`,
      `--dbname=${config.databaseUrl}`,
    ]);
    return { kind: 'postgres', bytes: statSync(file).size };
  }
  const dir = pgliteDir(config);
  if (!existsSync(dir)) throw new Error(`no embedded database in ${dir} (ORDO_DATA_DIR)`);
  const lock = lockDataFolder(dir);
  try {
    const pglite = await PGlite.create({ dataDir: dir });
    try {
      const dump = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
      writeFileSync(file, dump);
      return { kind: 'pglite', bytes: dump.length };
    } finally {
      await pglite.close();
    }
  } finally {
    lock.release();
  }
}
