import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
let cashier: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  cashier = await staffToken(t, 'cashier');
});
afterAll(() => t.close());

let seq = 0;
async function coupon(body: Record<string, unknown>): Promise<{ id: number; code: string }> {
  const code = `ED${++seq}X${Date.now() % 1e6}`;
  const reply = await api(t, 'POST', '/v1/admin/coupons', { token: admin, body: { code, ...body } });
  expect(reply.status).toBe(201);
  return reply.body;
}
const row = (id: number) => t.ctx.db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirst();

describe('PATCH /v1/admin/coupons/:couponId', () => {
  it('changes the terms, and the next checkout prices with them to the fen', async () => {
    const product = await createProduct(t, admin, { price: 12345, stock: 10 });
    const buyer = await createMember(t);
    const { id, code } = await coupon({ kind: 'fixed', amountOff: 1000, minSpend: 5000 });
    const lines = [{ productId: product.id, quantity: 1 }];

    const changed = await api(t, 'PATCH', `/v1/admin/coupons/${id}`, {
      token: admin,
      body: { amountOff: 2345, title: '满50减23.45', endsAt: '2099-01-01T00:00:00Z' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id,
      code,
      kind: 'fixed',
      amountOff: 2345,
      title: '满50减23.45',
      minSpend: 5000,
      endsAt: '2099-01-01T00:00:00.000Z',
    });
    const preview = await api(t, 'POST', '/v1/checkout/preview', {
      token: buyer.token,
      body: { lines, couponCode: code },
    });
    expect(preview.body).toMatchObject({ couponDiscount: 2345, couponApplied: true });

    // to a percentage with a cap: 10 % of 12345 is 1234.5, capped at 1000
    const percent = await api(t, 'PATCH', `/v1/admin/coupons/${id}`, {
      token: admin,
      body: { kind: 'percent', percentOff: 10, maxOff: 1000 },
    });
    expect(percent.body).toMatchObject({ kind: 'percent', percentOff: 10, amountOff: 0, maxOff: 1000 });
    const capped = await api(t, 'POST', '/v1/checkout/preview', {
      token: buyer.token,
      body: { lines, couponCode: code },
    });
    expect(capped.body).toMatchObject({ couponDiscount: 1000 });

    // null clears a limit and a date
    const cleared = await api(t, 'PATCH', `/v1/admin/coupons/${id}`, {
      token: admin,
      body: { maxOff: null, endsAt: null },
    });
    expect(cleared.body).toMatchObject({ maxOff: null, endsAt: null });
  });

  it('refuses a change that breaks the coupon, a cashier, another merchant’s coupon and a bad body, changing nothing', async () => {
    const { id } = await coupon({ kind: 'fixed', amountOff: 500, minSpend: 0, totalQuantity: 5 });
    const before = await row(id);
    const tries: [string, Record<string, unknown>, number, string][] = [
      [admin, { kind: 'percent' }, 400, 'validation_failed'], // a percent coupon without percentOff
      [admin, { startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, 400, 'validation_failed'],
      [admin, {}, 400, 'validation_failed'],
      [admin, { code: 'RENAMED' }, 400, 'validation_failed'],
      [admin, { amountOff: -1 }, 400, 'validation_failed'],
      [cashier, { amountOff: 1 }, 403, 'forbidden'],
    ];
    for (const [token, body, status, errorCode] of tries) {
      const reply = await api(t, 'PATCH', `/v1/admin/coupons/${id}`, { token, body });
      expect({ body, status: reply.status, code: reply.body.error.code }).toEqual({ body, status, code: errorCode });
    }
    expect(
      await api(t, 'PATCH', '/v1/admin/coupons/999999999', { token: admin, body: { amountOff: 1 } }),
    ).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    const other = await t.ctx.db
      .insertInto('merchants')
      .values({ name: '别家' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const theirs = await t.ctx.db
      .insertInto('coupons')
      .values({ merchant_id: other.id, code: 'THEIRS', kind: 'fixed', amount_off: 100 })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(
      await api(t, 'PATCH', `/v1/admin/coupons/${theirs.id}`, { token: admin, body: { amountOff: 1 } }),
    ).toMatchObject({ status: 404 });
    expect(await api(t, 'DELETE', `/v1/admin/coupons/${theirs.id}`, { token: admin })).toMatchObject({ status: 404 });
    expect(await row(theirs.id)).toMatchObject({ amount_off: 100 });
    expect(await row(id)).toEqual(before);
  });

  it('lowering the quantity while orders take the coupon never leaves more uses than the quantity', async () => {
    const product = await createProduct(t, admin, { price: 10000, stock: 100 });
    const { id, code } = await coupon({ kind: 'fixed', amountOff: 100, minSpend: 0, totalQuantity: 50 });
    const buyers = await Promise.all(Array.from({ length: 12 }, () => createMember(t)));
    const [lowered, ...orders] = await Promise.all([
      api(t, 'PATCH', `/v1/admin/coupons/${id}`, { token: admin, body: { totalQuantity: 6 } }),
      ...buyers.map((b) =>
        placeOrder(t, b.token, { lines: [{ productId: product.id, quantity: 1 }], couponCode: code }),
      ),
    ]);
    const placed = orders.filter((o) => o.status === 201).length;
    const final = (await row(id))!;
    expect(final.used_quantity).toBe(placed);
    expect(final.used_quantity).toBeLessThanOrEqual(final.total_quantity!);
    // the change either came first (at most 6 orders got the coupon) or was refused for the uses already made
    if (lowered.status === 200) expect(final.total_quantity).toBe(6);
    else expect(lowered).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    for (const order of orders.filter((o) => o.status !== 201)) expect(order.status).toBe(422);
  });
});

describe('DELETE /v1/admin/coupons/:couponId', () => {
  it('deletes an unused coupon; one that an order used stays (409) and can be ended instead', async () => {
    const unused = await coupon({ kind: 'fixed', amountOff: 300, minSpend: 0 });
    expect(await api(t, 'DELETE', `/v1/admin/coupons/${unused.id}`, { token: cashier })).toMatchObject({ status: 403 });
    expect(await api(t, 'DELETE', `/v1/admin/coupons/${unused.id}`, { token: admin })).toMatchObject({ status: 204 });
    expect(await row(unused.id)).toBeUndefined();
    expect(await api(t, 'DELETE', `/v1/admin/coupons/${unused.id}`, { token: admin })).toMatchObject({ status: 404 });
    const listed = await api(t, 'GET', '/v1/admin/coupons', { token: admin });
    expect(listed.body.map((c: { id: number }) => c.id)).not.toContain(unused.id);

    const used = await coupon({ kind: 'fixed', amountOff: 300, minSpend: 0 });
    const product = await createProduct(t, admin, { price: 5000, stock: 10 });
    const buyer = await createMember(t);
    expect(
      (await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }], couponCode: used.code }))
        .status,
    ).toBe(201);
    const refused = await api(t, 'DELETE', `/v1/admin/coupons/${used.id}`, { token: admin });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(refused.body.error.message).toContain('endsAt');
    expect(await row(used.id)).toMatchObject({ used_quantity: 1 });
  });
});
