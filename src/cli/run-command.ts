import type { Config } from '../config.ts';
import { DataFolderInUse } from '../db/data-folder-lock.ts';
import { createContext } from '../boot/create-context.ts';
import { openConfiguredDatabase } from '../boot/open-database.ts';
import { runDataCommand, type CommandResult } from './commands.ts';
import { EXIT, type DataCommand, type OptionValues } from './command-spec.ts';
import { LOCAL_ADMIN_PATH, readLocalAdmin } from './local-admin.ts';

/**
 * Runs a database command: on the database itself, or — when a running ordo holds the PGlite data folder (it alone
 * may open it) — inside that ordo, through its local admin route. PostgreSQL takes any number of processes, so
 * there the CLI always works on the database itself.
 */
export async function executeDataCommand(config: Config, command: DataCommand, options: OptionValues): Promise<number> {
  let result: CommandResult;
  try {
    const handle = await openConfiguredDatabase(config);
    try {
      result = await runDataCommand(command, createContext(config, handle), options);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (!(err instanceof DataFolderInUse)) throw err;
    result = await throughRunningOrdo(config, command, options, err);
  }
  if (result.output) console.log(result.output);
  if (result.error) console.error(`ordo: ${result.error}`);
  return result.exitCode;
}

async function throughRunningOrdo(
  config: Config,
  command: DataCommand,
  options: OptionValues,
  inUse: DataFolderInUse,
): Promise<CommandResult> {
  const admin = readLocalAdmin(config.dataDir);
  const { pid } = inUse.holder;
  if (!admin || admin.pid !== pid) {
    return {
      exitCode: EXIT.folderInUse,
      error: `${inUse.message}, which does not take commands from the CLI (not an ordo server, or one still starting). Run this again once it is ready, or once it has ended.`,
    };
  }
  let response: Response;
  try {
    response = await fetch(`${admin.url}${LOCAL_ADMIN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ command: command.name, options }),
    });
  } catch (err) {
    return {
      exitCode: EXIT.folderInUse,
      error: `the running ordo (pid ${pid}) holds the data folder ${inUse.folder}, but it did not answer at ${admin.url} (${(err as Error).message}). Stop it and run the command again.`,
    };
  }
  const body = (await response.json().catch(() => null)) as (CommandResult & { error?: unknown }) | null;
  if (!response.ok || !body) {
    const message = (body?.error as { message?: string } | undefined)?.message ?? `HTTP ${response.status}`;
    return { exitCode: EXIT.failed, error: `the running ordo (pid ${pid}) refused the command: ${message}` };
  }
  console.error(`ordo: done by the running ordo (pid ${pid}), which holds the data folder`);
  return body;
}
