import { execFile } from 'node:child_process';
import { openSync, readFileSync, readSync, closeSync, rmSync, renameSync, existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.ts';
import { lockDataFolder } from '../db/data-folder-lock.ts';
import { pgliteDir, pgTool } from './back-up-database.ts';

const run = promisify(execFile);

/** Which kind of backup a file holds, from its first bytes: pg_dump's "PGDMP", or gzip (a PGlite data folder). */
function kindOf(file: string): 'postgres' | 'pglite' | null {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(5);
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  return head[0] === 0x1f && head[1] === 0x8b ? 'pglite' : null;
}

/**
 * Replaces the configured database with the backup in `file` (made by backUpDatabase). Stop ordo first (on PGlite
 * this refuses with DataFolderInUse while another process holds the folder). On
 * PostgreSQL the existing tables are dropped and the backup's recreated in one transaction (pg_restore --clean
 * --single-transaction), so a failed restore leaves the database as it was; on PGlite the data folder is rebuilt
 * beside the old one and swapped in only once it opens.
 */
export async function restoreDatabase(config: Config, file: string): Promise<{ kind: 'postgres' | 'pglite' }> {
  if (!existsSync(file)) throw new Error(`no backup file ${file}`);
  const kind = kindOf(file);
  const expected = config.databaseUrl ? 'postgres' : 'pglite';
  if (kind === null) throw new Error(`${file} is not an ordo backup`);
  if (kind !== expected)
    throw new Error(
      `${file} is a ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} backup, but ordo is configured for ${expected === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'the embedded PGlite'}`,
    );
  if (kind === 'postgres') {
    await run(pgTool('pg_restore'), [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${config.databaseUrl}`,
      file,
    ]);
    return { kind };
  }
  const dir = pgliteDir(config);
  // also creates the data folder when it does not exist yet (restoring onto a new machine)
  const lock = lockDataFolder(dir);
  try {
    const incoming = `${dir}.restoring`;
    rmSync(incoming, { recursive: true, force: true });
    const pglite = await PGlite.create({ dataDir: incoming, loadDataDir: new Blob([readFileSync(file)]) });
    await pglite.query('select 1');
    await pglite.close();
    rmSync(dir, { recursive: true, force: true });
    renameSync(incoming, dir);
    return { kind };
  } finally {
    lock.release();
  }
}
