export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; empty means the embedded PGlite in `dataDir`. */
  databaseUrl: string;
  dataDir: string;
  /** The merchant a member signs up with when the request names none (single-shop deployments). */
  defaultMerchantId: number;
  memberTokenTtlHours: number;
  staffTokenTtlHours: number;
  expirySweepSeconds: number;
  reconcileSeconds: number;
  orderTimerSeconds: number;
  webhookSeconds: number;
  timeZone: string;
  logLevel: string;
  /** Load demo data into an empty database on start. */
  seedDemo: boolean;
  /** Mount the provider simulator at /sandbox and let sandbox payment accounts use it. */
  sandbox: boolean;
  /** ordo's base URL as payment gateways reach it (notify URLs); defaults to http://127.0.0.1:PORT */
  publicUrl: string;
  /** base64 of 32 bytes that seals app secrets; empty means `<dataDir>/master.key` (created on first start) */
  masterKey: string;
  /** where each seed system's API is mounted */
  dialectPrefixes: Record<'mall' | 'wholesale' | 'yoshop' | 'storefront' | 'xxpay', string>;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL ?? '',
    dataDir: env.ORDO_DATA_DIR || './data',
    defaultMerchantId: integer(env, 'ORDO_DEFAULT_MERCHANT_ID', 10001),
    memberTokenTtlHours: integer(env, 'ORDO_MEMBER_TOKEN_TTL_HOURS', 24 * 30),
    staffTokenTtlHours: integer(env, 'ORDO_STAFF_TOKEN_TTL_HOURS', 12),
    expirySweepSeconds: integer(env, 'ORDO_EXPIRY_SWEEP_SECONDS', 15),
    reconcileSeconds: integer(env, 'ORDO_RECONCILE_SECONDS', 5),
    orderTimerSeconds: integer(env, 'ORDO_ORDER_TIMER_SECONDS', 60),
    webhookSeconds: integer(env, 'ORDO_WEBHOOK_SECONDS', 5),
    timeZone: env.ORDO_TIME_ZONE || 'Asia/Shanghai',
    logLevel: env.LOG_LEVEL || 'info',
    seedDemo: env.ORDO_SEED_DEMO !== 'false',
    sandbox: env.ORDO_SANDBOX !== 'false',
    masterKey: env.ORDO_MASTER_KEY ?? '',
    dialectPrefixes: {
      mall: env.ORDO_MALL_PREFIX || '/mall',
      wholesale: env.ORDO_WHOLESALE_PREFIX || '/wholesale',
      yoshop: env.ORDO_YOSHOP_PREFIX || '/yoshop',
      storefront: env.ORDO_STOREFRONT_PREFIX || '/storefront',
      xxpay: env.ORDO_XXPAY_PREFIX || '/xxpay',
    },
    publicUrl: (env.ORDO_PUBLIC_URL || `http://127.0.0.1:${integer(env, 'PORT', 8080)}`).replace(/\/$/, ''),
  };
}
