import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import type { OrderUpdates } from './events/order-updates.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import type { PaymentRuntime } from './providers/payment-runtime.ts';
import type { Sandbox } from './sandbox/sandbox.ts';

/** What every use case receives: the database, the clock, the settings, a logger, the payment gateways and the live-update bus. */
export interface AppContext {
  db: Db;
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
