import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { staffToken } from '../support/actors.ts';
import { createMerchantApp, merchantCall, type TestMerchantApp } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let till: TestMerchantApp;
beforeAll(async () => {
  t = await startTestApp();
  till = await createMerchantApp(t, await staffToken(t));
});
afterAll(() => t.close());

let seq = 0;
async function heldDeposit(amount: number) {
  const created = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', {
    merchantOrderNo: `D-${++seq}`,
    tradeType: 'sale',
    depositMode: true,
    storeId: 10001,
    lines: [{ productId: null, title: '押金', listPrice: amount, price: amount, quantity: 1 }],
  });
  const no = created.body.order.orderNo as string;
  const paid = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/pay`, {
    method: 'code',
    authCode: '134567890123456781',
  });
  expect(paid.body.result).toBe('paid');
  expect(paid.body.tradeOrder.depositStatus).toBe('held');
  return no;
}

describe('deposits', () => {
  it('hold 100.00 → consume 60.00 → 40.00 returned through WeChat', async () => {
    const no = await heldDeposit(10_000);
    expect(
      (await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/deposit/consume`, { amount: 10_001 }))
        .status,
    ).toBe(422);
    const consumed = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/deposit/consume`, {
      amount: 6_000,
    });
    expect(consumed.body).toMatchObject({ status: 'settled', returned: 4_000 });
    await t.sandbox.simulator.settle();
    const after = await merchantCall(t, till, 'GET', `/v1/merchant/trade-orders/${no}`);
    expect(after.body).toMatchObject({
      depositStatus: 'settled',
      depositConsumed: 6_000,
      order: { paidAmount: 10_000, refundedAmount: 4_000 },
    });
    expect(
      (await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/deposit/consume`, { amount: 1 })).status,
    ).toBe(409);
  });

  it('release returns it all', async () => {
    const no = await heldDeposit(10_000);
    const released = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/deposit/release`);
    expect(released.body).toMatchObject({ status: 'released', returned: 10_000 });
    await t.sandbox.simulator.settle();
    const after = await merchantCall(t, till, 'GET', `/v1/merchant/trade-orders/${no}`);
    expect(after.body).toMatchObject({
      depositStatus: 'released',
      order: { refundedAmount: 10_000, refundStatus: 'refunded' },
    });
  });

  it('concurrent consumes never take more than the hold: exactly one wins', async () => {
    const no = await heldDeposit(10_000);
    const replies = await Promise.all(
      [7_000, 8_000, 9_000, 6_000].map((amount) =>
        merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/deposit/consume`, { amount }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    await t.sandbox.simulator.settle();
    const after = await merchantCall(t, till, 'GET', `/v1/merchant/trade-orders/${no}`);
    expect(after.body.depositConsumed + after.body.order.refundedAmount).toBe(10_000);
    const won = replies.find((r) => r.status === 200)!;
    expect(after.body.depositConsumed).toBe(10_000 - won.body.returned);
  });
});

describe('merchant set-up', () => {
  it('shows an app secret once, hashes and seals it, and a rotated secret replaces the old one', async () => {
    const admin = await staffToken(t);
    const listed = await api(t, 'GET', '/v1/admin/apps', { token: admin });
    expect(JSON.stringify(listed.body)).not.toContain(till.secret);
    const row = await t.ctx.db
      .selectFrom('apps')
      .selectAll()
      .where('app_id', '=', till.appId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(till.secret);
    const rotated = await api(t, 'POST', `/v1/admin/apps/${till.appId}/rotate-secret`, { token: admin });
    expect((await merchantCall(t, till, 'GET', '/v1/merchant/trade-orders/2026010100000001')).status).toBe(401);
    till = { appId: till.appId, secret: rotated.body.secret };
    expect((await merchantCall(t, till, 'GET', '/v1/merchant/trade-orders/2026010100000001')).status).toBe(404);
  });
});
