import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExpiredOrders } from '../../src/flows/expire-orders.ts';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const productRow = (id: number) =>
  t.ctx.db.selectFrom('products').select(['stock', 'reserved']).where('id', '=', id).executeTakeFirstOrThrow();

describe('unpaid orders expire', () => {
  it('closes an order once after expires_at, from two concurrent sweeps, and gives its stock and coupon back', async () => {
    const product = await createProduct(t, admin, { price: 8000, stock: 7 });
    const coupon = await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: { code: `EXP${Date.now() % 100000}`, kind: 'fixed', amountOff: 500, minSpend: 0, totalQuantity: 1 },
    });
    expect(coupon.status).toBe(201);
    const buyer = await createMember(t);
    const placed = await placeOrder(t, buyer.token, {
      lines: [{ productId: product.id, quantity: 3 }],
      couponCode: coupon.body.code,
    });
    expect(placed.status).toBe(201);
    expect(await productRow(product.id)).toEqual({ stock: 4, reserved: 3 });
    expect(new Date(placed.body.expiresAt).getTime() - new Date(placed.body.createdAt).getTime()).toBe(30 * 60_000);

    // Not yet due: nothing happens.
    t.clock.advance(29 * 60_000);
    expect(await closeExpiredOrders(t.ctx)).not.toContain(placed.body.orderNo);

    t.clock.advance(60_000);
    const second = await t.openSecondContext();
    try {
      const [a, b] = await Promise.all([closeExpiredOrders(t.ctx), closeExpiredOrders(second.ctx)]);
      expect([...a, ...b].filter((no) => no === placed.body.orderNo)).toHaveLength(1);
    } finally {
      await second.close();
    }
    expect(await closeExpiredOrders(t.ctx)).toEqual([]);

    const order = await api(t, 'GET', `/v1/orders/${placed.body.orderNo}`, { token: buyer.token });
    expect(order.body.status).toBe('closed');
    expect(order.body.closedAt).toBe(t.clock.now().toISOString());
    expect(order.body.events.filter((e: { action: string }) => e.action === 'expire')).toEqual([
      expect.objectContaining({
        fromStatus: 'pending_payment',
        toStatus: 'closed',
        actor: { kind: 'system', id: null },
      }),
    ]);
    expect(await productRow(product.id)).toEqual({ stock: 7, reserved: 0 });
    const couponRow = await t.ctx.db
      .selectFrom('coupons')
      .select('used_quantity')
      .where('id', '=', coupon.body.id)
      .executeTakeFirstOrThrow();
    expect(couponRow.used_quantity).toBe(0);
  });

  it('leaves a cancelled order alone and does not release its stock again', async () => {
    const product = await createProduct(t, admin, { price: 100, stock: 5 });
    const buyer = await createMember(t);
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 2 }] });
    const cancelled = await api(t, 'POST', `/v1/orders/${placed.body.orderNo}/cancel`, {
      token: buyer.token,
      body: { reason: 'changed my mind' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    t.clock.advance(31 * 60_000);
    expect(await closeExpiredOrders(t.ctx)).not.toContain(placed.body.orderNo);
    expect(await productRow(product.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('uses the merchant timeout setting for new orders', async () => {
    const changed = await api(t, 'PATCH', '/v1/admin/merchant', { token: admin, body: { orderTimeoutMinutes: 5 } });
    expect(changed.body.orderTimeoutMinutes).toBe(5);
    try {
      const product = await createProduct(t, admin, { price: 100, stock: 5 });
      const buyer = await createMember(t);
      const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
      expect(new Date(placed.body.expiresAt).getTime() - new Date(placed.body.createdAt).getTime()).toBe(5 * 60_000);
      t.clock.advance(5 * 60_000);
      expect(await closeExpiredOrders(t.ctx)).toContain(placed.body.orderNo);
    } finally {
      await api(t, 'PATCH', '/v1/admin/merchant', { token: admin, body: { orderTimeoutMinutes: 30 } });
    }
  });

  it('the sweep job started by the service closes due orders by itself', async () => {
    const { startExpirySweep } = await import('../../src/jobs/expire-orders-job.ts');
    const product = await createProduct(t, admin, { price: 100, stock: 5 });
    const buyer = await createMember(t);
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
    t.clock.advance(31 * 60_000);
    const sweep = startExpirySweep(t.ctx, 3600);
    try {
      await expect
        .poll(
          async () => (await api(t, 'GET', `/v1/orders/${placed.body.orderNo}`, { token: buyer.token })).body.status,
          { timeout: 30_000 },
        )
        .toBe('closed');
    } finally {
      await sweep.stop();
    }
  });
});
