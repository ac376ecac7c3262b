import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

describe('paying from the balance under concurrency', () => {
  it('20 balance payments at once by one member whose balance covers 3: exactly 3 succeed and the balance ends at 0', async () => {
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: 10_000, stock: 100 }); // 100 yuan: free shipping
    const orders: string[] = [];
    for (let i = 0; i < 20; i++)
      orders.push((await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] })).body.orderNo);
    await t.ctx.db.updateTable('members').set({ balance: 30_000 }).where('id', '=', buyer.memberId).execute();

    const replies = await Promise.all(
      orders.map((orderNo) => startPayment(t, buyer.token, orderNo, { method: 'balance', client: 'H5' })),
    );
    const ok = replies.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    for (const r of replies.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('insufficient_balance');
    }
    const member = await t.ctx.db
      .selectFrom('members')
      .select(['balance', 'pay_money'])
      .where('id', '=', buyer.memberId)
      .executeTakeFirstOrThrow();
    expect(member).toEqual({ balance: 0, pay_money: 30_000 });
    const ledger = await t.ctx.db
      .selectFrom('member_ledger')
      .select(['delta', 'balance_after'])
      .where('member_id', '=', buyer.memberId)
      .orderBy('id')
      .execute();
    expect(ledger.map((l) => l.delta)).toEqual([-10_000, -10_000, -10_000]);
    expect(ledger.map((l) => l.balance_after).sort()).toEqual([0, 10_000, 20_000]);
    const paid = await t.ctx.db
      .selectFrom('orders')
      .select('order_no')
      .where('member_id', '=', buyer.memberId)
      .where('status', '=', 'paid')
      .execute();
    expect(paid).toHaveLength(3);
    const failedAttempts = await t.ctx.db
      .selectFrom('payments')
      .select('id')
      .where('member_id', '=', buyer.memberId)
      .where('status', '!=', 'paid')
      .execute();
    expect(failedAttempts).toHaveLength(0); // a refused debit rolls its attempt back too
  });

  it('the same order paid twice at once from the balance is charged once', async () => {
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: 10_000, stock: 10 });
    const orderNo = (await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] })).body
      .orderNo;
    await t.ctx.db.updateTable('members').set({ balance: 100_000 }).where('id', '=', buyer.memberId).execute();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => startPayment(t, buyer.token, orderNo, { method: 'balance', client: 'H5' })),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of replies.filter((r) => r.status !== 200)) expect([409, 422]).toContain(r.status);
    const member = await api(t, 'GET', '/v1/me', { token: buyer.token });
    expect(member.body.balance).toBe(90_000);
  });
});
