import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, newIdempotencyKey, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let product: { id: number };

beforeAll(async () => {
  t = await startTestApp();
  product = await createProduct(t, await staffToken(t), { price: 1999, stock: 100 });
});
afterAll(() => t.close());

const ordersOf = async (memberId: number) =>
  t.ctx.db.selectFrom('orders').select(['id', 'order_no']).where('member_id', '=', memberId).execute();
const stock = async () =>
  await t.ctx.db
    .selectFrom('products')
    .select(['stock', 'reserved'])
    .where('id', '=', product.id)
    .executeTakeFirstOrThrow();

describe('placing an order with an Idempotency-Key', () => {
  it('returns the same order for the same key and places nothing twice', async () => {
    const buyer = await createMember(t);
    const before = await stock();
    const key = newIdempotencyKey();
    const body = { lines: [{ productId: product.id, quantity: 2 }] };
    const first = await placeOrder(t, buyer.token, body, key);
    const second = await placeOrder(t, buyer.token, body, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.orderNo).toBe(first.body.orderNo);
    expect(second.body.payableAmount).toBe(3998 + 1000); // the demo store charges 10 yuan shipping under 99 yuan
    expect(await ordersOf(buyer.memberId)).toHaveLength(1);
    const after = await stock();
    expect(after.stock).toBe(before.stock - 2);
    expect(after.reserved).toBe(before.reserved + 2);
  });

  it('places two orders for two different keys', async () => {
    const buyer = await createMember(t);
    const body = { lines: [{ productId: product.id, quantity: 1 }] };
    const a = await placeOrder(t, buyer.token, body);
    const b = await placeOrder(t, buyer.token, body);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.orderNo).not.toBe(b.body.orderNo);
    expect(await ordersOf(buyer.memberId)).toHaveLength(2);
  });

  it('makes one order when the same key arrives several times at once', async () => {
    const buyer = await createMember(t);
    const before = await stock();
    const key = newIdempotencyKey();
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] }, key),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.orderNo)).size).toBe(1);
    expect(await ordersOf(buyer.memberId)).toHaveLength(1);
    expect((await stock()).stock).toBe(before.stock - 1);
  });

  it('refuses a reused key with a different request, and writes nothing', async () => {
    const buyer = await createMember(t);
    const key = newIdempotencyKey();
    await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] }, key);
    const before = await stock();
    const reused = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 3 }] }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await ordersOf(buyer.memberId)).toHaveLength(1);
    expect(await stock()).toEqual(before);
  });

  it('keeps keys per member: another member using the same key gets their own order', async () => {
    const [alice, bob] = [await createMember(t), await createMember(t)];
    const key = newIdempotencyKey();
    const body = { lines: [{ productId: product.id, quantity: 1 }] };
    const a = await placeOrder(t, alice.token, body, key);
    const b = await placeOrder(t, bob.token, body, key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.orderNo).not.toBe(b.body.orderNo);
  });

  it('requires the header', async () => {
    const buyer = await createMember(t);
    const reply = await api(t, 'POST', '/v1/orders', {
      token: buyer.token,
      body: { lines: [{ productId: product.id, quantity: 1 }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
    expect(await ordersOf(buyer.memberId)).toHaveLength(0);
  });
});
