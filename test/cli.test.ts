import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from './support/empty-database.ts';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('npm run ordo', () => {
  it('creates a merchant with its store and admin, and an app whose secret is printed once and kept only sealed', async () => {
    const db = await emptyDatabase('cli');
    cleanups.push(() => db.drop());
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
