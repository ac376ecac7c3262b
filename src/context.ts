import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import type { ReadReplicas } from './db/replicas/read-replicas.ts';
import type { OrderUpdates } from './events/order-updates.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import type { PaymentRuntime } from './providers/payment-runtime.ts';
import type { Sandbox } from './sandbox/sandbox.ts';

/** What every use case receives: the database, the clock, the settings, a logger, the payment gateways and the live-update bus. */
export interface AppContext {
  /** the primary: every write, every read that decides one, tokens, jobs */
  db: Db;
  /** reads a little lag cannot harm (catalogue, admin lists, reports, metrics): a read replica when one is usable */
  readDb: Db;
  /** the read replicas, for reads that must see the caller's own writes (`at(position)`); null without replicas */
  replicas: ReadReplicas | null;
  clock: Clock;
  config: Config;
  log: Logger;
  payments: PaymentRuntime;
  orderUpdates: OrderUpdates;
  /** the provider simulator, in sandbox mode */
  sandbox: Sandbox | null;
  /** seals secrets ordo must read back (app signing keys) under the master key */
  secretBox: SecretBox;
}
