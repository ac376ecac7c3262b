import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { usableWalletCoupons } from '../../src/flows/usable-wallet-coupons.ts';
import { api } from '../support/api.ts';
import { createMember, createProduct, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** The read a checkout page offers coupons from: each wallet coupon against the lines, usable or why not. */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

async function claimed(token: string, body: Record<string, unknown>): Promise<number> {
  const created = await api(t, 'POST', '/v1/admin/coupons', { token: admin, body: { claimable: true, ...body } });
  expect(created.status).toBe(201);
  const claim = await api(t, 'POST', `/v1/coupons/${created.body.id}/claim`, { token });
  expect(claim.status).toBe(201);
  return claim.body.id;
}

it('prices each wallet coupon on the lines: the best usable first, then the ones that miss, with the reason', async () => {
  const phone = await createProduct(t, admin, { price: 10_000, stock: 5 }); // category 100012
  const other = await createProduct(t, admin, { price: 3_333, stock: 5 });
  const m = await createMember(t);
  const small = await claimed(m.token, { kind: 'fixed', amountOff: 500, minSpend: 0 });
  const percent = await claimed(m.token, { kind: 'percent', percentOff: 15, maxOff: 1_000, minSpend: 0 });
  const high = await claimed(m.token, { kind: 'fixed', amountOff: 5_000, minSpend: 20_000 });
  const scoped = await claimed(m.token, {
    kind: 'fixed',
    amountOff: 700,
    minSpend: 0,
    scope: 'products',
    scopeIds: [other.id],
  });
  const offers = await usableWalletCoupons(t.ctx, { merchantId: DEMO.merchantId, memberId: m.memberId }, [
    { productId: phone.id, amount: 10_000 },
  ]);
  expect(offers.map((o) => [o.walletCoupon.id, o.usable, o.discount, o.reason])).toEqual([
    // 15 % of 100.00 is 15.00, capped at 10.00
    [percent, true, 1_000, null],
    [small, true, 500, null],
    [high, false, 0, 'min_spend_not_met'],
    [scoped, false, 0, 'not_in_scope'],
  ]);

  const withOther = await usableWalletCoupons(t.ctx, { merchantId: DEMO.merchantId, memberId: m.memberId }, [
    { productId: phone.id, amount: 10_000 },
    { productId: other.id, amount: 3_333 },
  ]);
  expect(withOther.find((o) => o.walletCoupon.id === scoped)).toMatchObject({ usable: true, discount: 700 });
});
