import { isIP } from 'node:net';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; empty means the embedded PGlite in `dataDir`. */
  databaseUrl: string;
  dataDir: string;
  /** Streaming replicas of the PostgreSQL primary for reads a little lag cannot harm (README "Deployment"). */
  readDatabaseUrls: string[];
  /** a replica further behind than this is skipped until it catches up */
  readMaxLagMs: number;
  /** connections per replica */
  readPoolSize: number;
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
  /** ORDO_ENV (or NODE_ENV) = production: refuse to start with demo settings (see boot/startup-checks.ts) */
  production: boolean;
  /** Fastify's trustProxy: whose X-Forwarded-For to believe for the client address (per-IP limits, audit log):
   * false, true (any hop), the proxies' addresses / CIDR ranges, or (for a hop count) which hops to trust */
  trustProxy: boolean | string | ((address: string, hop: number) => boolean);
  /** browser origins allowed cross-origin (exact `scheme://host[:port]`): the only ones for the mall's cookie
   * session; when not empty, the only ones on every other mount too (empty: any origin, without credentials) */
  corsOrigins: string[];
  /** how long a browser may cache a preflight answer */
  corsMaxAgeSeconds: number;
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
    readDatabaseUrls: listed(env.DATABASE_READ_URL ?? ''),
    readMaxLagMs: integer('ORDO_READ_MAX_LAG_MS', 2000, 3_600_000),
    readPoolSize: integer('ORDO_READ_POOL_SIZE', 10, 1000),
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
    trustProxy: trustProxy(env.ORDO_TRUST_PROXY ?? '', problems),
    corsOrigins: corsOrigins(env.ORDO_CORS_ORIGINS ?? '', problems),
    corsMaxAgeSeconds: integer('ORDO_CORS_MAX_AGE_SECONDS', 600, 86_400),
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
  check(
    LOG_LEVELS.includes(config.logLevel),
    `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${config.logLevel}"`,
  );
  check(
    validTimeZone(config.timeZone),
    `ORDO_TIME_ZONE must be an IANA time zone such as Asia/Shanghai, got "${config.timeZone}"`,
  );
  check(
    !config.databaseUrl || POSTGRES_URL.test(config.databaseUrl),
    'DATABASE_URL must be a postgres:// (or postgresql://) URL',
  );
  check(
    config.readDatabaseUrls.every(validPostgresUrl),
    'DATABASE_READ_URL must be one or more postgres:// URLs separated by commas',
  );
  check(
    !config.readDatabaseUrls.length || !!config.databaseUrl,
    'DATABASE_READ_URL needs DATABASE_URL: read replicas copy a PostgreSQL primary, and the embedded database has none',
  );
  check(config.readPoolSize >= 1, 'ORDO_READ_POOL_SIZE must be at least 1');
  check(validHttpUrl(config.publicUrl), `ORDO_PUBLIC_URL must be an http(s) URL, got "${config.publicUrl}"`);
  check(
    !config.masterKey || Buffer.from(config.masterKey, 'base64').length === 32,
    'ORDO_MASTER_KEY must be base64 of 32 bytes (openssl rand -base64 32)',
  );
  check(config.bodyLimitBytes >= 1024, 'ORDO_BODY_LIMIT_BYTES must be at least 1024');
  check(config.rateLimitWindowSeconds >= 1, 'ORDO_RATE_LIMIT_WINDOW_SECONDS must be at least 1');
  for (const [name, prefix] of Object.entries(config.dialectPrefixes)) {
    check(
      /^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(prefix),
      `ORDO_${name.toUpperCase()}_PREFIX must look like /${name}, got "${prefix}"`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

// Checked here rather than left to Fastify, which would throw a stack trace at start on a typo in an address.
function trustProxy(raw: string, problems: string[]): Config['trustProxy'] {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) {
    // how many proxies are in front: the client is that many hops back (Fastify's own hop-count rule)
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !PROXY_NAMES.includes(entry) && !validAddressRange(entry));
  if (bad.length === 0) return entries.join(',');
  problems.push(
    `ORDO_TRUST_PROXY must be true, false, a number of hops, or the proxies' addresses / CIDR ranges separated by commas (or loopback, linklocal, uniquelocal); "${bad.join('", "')}" is none of these`,
  );
  return false;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function validAddressRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/** `a, b , c` → the distinct non-empty entries */
function listed(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ];
}

/** `https://shop.example.com, http://localhost:5173` → exact origins as browsers send them in `Origin`. */
function corsOrigins(raw: string, problems: string[]): string[] {
  const origins: string[] = [];
  for (const entry of listed(raw)) {
    const origin = exactOrigin(entry);
    if (origin) origins.push(origin);
    else
      problems.push(
        `ORDO_CORS_ORIGINS must list origins such as https://shop.example.com (scheme, host and port only, no path or "*"), separated by commas; got "${entry}"`,
      );
  }
  return [...new Set(origins)];
}

function exactOrigin(entry: string): string | null {
  try {
    const url = new URL(entry);
    const bare =
      ['http:', 'https:'].includes(url.protocol) &&
      !url.username &&
      !url.password &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      !entry.includes('*');
    return bare && /^[a-z]+:\/\/[^/]+\/?$/i.test(entry) ? url.origin : null;
  } catch {
    return null;
  }
}

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

function validPostgresUrl(url: string): boolean {
  return POSTGRES_URL.test(url) && URL.canParse(url);
}

function validHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
