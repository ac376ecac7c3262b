import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createAddress, createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

let couponSeq = 0;
async function coupon(body: Record<string, unknown>): Promise<string> {
  const code = `C${++couponSeq}X${Date.now() % 1e6}`;
  const reply = await api(t, 'POST', '/v1/admin/coupons', { token: admin, body: { code, ...body } });
  expect(reply.status).toBe(201);
  return code;
}

async function gradeId(name: string) {
  return (await t.ctx.db.selectFrom('member_grades').select('id').where('name', '=', name).executeTakeFirstOrThrow())
    .id;
}

describe('checkout pricing', () => {
  it('prices option add-ons, a member grade, a coupon and free shipping, and stores line shares that add up', async () => {
    const guitar = await createProduct(t, admin, {
      price: 79900,
      stock: 10,
      options: [
        { group: '款式', title: '普通款', price: 1000, stock: 10 },
        { group: '琴弦', title: '加厚款', price: 3000, stock: 10 },
      ],
    });
    const strings = await createProduct(t, admin, { price: 2999, stock: 10 });
    const buyer = await createMember(t, { gradeId: await gradeId('钻石会员') }); // pays 95%
    const code = await coupon({ kind: 'fixed', amountOff: 1000, minSpend: 5000 });
    const addressId = await createAddress(t, buyer.token);
    const lines = [
      { productId: guitar.id, optionIds: guitar.optionIds, quantity: 1 },
      { productId: strings.id, quantity: 3 },
    ];

    const preview = await api(t, 'POST', '/v1/checkout/preview', {
      token: buyer.token,
      body: { lines, couponCode: code },
    });
    expect(preview.status).toBe(200);
    // goods: 83900 + 3 × 2999 = 92897; grade 5% off: 92897 − round(92897 × 0.95) = 92897 − 88252 = 4645
    expect(preview.body).toMatchObject({
      goodsAmount: 92897,
      gradeDiscount: 4645,
      couponDiscount: 1000,
      discountAmount: 5645,
      shippingFee: 0,
      payableAmount: 87252,
      couponApplied: true,
    });

    const placed = await placeOrder(t, buyer.token, {
      lines,
      couponCode: code,
      addressId,
      buyerRemark: '已收藏,送小礼品',
    });
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order).toMatchObject({
      goodsAmount: 92897,
      gradeDiscount: 4645,
      couponDiscount: 1000,
      discountAmount: 5645,
      shippingFee: 0,
      payableAmount: 87252,
      status: 'pending_payment',
      buyerRemark: '已收藏,送小礼品',
    });
    expect(order.lines.map((l: any) => l.unitPrice)).toEqual([83900, 2999]);
    expect(order.lines[0].options.map((o: any) => o.title)).toEqual(['普通款', '加厚款']);
    expect(order.lines[0].spec).toBe('普通款,加厚款');
    expect(order.lines.reduce((s: number, l: any) => s + l.discountAmount, 0)).toBe(5645);
    expect(order.lines.reduce((s: number, l: any) => s + l.lineTotal, 0) + order.shippingFee).toBe(order.payableAmount);
    expect(order.address).toMatchObject({ receiverName: '李', districtCode: '110115' });
  });

  it('charges the store shipping fee under the free-shipping amount and refuses a coupon below its minimum spend', async () => {
    const cheap = await createProduct(t, admin, { price: 1500, stock: 10 });
    const buyer = await createMember(t);
    const code = await coupon({ kind: 'fixed', amountOff: 500, minSpend: 5000 });
    const preview = await api(t, 'POST', '/v1/checkout/preview', {
      token: buyer.token,
      body: { lines: [{ productId: cheap.id, quantity: 2 }], couponCode: code },
    });
    expect(preview.body).toMatchObject({
      goodsAmount: 3000,
      couponApplied: false,
      couponDiscount: 0,
      shippingFee: 1000,
      payableAmount: 4000,
    });
    expect(preview.body.couponProblem).toMatch(/minimum/);

    const placed = await placeOrder(t, buyer.token, {
      lines: [{ productId: cheap.id, quantity: 2 }],
      couponCode: code,
    });
    expect(placed.status).toBe(422);
    const row = await t.ctx.db
      .selectFrom('products')
      .select('stock')
      .where('id', '=', cheap.id)
      .executeTakeFirstOrThrow();
    expect(row.stock).toBe(10);
  });

  it('applies a percent coupon with a cap, and a coupon runs out after its quantity', async () => {
    const item = await createProduct(t, admin, { price: 20000, stock: 10 });
    const code = await coupon({ kind: 'percent', percentOff: 10, maxOff: 1500, minSpend: 0, totalQuantity: 1 });
    const first = await createMember(t);
    const placed = await placeOrder(t, first.token, { lines: [{ productId: item.id, quantity: 1 }], couponCode: code });
    expect(placed.body).toMatchObject({ couponDiscount: 1500, payableAmount: 18500 });
    const second = await createMember(t);
    const refused = await placeOrder(t, second.token, {
      lines: [{ productId: item.id, quantity: 1 }],
      couponCode: code,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/run out/);
  });

  it('orders the selected cart lines and removes them from the cart, leaving unselected ones', async () => {
    const a = await createProduct(t, admin, { price: 5000, stock: 10 });
    const b = await createProduct(t, admin, { price: 7000, stock: 10 });
    const buyer = await createMember(t);
    await api(t, 'POST', '/v1/cart/items', { token: buyer.token, body: { productId: a.id, quantity: 2 } });
    const cart = await api(t, 'POST', '/v1/cart/items', {
      token: buyer.token,
      body: { productId: b.id, quantity: 1, selected: false },
    });
    expect(cart.body).toMatchObject({
      totalQuantity: 3,
      selectedQuantity: 2,
      selectedTotal: 10000,
      allSelected: false,
    });

    const placed = await placeOrder(t, buyer.token, {});
    expect(placed.status).toBe(201);
    expect(placed.body.lines.map((l: any) => [l.productId, l.quantity])).toEqual([[a.id, 2]]);
    const after = await api(t, 'GET', '/v1/cart', { token: buyer.token });
    expect(after.body.items.map((i: any) => i.productId)).toEqual([b.id]);
  });

  it('keeps line shares summing to the order discount for random carts placed for real', async () => {
    const products = await Promise.all(
      [1, 333, 4999, 12345, 99999].map((price) => createProduct(t, admin, { price, stock: 100_000 })),
    );
    const grades = [null, await gradeId('黄金会员'), await gradeId('钻石会员')];
    const fixed = await coupon({ kind: 'fixed', amountOff: 777, minSpend: 0 });
    const percent = await coupon({ kind: 'percent', percentOff: 13, minSpend: 0 });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({ product: fc.integer({ min: 0, max: 4 }), quantity: fc.integer({ min: 1, max: 9 }) }),
          { minLength: 1, maxLength: 5, selector: (l) => l.product },
        ),
        fc.constantFrom(...grades),
        fc.constantFrom(undefined, fixed, percent),
        async (lines, grade, couponCode) => {
          const buyer = await createMember(t, { gradeId: grade ?? undefined });
          const placed = await placeOrder(t, buyer.token, {
            lines: lines.map((l) => ({ productId: products[l.product]!.id, quantity: l.quantity })),
            couponCode,
          });
          expect(placed.status).toBe(201);
          const rows = await t.ctx.db
            .selectFrom('order_lines')
            .select(['discount_amount', 'grade_discount', 'coupon_discount', 'line_total', 'goods_amount'])
            .where('order_id', '=', placed.body.id)
            .execute();
          const order = await t.ctx.db
            .selectFrom('orders')
            .selectAll()
            .where('id', '=', placed.body.id)
            .executeTakeFirstOrThrow();
          const sum = (k: keyof (typeof rows)[number]) => rows.reduce((s, r) => s + r[k], 0);
          expect(sum('discount_amount')).toBe(order.discount_amount);
          expect(sum('grade_discount')).toBe(order.grade_discount);
          expect(sum('coupon_discount')).toBe(order.coupon_discount);
          expect(sum('goods_amount')).toBe(order.goods_amount);
          expect(sum('line_total') + order.shipping_fee).toBe(order.payable_amount);
          for (const r of rows) expect(r.line_total).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('cancelling', () => {
  it('releases stock exactly once when buyer and staff cancel at the same moment', async () => {
    const product = await createProduct(t, admin, { price: 100, stock: 10 });
    const buyer = await createMember(t);
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 4 }] });
    const url = `/v1/orders/${placed.body.orderNo}/cancel`;
    const replies = await Promise.all([
      api(t, 'POST', url, { token: buyer.token }),
      api(t, 'POST', url, { token: admin }),
      api(t, 'POST', url, { token: buyer.token }),
    ]);
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('cancelled');
    }
    const row = await t.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ stock: 10, reserved: 0 });
    const events = await t.ctx.db
      .selectFrom('order_events')
      .select('action')
      .where('order_id', '=', placed.body.id)
      .where('action', '=', 'cancel')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses to cancel a closed order', async () => {
    const product = await createProduct(t, admin, { price: 100, stock: 10 });
    const buyer = await createMember(t);
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
    await t.ctx.db.updateTable('orders').set({ expires_at: t.clock.now() }).where('id', '=', placed.body.id).execute();
    const { closeExpiredOrders } = await import('../../src/flows/expire-orders.ts');
    expect(await closeExpiredOrders(t.ctx)).toContain(placed.body.orderNo);
    const reply = await api(t, 'POST', `/v1/orders/${placed.body.orderNo}/cancel`, { token: buyer.token });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('invalid_state');
    const row = await t.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ stock: 10, reserved: 0 });
  });
});
