import { resolve } from 'node:path';
import { backUpDatabase } from '../backup/back-up-database.ts';
import { restoreDatabase } from '../backup/restore-database.ts';
import type { Config } from '../config.ts';
import { DataFolderInUse } from '../db/data-folder-lock.ts';
import { EXIT } from './command-spec.ts';

/**
 * `backup <file>` and `restore <file>` work on the database files, never through a running server: on PGlite they
 * need the data folder to themselves (exit 3 while ordo runs); on PostgreSQL a backup is consistent while ordo runs.
 */
export async function backupOrRestore(config: Config, action: 'backup' | 'restore', fileName: string): Promise<number> {
  // `npm run` runs in the package's folder: a relative name means relative to where the user typed it (INIT_CWD)
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), fileName);
  try {
    if (action === 'backup') {
      const done = await backUpDatabase(config, file);
      console.log(
        `backed up the ${done.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} database to ${file} (${done.bytes} bytes)`,
      );
    } else {
      const done = await restoreDatabase(config, file);
      console.log(`restored the ${done.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} database from ${file}`);
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof DataFolderInUse) {
      console.error(
        `ordo: ${action} refused: ${err.message}. Stop it first (the embedded database belongs to one process), then run ${action} again.`,
      );
      return EXIT.folderInUse;
    }
    const stderr = (err as { stderr?: string }).stderr;
    // the command line holds the database URL (and maybe its password): only the tool's own words are shown
    console.error(
      `ordo: ${action} failed: ${(stderr?.trim() || (err as Error).message.replace(/--dbname=\S+/g, '--dbname=…')).split('\n').join(' ')}`,
    );
    return EXIT.failed;
  }
}
