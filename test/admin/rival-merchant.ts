import { hashPassword } from '../../src/auth/passwords.ts';
import { api } from '../support/api.ts';
import type { TestApp } from '../support/test-app.ts';

/** A second merchant with a store and an admin signed in through the API: what it sees of the demo merchant must be nothing. */
export async function rivalMerchant(t: TestApp): Promise<{ merchantId: number; admin: string }> {
  const merchant = await t.ctx.db.insertInto('merchants').values({ name: 'Rival shop' }).returning('id').executeTakeFirstOrThrow();
  await t.ctx.db.insertInto('stores').values({ merchant_id: merchant.id, name: 'Rival store' }).execute();
  const username = `rival${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  await t.ctx.db.insertInto('staff').values({ merchant_id: merchant.id, username, password_hash: await hashPassword('rival-pass-1'), name: 'Rival admin', role: 'admin', last_login_at: null }).execute();
  const login = await api(t, 'POST', '/v1/staff/login', { body: { username, password: 'rival-pass-1' } });
  if (login.status !== 200) throw new Error(`rival login failed: ${JSON.stringify(login.body)}`);
  return { merchantId: merchant.id, admin: login.body.token };
}
