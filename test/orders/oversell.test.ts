import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

describe('stock under concurrent checkout', () => {
  it('sells exactly the stock: 64 buyers at once for 10 units → 10 orders, stock 0, 54 clear out_of_stock', async () => {
    const product = await createProduct(t, admin, { price: 500, stock: 10 });
    const buyers = await Promise.all(Array.from({ length: 64 }, () => createMember(t)));
    const replies = await Promise.all(
      buyers.map((b) => placeOrder(t, b.token, { lines: [{ productId: product.id, quantity: 1 }] })),
    );

    const placed = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status !== 201);
    expect(placed).toHaveLength(10);
    expect(refused).toHaveLength(54);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('out_of_stock');
    }
    const row = await t.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ stock: 0, reserved: 10 });
    const orders = await t.ctx.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.sum<number>('quantity').as('units'))
      .where('product_id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(Number(orders.units)).toBe(10);
  });

  it('counts two lines of one product together, and an option stock limits too', async () => {
    const product = await createProduct(t, admin, {
      price: 1000,
      stock: 5,
      options: [{ title: '加厚款', price: 300, stock: 2 }],
    });
    const buyer = await createMember(t);
    const tooMany = await placeOrder(t, buyer.token, {
      lines: [
        { productId: product.id, quantity: 3 },
        { productId: product.id, quantity: 3 },
      ],
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.details.productId).toBe(product.id);

    const optionShort = await placeOrder(t, buyer.token, {
      lines: [{ productId: product.id, optionIds: product.optionIds, quantity: 3 }],
    });
    expect(optionShort.status).toBe(409);
    expect(optionShort.body.error.details.skuId).toBe(product.skuIds[0]);

    const fits = await placeOrder(t, buyer.token, {
      lines: [
        { productId: product.id, optionIds: product.optionIds, quantity: 2 },
        { productId: product.id, quantity: 3 },
      ],
    });
    expect(fits.status).toBe(201);
    expect(fits.body.payableAmount).toBe(2 * 1300 + 3 * 1000 + 1000); // plus 10 yuan shipping under 99 yuan
    const row = await t.ctx.db
      .selectFrom('products')
      .select(['stock'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    const option = await t.ctx.db
      .selectFrom('product_skus')
      .select(['stock'])
      .where('id', '=', product.skuIds[0]!)
      .executeTakeFirstOrThrow();
    expect(row.stock).toBe(0);
    expect(option.stock).toBe(0);
  });

  it('rolls back everything when one line is short: no order, no stock taken from the other lines', async () => {
    const plenty = await createProduct(t, admin, { price: 100, stock: 50 });
    const scarce = await createProduct(t, admin, { price: 100, stock: 1 });
    const buyer = await createMember(t);
    const reply = await placeOrder(t, buyer.token, {
      lines: [
        { productId: plenty.id, quantity: 5 },
        { productId: scarce.id, quantity: 2 },
      ],
    });
    expect(reply.status).toBe(409);
    const rows = await t.ctx.db
      .selectFrom('products')
      .select(['id', 'stock', 'reserved'])
      .where('id', 'in', [plenty.id, scarce.id])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: plenty.id, stock: 50, reserved: 0 },
      { id: scarce.id, stock: 1, reserved: 0 },
    ]);
    const orders = await t.ctx.db.selectFrom('orders').select('id').where('member_id', '=', buyer.memberId).execute();
    expect(orders).toHaveLength(0);
  });
});
