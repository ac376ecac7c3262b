import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppContext } from '../../src/context.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { buildApp } from '../../src/http/app.ts';
import { injectTransport } from '../../src/providers/inject-transport.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import type { SandboxKeys } from '../../src/secrets/sandbox-keys.ts';
import { createContext } from '../../src/boot/create-context.ts';
import { databaseUrlFor } from './postgres-urls.ts';

/**
 * The suite signs in hundreds of times from one address, and its hostile-input tests send wrong passwords that must
 * change no row: limits are generous and lock-out is off (0); the limit tests ask for tight ones explicitly.
 */
const GENEROUS_LIMITS: Partial<Config> = {
  signInLimitPerIp: 1_000_000,
  signInLimitPerAccount: 1_000_000,
  smsLimitPerIp: 1_000_000,
  smsLimitPerAccount: 1_000_000,
  paymentStartLimitPerIp: 1_000_000,
  paymentStartLimitPerAccount: 1_000_000,
  lockoutFailures: 0,
};

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** the provider simulator (tests steer its notifications through `sandbox.simulator.behaviour`) */
  sandbox: Sandbox;
  clock: ManualClock;
  kind: 'pglite' | 'postgres';
  /** Another, independent connection pool to the same database, standing in for a second ordo process. */
  openSecondContext(): Promise<{ ctx: AppContext; close(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * An ordo instance for one test file, on its own copy of the migrated demo database: PGlite in memory by
 * default, PostgreSQL when DATABASE_URL is set (as CI does). Requests go through `app.inject`, the whole HTTP
 * stack without a socket.
 */
export async function startTestApp(
  overrides: Partial<Config> = {},
  options: {
    gatewayClockSkewMs?: number;
    /**
     * Read from the DATABASE_READ_URL replica's copy of this file's database (the test/replicas files); `via` may
     * rewrite its URL (through a proxy a test can cut). Other tests read from the primary alone: a replica is late
     * by design, and they read their own writes at once.
     */
    readReplica?: { via?: (url: string) => string };
  } = {},
): Promise<TestApp> {
  const config: Config = {
    ...loadConfig({}),
    logLevel: 'silent',
    publicUrl: 'http://ordo.test',
    ...GENEROUS_LIMITS,
    ...overrides,
  };
  const clock = new ManualClock(new Date());
  const serverUrl = process.env.DATABASE_URL;
  let handle: DatabaseHandle;
  let dropDatabase = async () => {};
  let fileUrl = '';
  if (serverUrl) {
    const name = `ordo_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = await openDatabase({ databaseUrl: serverUrl, poolSize: 1 });
    await sql.raw(`create database ${name} template ${inject('pgTemplate')}`).execute(admin.db);
    fileUrl = databaseUrlFor(serverUrl, name);
    const replicaUrl = options.readReplica && inject('readReplicaUrl');
    const readUrls = replicaUrl ? [(options.readReplica?.via ?? String)(databaseUrlFor(replicaUrl, name))] : [];
    config.readDatabaseUrls = readUrls;
    handle = await openDatabase({
      databaseUrl: fileUrl,
      readReplicas: { urls: readUrls, maxLagMs: config.readMaxLagMs, poolSize: config.readPoolSize },
    });
    dropDatabase = async () => {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    };
  } else {
    const template = readFileSync(inject('pgliteTemplate'));
    handle = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([template]) });
  }
  // Gateway calls and sandbox notifications go through app.inject: the real HTTP stack, no socket.
  let app: FastifyInstance | undefined;
  const transport = injectTransport(() => app!);
  const sandboxKeys = JSON.parse(inject('sandboxKeys')) as SandboxKeys;
  const skew = options.gatewayClockSkewMs ?? 0;
  const sandboxClock = { now: () => new Date(clock.now().getTime() + skew) };
  const ctx = createContext({ ...config, databaseUrl: fileUrl }, handle, {
    clock,
    transport,
    sandboxKeys,
    sandboxClock,
    masterKey: randomBytes(32),
  });
  app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    sandbox: ctx.sandbox!,
    clock,
    kind: handle.kind,
    async openSecondContext() {
      if (!fileUrl) return { ctx, close: async () => {} }; // one embedded database has one session
      const second = await openDatabase({ databaseUrl: fileUrl });
      return { ctx: { ...ctx, db: second.db }, close: () => second.close() };
    },
    async close() {
      await app.close();
      await handle.close();
      await dropDatabase();
    },
  };
}
