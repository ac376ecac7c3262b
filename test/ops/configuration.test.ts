import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemoIfEmpty } from '../../src/demo/seed-demo.ts';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.ts';
import { READY_WAIT_MS, spawnOrdo, stopOrdo, waitForReady } from './support/ordo-process.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Starts ordo and expects it to refuse: exit 1 with the problems on stderr, and no stack trace. */
async function refusedStart(env: Record<string, string>): Promise<string> {
  const ordo = await spawnOrdo(env);
  cleanups.push(() => stopOrdo(ordo));
  expect(await ordo.exited).toBe(1);
  expect(ordo.output()).toContain('ordo cannot start:');
  expect(ordo.output()).not.toMatch(/^\s+at /m);
  return ordo.output();
}

async function demoDatabase(label: string): Promise<EmptyDatabase> {
  const db = await emptyDatabase(label);
  cleanups.push(() => db.drop());
  const handle = await db.open();
  try {
    await migrateToLatest(handle.db);
    await seedDemoIfEmpty(handle.db);
  } finally {
    await handle.close();
  }
  return db;
}

const SAFE_PRODUCTION = {
  ORDO_ENV: 'production',
  ORDO_SANDBOX: 'false',
  ORDO_SEED_DEMO: 'false',
  ORDO_MASTER_KEY: randomBytes(32).toString('base64'),
};

describe('configuration at start', () => {
  it(
    'lists every bad variable at once, clearly, and exits 1',
    async () => {
      const output = await refusedStart({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        ORDO_SANDBOX: 'maybe',
        ORDO_MASTER_KEY: 'c2hvcnQ=',
        ORDO_TIME_ZONE: 'Mars/Olympus',
      });
      expect(output).toContain('PORT must be a whole number from 0 to 65535, got "eighty"');
      expect(output).toContain('LOG_LEVEL must be one of');
      expect(output).toContain('ORDO_SANDBOX must be true or false, got "maybe"');
      expect(output).toContain('ORDO_MASTER_KEY must be base64 of 32 bytes');
      expect(output).toContain('ORDO_TIME_ZONE must be an IANA time zone');
    },
    READY_WAIT_MS + 30_000,
  );

  it(
    'in production mode refuses the sandbox, demo seeding and a missing master key',
    async () => {
      const db = await emptyDatabase('prod_settings');
      cleanups.push(() => db.drop());
      const output = await refusedStart({ ...db.env, NODE_ENV: 'production' });
      expect(output).toContain('production mode: the payment sandbox is on: set ORDO_SANDBOX=false');
      expect(output).toContain('production mode: demo data seeding is on: set ORDO_SEED_DEMO=false');
      expect(output).toContain('production mode: no master key: set ORDO_MASTER_KEY');
    },
    READY_WAIT_MS + 30_000,
  );

  it(
    'in production mode refuses while the demo accounts still open with their published passwords, and starts once they do not',
    async () => {
      const db = await demoDatabase('prod_demo');
      const output = await refusedStart({ ...db.env, ...SAFE_PRODUCTION });
      expect(output).toContain('the demo member demo still has its published password');
      expect(output).toContain('the demo staff admin still has its published password');
      expect(output).toContain('the demo staff cashier still has its published password');

      const handle = await db.open();
      try {
        const hash = await hashPassword(randomBytes(12).toString('base64url'));
        await handle.db.updateTable('members').set({ password_hash: hash }).where('username', '=', 'demo').execute();
        await handle.db.updateTable('staff').set({ password_hash: hash }).where('username', '=', 'admin').execute();
        await handle.db.updateTable('staff').set({ disabled: true }).where('username', '=', 'cashier').execute();
      } finally {
        await handle.close();
      }
      const ordo = await spawnOrdo({ ...db.env, ...SAFE_PRODUCTION });
      cleanups.push(() => stopOrdo(ordo));
      await waitForReady(ordo);
      expect((await fetch(`${ordo.base}/sandbox/`)).status).toBe(404);
      ordo.child.kill('SIGTERM');
      expect(await ordo.exited).toBe(0);
    },
    2 * READY_WAIT_MS + 60_000,
  );
});
