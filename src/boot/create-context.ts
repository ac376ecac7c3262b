import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { createLogger } from '../logger.ts';
import { createSecretBox, loadMasterKey } from '../secrets/secret-box.ts';
import { OrderUpdates } from '../events/order-updates.ts';
import { createPaymentRuntime } from '../providers/payment-runtime.ts';
import { httpTransport } from '../providers/http-transport.ts';
import type { Transport } from '../providers/provider.ts';
import { createSandbox } from '../sandbox/sandbox.ts';
import { loadOrCreateSandboxKeys, type SandboxKeys } from '../secrets/sandbox-keys.ts';

export interface ContextOptions {
  clock?: Clock;
  /** how ordo reaches payment gateways and how the sandbox reaches ordo (HTTP unless a test routes it) */
  transport?: Transport;
  /** sandbox keys; by default read from (or created in) the data folder */
  sandboxKeys?: SandboxKeys;
  /** the simulated gateways' clock, when a test wants it to disagree with ordo's (clock skew) */
  sandboxClock?: Clock;
  /** the master key for sealed secrets; by default ORDO_MASTER_KEY or `<dataDir>/master.key` */
  masterKey?: Buffer;
}

/** Builds the AppContext every flow and route receives, from the settings and an open database. */
export function createContext(config: Config, handle: DatabaseHandle, options: ContextOptions = {}): AppContext {
  const clock = options.clock ?? systemClock;
  const transport = options.transport ?? httpTransport();
  const keys = config.sandbox ? (options.sandboxKeys ?? loadOrCreateSandboxKeys(config.dataDir)) : null;
  return {
    db: handle.db,
    readDb: handle.readDb,
    replicas: handle.replicas,
    clock,
    config,
    log: createLogger(config.logLevel),
    payments: createPaymentRuntime({
      publicBaseUrl: config.publicUrl,
      sandbox: keys && { keys, baseUrl: `${config.publicUrl}/sandbox` },
      transport,
      clock,
    }),
    orderUpdates: new OrderUpdates(handle.kind === 'postgres' ? config.databaseUrl : undefined),
    sandbox: keys && createSandbox(keys, options.sandboxClock ?? clock, transport, `${config.publicUrl}/sandbox`),
    secretBox: createSecretBox(options.masterKey ?? loadMasterKey(config.masterKey, config.dataDir)),
  };
}
