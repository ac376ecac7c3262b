import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';

/** What every use case receives: the database, the clock, the settings and a logger. */
export interface AppContext {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
}
