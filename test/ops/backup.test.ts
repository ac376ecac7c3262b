import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connect.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.ts';
import { builtEntryArgs } from '../../scripts/built-entry.ts';
import { READY_WAIT_MS, spawnOrdo, stopOrdo, waitForReady } from './support/ordo-process.ts';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// every row of what money and stock depend on, in one digest per table
const TABLES = [
  'orders',
  'order_lines',
  'order_events',
  'payments',
  'payment_refunds',
  'member_ledger',
  'members',
  'products',
  'product_skus',
  'outbox_events',
  'auth_tokens',
];
async function fingerprint(db: Db): Promise<Record<string, { rows: number; digest: string }>> {
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const table of TABLES) {
    const { rows } = await sql<{
      rows: number;
      digest: string;
    }>`select count(*)::int as rows, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest from ${sql.table(table)} t`.execute(
      db,
    );
    out[table] = rows[0]!;
  }
  return out;
}

async function withDatabase<T>(db: EmptyDatabase, use: (db: Db) => Promise<T>): Promise<T> {
  const handle = await db.open();
  try {
    return await use(handle.db);
  } finally {
    await handle.close();
  }
}

/** Some of everything: a balance payment (ledger), a paid order, an unpaid order holding stock. */
async function trade(base: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const login = (await (
    await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'demo', password: DEMO.member.password }),
    })
  ).json()) as { token: string };
  const auth = { ...json, authorization: `Bearer ${login.token}` };
  for (const [key, pay] of [
    ['backup-1', true],
    ['backup-2', false],
  ] as const) {
    const placed = await fetch(`${base}/v1/orders`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': key },
      body: JSON.stringify({ lines: [{ productId: 10005, quantity: 2 }], delivery: 'pickup' }),
    });
    expect(placed.status).toBe(201);
    const { orderNo } = (await placed.json()) as { orderNo: string };
    if (!pay) continue;
    const paid = await fetch(`${base}/v1/orders/${orderNo}/payments`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ method: 'balance', client: 'PC' }),
    });
    expect({ status: paid.status, body: await paid.json() }).toMatchObject({ status: 200 });
  }
}

/** the first test's backup and what it held, for the restore onto a new machine */
let backupOfBefore: { file: string; before: Awaited<ReturnType<typeof fingerprint>> } | null = null;

describe('npm run ordo -- backup / restore', () => {
  it(
    'backup → wipe → restore gives back the same orders, ledgers and stock',
    async () => {
      const db = await emptyDatabase('backup');
      cleanups.push(() => db.drop());
      const folder = mkdtempSync(join(tmpdir(), 'ordo-backup-'));
      cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
      const ordoCli = (...args: string[]) =>
        run(process.execPath, [...builtEntryArgs('ordo'), ...args], { env: { ...process.env, ...db.env } });

      const ordo = await spawnOrdo(db.env);
      cleanups.push(() => stopOrdo(ordo));
      await waitForReady(ordo);
      await trade(ordo.base);
      ordo.child.kill('SIGTERM');
      expect(await ordo.exited).toBe(0);

      const before = await withDatabase(db, fingerprint);
      expect(before.member_ledger!.rows).toBeGreaterThan(0);
      expect(before.payments!.rows).toBe(1);

      const file = join(folder, 'ordo.backup');
      backupOfBefore = { file, before };
      expect((await ordoCli('backup', file)).stdout).toMatch(/^backed up the (PostgreSQL|PGlite) database to /);

      // wipe: every table gone (PostgreSQL), or the data folder gone (PGlite)
      if (db.env.DATABASE_URL)
        await withDatabase(db, (d) => sql`drop schema public cascade; create schema public`.execute(d));
      else rmSync(join(db.env.ORDO_DATA_DIR!, 'pglite'), { recursive: true, force: true });

      expect((await ordoCli('restore', file)).stdout).toMatch(/^restored the (PostgreSQL|PGlite) database from /);
      expect(await withDatabase(db, fingerprint)).toEqual(before);

      // and ordo runs on it: the member's balance is the one before the wipe
      const again = await spawnOrdo(db.env);
      cleanups.push(() => stopOrdo(again));
      await waitForReady(again);
      const login = await fetch(`${again.base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo', password: DEMO.member.password }),
      });
      expect(login.status).toBe(200);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);

      // a file that is not a backup of this kind is refused before anything is touched
      const current = await withDatabase(db, fingerprint);
      const bogus = join(folder, 'not-a-backup');
      writeFileSync(bogus, 'hello');
      await expect(ordoCli('restore', bogus)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('is not an ordo backup'),
      });
      expect(await withDatabase(db, fingerprint)).toEqual(current);
    },
    2 * READY_WAIT_MS + 300_000,
  );

  it.skipIf(!!process.env.DATABASE_URL)(
    'restores a PGlite backup into a data folder that does not exist yet (a new machine) (PostgreSQL: the database is made by its server, there is no folder)',
    async () => {
      const { file, before } = backupOfBefore!;
      const dataDir = join(dirname(file), 'new-machine', 'data');
      const restored = await run(process.execPath, [...builtEntryArgs('ordo'), 'restore', file], {
        env: { ...process.env, DATABASE_URL: '', ORDO_DATA_DIR: dataDir },
      });
      expect(restored.stdout).toMatch(/^restored the PGlite database from /);
      const handle = await openDatabase({ dataDir: join(dataDir, 'pglite') });
      try {
        expect(await fingerprint(handle.db)).toEqual(before);
      } finally {
        await handle.close();
      }
      expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    },
    600_000,
  );
});
