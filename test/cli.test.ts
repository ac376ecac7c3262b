import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/db/connect.ts';
import { databaseUrlFor } from './support/postgres-urls.ts';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** An empty database for the CLI: a PGlite folder, or a fresh PostgreSQL database when DATABASE_URL is set. */
async function emptyDatabase(): Promise<{ env: Record<string, string>; open: () => Promise<DatabaseHandle> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `ordo_cli_${process.pid}`;
    const admin = await openDatabase({ databaseUrl: serverUrl, poolSize: 1 });
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await sql.raw(`create database ${name}`).execute(admin.db);
    cleanups.push(async () => {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    });
    const url = databaseUrlFor(serverUrl, name);
    return { env: { DATABASE_URL: url }, open: () => openDatabase({ databaseUrl: url }) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ordo-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { env: { DATABASE_URL: '', ORDO_DATA_DIR: dir }, open: () => openDatabase({ dataDir: join(dir, 'pglite') }) };
}

describe('npm run ordo', () => {
  it('creates a merchant with its store and admin, and an app whose secret is printed once and kept only sealed', async () => {
    const db = await emptyDatabase();
    const ordo = (...args: string[]) => run('npx', ['tsx', 'src/cli/ordo.ts', ...args], { env: { ...process.env, ...db.env } });

    const merchant = await ordo('merchant', 'create', '--name', '二号店');
    const [, merchantId, storeId, username, password] = merchant.stdout.match(/^merchant (\d+), store (\d+), admin (\S+) \/ (\S+)/)!;
    const app = await ordo('app', 'create', '--merchant', merchantId!, '--name', 'till', '--webhook', 'http://127.0.0.1:9/hooks');
    const [, appId, secret] = app.stdout.match(/^app (app_[0-9a-f]{16})\nsecret (\S+)/)!;
    await expect(ordo('app', 'create', '--merchant', '999999', '--name', 'x')).rejects.toMatchObject({ stderr: expect.stringContaining('no such merchant') });
    await expect(ordo('nonsense')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') });

    const handle = await db.open();
    try {
      const store = await handle.db.selectFrom('stores').select(['merchant_id']).where('id', '=', Number(storeId)).executeTakeFirstOrThrow();
      expect(store.merchant_id).toBe(Number(merchantId));
      const staff = await handle.db.selectFrom('staff').select(['role', 'password_hash']).where('username', '=', username!).executeTakeFirstOrThrow();
      expect(staff.role).toBe('admin');
      expect(staff.password_hash).not.toContain(password!);
      const row = await handle.db.selectFrom('apps').selectAll().where('app_id', '=', appId!).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ merchant_id: Number(merchantId), webhook_url: 'http://127.0.0.1:9/hooks', secret_hash: createHash('sha256').update(secret!).digest('hex') });
      expect(row.secret_encrypted).not.toContain(secret!);
    } finally {
      await handle.close();
    }
  }, 60_000);
});
