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
  /** ORDO_ENV (or NODE_ENV) = production: refuse to start with demo settings (see production-checks.ts) */
  production: boolean;
  /** Fastify's trustProxy: whose X-Forwarded-For to believe for the client address that per-IP limits count */
  trustProxy: boolean | string;
  /** Abuse limits: requests per `rateLimitWindowSeconds`, per client address and per account (README "Operations"). */
  rateLimitWindowSeconds: number;
  signInLimitPerIp: number;
  signInLimitPerAccount: number;
  smsLimitPerIp: number;
  smsLimitPerAccount: number;
  paymentStartLimitPerIp: number;
  paymentStartLimitPerAccount: number;
  /** this many failed sign-ins in a row lock the account for `lockoutMinutes`; 0 turns lock-out off */
  lockoutFailures: number;
  lockoutMinutes: number;
  bodyLimitBytes: number;
  /** the whole request (headers and body) must arrive within this time; 0 turns it off */
  requestTimeoutSeconds: number;
  /** a connection silent for this long is closed; 0 turns it off */
  connectionTimeoutSeconds: number;
  /** on SIGTERM, how long in-flight requests and job passes may take before connections are cut */
  shutdownTimeoutSeconds: number;
  /** when set, GET /metrics needs `Authorization: Bearer <token>` */
  metricsToken: string;
}

/** Every problem with the environment at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`ordo cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value > max) {
      problems.push(`${name} must be a whole number from 0 to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = (env[name] ?? '').trim().toLowerCase();
    if (raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const config: Config = {
    port: integer('PORT', 8080, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL ?? '',
    dataDir: env.ORDO_DATA_DIR || './data',
    defaultMerchantId: integer('ORDO_DEFAULT_MERCHANT_ID', 10001),
    memberTokenTtlHours: integer('ORDO_MEMBER_TOKEN_TTL_HOURS', 24 * 30),
    staffTokenTtlHours: integer('ORDO_STAFF_TOKEN_TTL_HOURS', 12),
    expirySweepSeconds: integer('ORDO_EXPIRY_SWEEP_SECONDS', 15),
    reconcileSeconds: integer('ORDO_RECONCILE_SECONDS', 5),
    orderTimerSeconds: integer('ORDO_ORDER_TIMER_SECONDS', 60),
    webhookSeconds: integer('ORDO_WEBHOOK_SECONDS', 5),
    timeZone: env.ORDO_TIME_ZONE || 'Asia/Shanghai',
    logLevel: env.LOG_LEVEL || 'info',
    seedDemo: boolean('ORDO_SEED_DEMO', true),
    sandbox: boolean('ORDO_SANDBOX', true),
    masterKey: env.ORDO_MASTER_KEY ?? '',
    dialectPrefixes: {
      mall: env.ORDO_MALL_PREFIX || '/mall',
      wholesale: env.ORDO_WHOLESALE_PREFIX || '/wholesale',
      yoshop: env.ORDO_YOSHOP_PREFIX || '/yoshop',
      storefront: env.ORDO_STOREFRONT_PREFIX || '/storefront',
      xxpay: env.ORDO_XXPAY_PREFIX || '/xxpay',
    },
    publicUrl: (env.ORDO_PUBLIC_URL || `http://127.0.0.1:${env.PORT || 8080}`).replace(/\/$/, ''),
    production: [env.ORDO_ENV, env.NODE_ENV].includes('production'),
    trustProxy: trustProxy(env.ORDO_TRUST_PROXY ?? ''),
    rateLimitWindowSeconds: integer('ORDO_RATE_LIMIT_WINDOW_SECONDS', 60),
    signInLimitPerIp: integer('ORDO_SIGN_IN_LIMIT_PER_IP', 30),
    signInLimitPerAccount: integer('ORDO_SIGN_IN_LIMIT_PER_ACCOUNT', 10),
    smsLimitPerIp: integer('ORDO_SMS_LIMIT_PER_IP', 10),
    smsLimitPerAccount: integer('ORDO_SMS_LIMIT_PER_ACCOUNT', 5),
    paymentStartLimitPerIp: integer('ORDO_PAYMENT_START_LIMIT_PER_IP', 120),
    paymentStartLimitPerAccount: integer('ORDO_PAYMENT_START_LIMIT_PER_ACCOUNT', 30),
    lockoutFailures: integer('ORDO_LOCKOUT_FAILURES', 5),
    lockoutMinutes: integer('ORDO_LOCKOUT_MINUTES', 15),
    bodyLimitBytes: integer('ORDO_BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES),
    requestTimeoutSeconds: integer('ORDO_REQUEST_TIMEOUT_SECONDS', 30),
    connectionTimeoutSeconds: integer('ORDO_CONNECTION_TIMEOUT_SECONDS', 120),
    shutdownTimeoutSeconds: integer('ORDO_SHUTDOWN_TIMEOUT_SECONDS', 25),
    metricsToken: env.ORDO_METRICS_TOKEN ?? '',
  };
  check(LOG_LEVELS.includes(config.logLevel), `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${config.logLevel}"`);
  check(validTimeZone(config.timeZone), `ORDO_TIME_ZONE must be an IANA time zone such as Asia/Shanghai, got "${config.timeZone}"`);
  check(!config.databaseUrl || /^postgres(ql)?:\/\/\S+$/.test(config.databaseUrl), 'DATABASE_URL must be a postgres:// (or postgresql://) URL');
  check(validHttpUrl(config.publicUrl), `ORDO_PUBLIC_URL must be an http(s) URL, got "${config.publicUrl}"`);
  check(!config.masterKey || Buffer.from(config.masterKey, 'base64').length === 32, 'ORDO_MASTER_KEY must be base64 of 32 bytes (openssl rand -base64 32)');
  check(config.bodyLimitBytes >= 1024, 'ORDO_BODY_LIMIT_BYTES must be at least 1024');
  check(config.rateLimitWindowSeconds >= 1, 'ORDO_RATE_LIMIT_WINDOW_SECONDS must be at least 1');
  for (const [name, prefix] of Object.entries(config.dialectPrefixes)) {
    check(/^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(prefix), `ORDO_${name.toUpperCase()}_PREFIX must look like /${name}, got "${prefix}"`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function trustProxy(raw: string): boolean | string {
  const value = raw.trim();
  if (value === '' || value === 'false') return false;
  return value === 'true' ? true : value; // addresses or CIDR ranges of the proxies, separated by commas
}

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function validHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
