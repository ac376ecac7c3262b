import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOpeningEntries } from '../../src/db/migrations/011-points-rule-and-opening-ledger.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { ledgerViolations } from '../crash/money-invariants.ts';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// Every member's balance and points are the sum of their ledger, the demo member's opening 500 yuan and 1,200 points
// included: what the console's ledger lists adds up to what the member has.

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const demoMember = () =>
  t.ctx.db
    .selectFrom('members')
    .select(['id', 'balance', 'points'])
    .where('merchant_id', '=', DEMO.merchantId)
    .where('username', '=', DEMO.member.username)
    .executeTakeFirstOrThrow();

describe('opening entries', () => {
  it('on a fresh demo database every balance and points total equals its ledger; the demo member’s opening amounts are entries', async () => {
    expect(await ledgerViolations(t.ctx.db)).toEqual([]);
    const member = await demoMember();
    expect(member).toMatchObject({ balance: 50_000, points: 1_200 });
    for (const [account, amount] of [
      ['balance', 50_000],
      ['points', 1_200],
    ] as const) {
      const ledger = await api(t, 'GET', `/v1/admin/members/${member.id}/ledger?account=${account}`, { token: admin });
      expect(ledger.status).toBe(200);
      expect(ledger.body).toEqual([
        expect.objectContaining({ delta: amount, balanceAfter: amount, reason: 'opening', orderId: null }),
      ]);
    }
  });

  it('the demo member’s ledger keeps adding up as they buy with their balance and points', async () => {
    const login = await api(t, 'POST', '/v1/auth/login', {
      body: { username: DEMO.member.username, password: DEMO.member.password },
    });
    const token: string = login.body.token;
    const product = await createProduct(t, admin, { price: 12_345, stock: 5 });
    const placed = await placeOrder(t, token, { lines: [{ productId: product.id, quantity: 1 }], usePoints: true });
    expect(placed.status).toBe(201);
    expect((await startPayment(t, token, placed.body.orderNo, { method: 'balance', client: 'H5' })).status).toBe(200);
    // 1,200 points are 12 yuan off (100 points a yuan); the rest is paid from the 500 yuan
    expect(await demoMember()).toMatchObject({ balance: 50_000 - (12_345 - 1_200), points: 0 });
    expect(await ledgerViolations(t.ctx.db)).toEqual([]);
  });

  it('the migration gives a member whose totals were written directly one opening entry for the difference, once', async () => {
    const legacy = await createMember(t);
    await t.ctx.db
      .updateTable('members')
      .set({ balance: 7_700, points: 33 })
      .where('id', '=', legacy.memberId)
      .execute();
    expect(await ledgerViolations(t.ctx.db)).toEqual([
      `member ${legacy.memberId}: balance 7700 ≠ its ledger's sum 0`,
      `member ${legacy.memberId}: points 33 ≠ its ledger's sum 0`,
    ]);
    await addOpeningEntries(t.ctx.db);
    await addOpeningEntries(t.ctx.db);
    expect(await ledgerViolations(t.ctx.db)).toEqual([]);
    const entries = await t.ctx.db
      .selectFrom('member_ledger')
      .select(['account', 'delta', 'balance_after', 'reason'])
      .where('member_id', '=', legacy.memberId)
      .orderBy('account')
      .execute();
    expect(entries).toEqual([
      { account: 'balance', delta: 7_700, balance_after: 7_700, reason: 'opening' },
      { account: 'points', delta: 33, balance_after: 33, reason: 'opening' },
    ]);
  });
});
