import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExpiredOrders } from '../../src/flows/expire-orders.ts';
import { api } from '../support/api.ts';
import { createMember, createProduct, memberToken, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Coupon templates and the member's wallet over /v1: claiming (quantity and per-member limit under concurrency),
 * using a wallet coupon on exactly one order, giving it back when that order is cancelled or expires unpaid,
 * validity after claiming, scope by product and category, and codes as templates used by typing them.
 */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

let seq = 0;
async function template(body: Record<string, unknown>): Promise<{ id: number; code: string | null }> {
  const reply = await api(t, 'POST', '/v1/admin/coupons', {
    token: admin,
    body: { title: `券${++seq}`, claimable: true, ...body },
  });
  expect(reply.status).toBe(201);
  return reply.body;
}
const claim = (token: string, couponId: number) => api(t, 'POST', `/v1/coupons/${couponId}/claim`, { token });
const wallet = async (token: string, state?: string) =>
  (await api(t, 'GET', `/v1/me/coupons${state ? `?state=${state}` : ''}`, { token })).body;
const couponRow = (id: number) =>
  t.ctx.db
    .selectFrom('coupons')
    .select(['claimed_quantity', 'used_quantity'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('claiming', () => {
  it('20 parallel claims of a coupon with 5 left: exactly 5 land in wallets, the rest are told it ran out', async () => {
    const { id } = await template({ kind: 'fixed', amountOff: 500, minSpend: 0, totalQuantity: 7 });
    const early = await Promise.all([createMember(t), createMember(t)]);
    for (const m of early) expect((await claim(m.token, id)).status).toBe(201);

    const members = await Promise.all(Array.from({ length: 20 }, () => createMember(t)));
    const replies = await Promise.all(members.map((m) => claim(m.token, id)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    for (const refused of replies.filter((r) => r.status !== 201))
      expect(refused).toMatchObject({ status: 422, body: { error: { details: { couponReason: 'run_out' } } } });
    expect(await couponRow(id)).toEqual({ claimed_quantity: 7, used_quantity: 0 });
    const held = await t.ctx.db
      .selectFrom('member_coupons')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('coupon_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(held.n)).toBe(7);
  });

  it('one member claiming a once-per-member coupon 10 times at once gets exactly one', async () => {
    const { id } = await template({ kind: 'fixed', amountOff: 500, minSpend: 0, perMemberLimit: 1 });
    const m = await createMember(t);
    const replies = await Promise.all(Array.from({ length: 10 }, () => claim(m.token, id)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of replies.filter((r) => r.status !== 201))
      expect(refused.body.error.details.couponReason).toBe('limit_reached');
    expect((await wallet(m.token)).total).toBe(1);
    expect(await couponRow(id)).toEqual({ claimed_quantity: 1, used_quantity: 0 });
  });

  it('lists what a member can claim, with their own claims, and refuses codes-only, ended and unknown coupons', async () => {
    const twice = await template({ kind: 'percent', percentOff: 12, maxOff: 800, minSpend: 3000, perMemberLimit: 2 });
    const codeOnly = await template({
      code: `ONLY${Date.now() % 1e6}`,
      claimable: false,
      kind: 'fixed',
      amountOff: 1,
      minSpend: 0,
    });
    const ended = await template({
      kind: 'fixed',
      amountOff: 1,
      minSpend: 0,
      endsAt: new Date(t.clock.now().getTime() + 1000).toISOString(),
    });
    const m = await createMember(t);
    expect((await claim(m.token, twice.id)).status).toBe(201);
    const centre = await api(t, 'GET', '/v1/coupons', { token: m.token });
    expect(centre.status).toBe(200);
    expect(centre.body.find((c: { couponId: number }) => c.couponId === twice.id)).toMatchObject({
      kind: 'percent',
      percentOff: 12,
      maxOff: 800,
      minSpend: 3000,
      perMemberLimit: 2,
      claimedByMe: 1,
      remaining: null,
      claimState: 'available',
    });
    expect(centre.body.map((c: { couponId: number }) => c.couponId)).not.toContain(codeOnly.id);
    expect((await claim(m.token, twice.id)).status).toBe(201);
    const full = await api(t, 'GET', '/v1/coupons', { token: m.token });
    expect(full.body.find((c: { couponId: number }) => c.couponId === twice.id)).toMatchObject({
      claimedByMe: 2,
      claimState: 'limit_reached',
    });

    expect(await claim(m.token, codeOnly.id)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await claim(m.token, 999_999_999)).toMatchObject({ status: 404 });
    t.clock.advance(2000);
    expect(await claim(m.token, ended.id)).toMatchObject({
      status: 422,
      body: { error: { details: { couponReason: 'ended' } } },
    });
    expect(
      (await api(t, 'GET', '/v1/coupons', { token: m.token })).body.map((c: { couponId: number }) => c.couponId),
    ).not.toContain(ended.id);
    expect((await wallet(m.token)).total).toBe(2);
  });

  it('refuses templates that make no sense, changing nothing', async () => {
    const before = await api(t, 'GET', '/v1/admin/coupons', { token: admin });
    const bodies = [
      { kind: 'fixed', amountOff: 100, minSpend: 0, claimable: false }, // no code and not claimable: unreachable
      { kind: 'fixed', amountOff: 100, minSpend: 0, scope: 'products' }, // scoped to nothing
      { kind: 'fixed', amountOff: 100, minSpend: 0, scopeIds: [1] }, // ids without a scope
      { kind: 'fixed', amountOff: 100, minSpend: 0, validDays: 7, startsAt: '2030-01-01T00:00:00Z' },
      { kind: 'fixed', amountOff: 100, minSpend: 0, perMemberLimit: 0 },
      { kind: 'fixed', amountOff: 100, minSpend: 0, validDays: 'seven' },
    ];
    for (const body of bodies) {
      const reply = await api(t, 'POST', '/v1/admin/coupons', {
        token: admin,
        body: { title: 'x', claimable: true, ...body },
      });
      expect({ body, status: reply.status, code: reply.body.error?.code }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
    }
    const m = await createMember(t);
    expect(
      await api(t, 'POST', '/v1/admin/coupons', {
        token: m.token,
        body: { kind: 'fixed', amountOff: 1, minSpend: 0, claimable: true },
      }),
    ).toMatchObject({ status: 403 });
    expect((await api(t, 'GET', '/v1/admin/coupons', { token: admin })).body).toEqual(before.body);
  });
});

describe('using a wallet coupon', () => {
  it('one member putting a once-per-member coupon on 10 parallel orders: exactly one order gets the discount', async () => {
    const product = await createProduct(t, admin, { price: 12_345, stock: 100 });
    const { id } = await template({ kind: 'fixed', amountOff: 1_234, minSpend: 10_000, perMemberLimit: 1 });
    const m = await createMember(t);
    const claimed = await claim(m.token, id);
    expect(claimed.body).toMatchObject({ couponId: id, state: 'unused', orderId: null });
    const orders = await Promise.all(
      Array.from({ length: 10 }, () =>
        placeOrder(t, m.token, { lines: [{ productId: product.id, quantity: 1 }], memberCouponId: claimed.body.id }),
      ),
    );
    const placed = orders.filter((o) => o.status === 201);
    expect(placed).toHaveLength(1);
    expect(placed[0]!.body).toMatchObject({ goodsAmount: 12_345, couponDiscount: 1_234, payableAmount: 11_111 });
    for (const refused of orders.filter((o) => o.status !== 201))
      expect(refused).toMatchObject({ status: 422, body: { error: { details: { couponReason: 'used' } } } });
    expect(await couponRow(id)).toEqual({ claimed_quantity: 1, used_quantity: 1 });
    expect((await wallet(m.token, 'used')).items).toEqual([
      expect.objectContaining({
        id: claimed.body.id,
        state: 'used',
        orderId: placed[0]!.body.id ?? expect.any(Number),
      }),
    ]);
    const stock = await t.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(stock).toEqual({ stock: 99, reserved: 1 });
  });

  it('a typed code with a per-member limit: 10 parallel orders of one member, exactly one discounted', async () => {
    const product = await createProduct(t, admin, { price: 5_001, stock: 100 });
    const code = `ONCE${Date.now() % 1e6}`;
    const { id } = await template({
      code,
      claimable: false,
      kind: 'percent',
      percentOff: 15,
      minSpend: 0,
      perMemberLimit: 1,
    });
    const m = await createMember(t);
    const orders = await Promise.all(
      Array.from({ length: 10 }, () =>
        placeOrder(t, m.token, {
          lines: [{ productId: product.id, quantity: 1 }],
          couponCode: code,
          delivery: 'pickup',
        }),
      ),
    );
    const placed = orders.filter((o) => o.status === 201);
    expect(placed).toHaveLength(1);
    // 15 % off 50.01: 50.01 − round(50.01 × 0.85) = 50.01 − 42.51 = 7.50
    expect(placed[0]!.body).toMatchObject({ couponDiscount: 750, payableAmount: 4_251 });
    for (const refused of orders.filter((o) => o.status !== 201))
      expect(refused.body.error.details.couponReason).toMatch(/^(limit_reached|used)$/);
    expect(await couponRow(id)).toEqual({ claimed_quantity: 1, used_quantity: 1 });
  });

  it('goes back to the wallet when its order is cancelled, and when one expires unpaid; then it serves again', async () => {
    const product = await createProduct(t, admin, { price: 8_000, stock: 10 });
    const { id } = await template({ kind: 'fixed', amountOff: 800, minSpend: 0, perMemberLimit: 1 });
    const m = await createMember(t);
    const mine = (await claim(m.token, id)).body.id as number;
    const lines = [{ productId: product.id, quantity: 1 }];
    const pickup = 'pickup';

    const first = await placeOrder(t, m.token, { lines, memberCouponId: mine, delivery: pickup });
    expect(first.body).toMatchObject({ couponDiscount: 800, payableAmount: 7_200 });
    expect((await wallet(m.token, 'unused')).total).toBe(0);
    const cancelled = await api(t, 'POST', `/v1/orders/${first.body.orderNo}/cancel`, { token: m.token, body: {} });
    expect(cancelled.status).toBe(200);
    expect((await wallet(m.token, 'unused')).items).toEqual([expect.objectContaining({ id: mine, orderId: null })]);
    expect(await couponRow(id)).toEqual({ claimed_quantity: 1, used_quantity: 0 });

    const second = await placeOrder(t, m.token, { lines, memberCouponId: mine, delivery: pickup });
    expect(second.body).toMatchObject({ couponDiscount: 800, payableAmount: 7_200 });
    t.clock.advance(31 * 60_000);
    expect(await closeExpiredOrders(t.ctx)).toContain(second.body.orderNo);
    expect((await wallet(m.token, 'unused')).items).toEqual([expect.objectContaining({ id: mine, state: 'unused' })]);
    expect(await couponRow(id)).toEqual({ claimed_quantity: 1, used_quantity: 0 });

    const third = await placeOrder(t, await memberToken(t, m.memberId), {
      lines,
      memberCouponId: mine,
      delivery: pickup,
    });
    expect(third.body).toMatchObject({ couponDiscount: 800, payableAmount: 7_200 });
  });

  it('is valid for validDays from claiming: then it is expired, listed so, and refused', async () => {
    const product = await createProduct(t, admin, { price: 3_000, stock: 10 });
    const { id } = await template({ kind: 'fixed', amountOff: 300, minSpend: 0, validDays: 3 });
    const m = await createMember(t);
    const claimedAt = t.clock.now();
    const claimed = (await claim(m.token, id)).body;
    expect(new Date(claimed.validUntil).getTime() - claimedAt.getTime()).toBe(3 * 86_400_000);
    t.clock.advance(3 * 86_400_000);
    // tokens live a day: both sign in again
    admin = await staffToken(t);
    const token = await memberToken(t, m.memberId);
    expect((await wallet(token, 'expired')).items).toEqual([
      expect.objectContaining({ id: claimed.id, state: 'expired' }),
    ]);
    expect((await wallet(token, 'unused')).total).toBe(0);
    const refused = await placeOrder(t, token, {
      lines: [{ productId: product.id, quantity: 1 }],
      memberCouponId: claimed.id,
    });
    expect(refused).toMatchObject({ status: 422, body: { error: { details: { couponReason: 'expired' } } } });
  });

  it('refuses another member’s wallet coupon and both a code and a wallet coupon at once, holding nothing', async () => {
    const product = await createProduct(t, admin, { price: 1_000, stock: 5 });
    const { id } = await template({ kind: 'fixed', amountOff: 100, minSpend: 0 });
    const owner = await createMember(t);
    const other = await createMember(t);
    const theirs = (await claim(owner.token, id)).body.id;
    const lines = [{ productId: product.id, quantity: 1 }];
    expect(await placeOrder(t, other.token, { lines, memberCouponId: theirs })).toMatchObject({
      status: 422,
      body: { error: { code: 'unprocessable', details: { couponReason: 'not_found' } } },
    });
    expect(await placeOrder(t, owner.token, { lines, memberCouponId: theirs, couponCode: 'WELCOME10' })).toMatchObject({
      status: 400,
    });
    const stock = await t.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(stock).toEqual({ stock: 5, reserved: 0 });
    expect(await couponRow(id)).toEqual({ claimed_quantity: 1, used_quantity: 0 });
  });
});

describe('scope', () => {
  it('a coupon for some products discounts only their lines, to the fen, and checks its minimum on them', async () => {
    const covered = await createProduct(t, admin, { price: 3_333, stock: 10 });
    const other = await createProduct(t, admin, { price: 10_000, stock: 10 });
    const { id } = await template({
      kind: 'percent',
      percentOff: 10,
      minSpend: 6_000,
      scope: 'products',
      scopeIds: [covered.id],
    });
    const m = await createMember(t);
    const mine = (await claim(m.token, id)).body.id;

    // the covered line alone is 33.33 < 60: the other line does not count toward the minimum
    const short = await api(t, 'POST', '/v1/checkout/preview', {
      token: m.token,
      body: {
        lines: [
          { productId: covered.id, quantity: 1 },
          { productId: other.id, quantity: 1 },
        ],
        memberCouponId: mine,
      },
    });
    expect(short.body).toMatchObject({
      couponApplied: false,
      couponDiscount: 0,
      couponProblem: expect.stringMatching(/minimum/),
    });

    const placed = await placeOrder(t, m.token, {
      lines: [
        { productId: covered.id, quantity: 2 },
        { productId: other.id, quantity: 1 },
      ],
      memberCouponId: mine,
    });
    // 10 % of 66.66 = 6.67 (66.66 − round(66.66 × 0.9) = 66.66 − 59.99), all on the covered line
    expect(placed.body).toMatchObject({ goodsAmount: 16_666, couponDiscount: 667, payableAmount: 15_999 });
    const byProduct = Object.fromEntries(placed.body.lines.map((l: any) => [l.productId, l.discountAmount]));
    expect(byProduct).toEqual({ [covered.id]: 667, [other.id]: 0 });
  });

  it('a coupon for a category covers that category’s goods; none of them in the order: not in scope', async () => {
    const inCategory = await createProduct(t, admin, { price: 2_000, stock: 10 }); // the helper's category 100012
    const { id } = await template({
      kind: 'fixed',
      amountOff: 500,
      minSpend: 0,
      scope: 'categories',
      scopeIds: [100012],
    });
    const elsewhere = await template({
      kind: 'fixed',
      amountOff: 500,
      minSpend: 0,
      scope: 'categories',
      scopeIds: [999_999],
    });
    const m = await createMember(t);
    const mine = (await claim(m.token, id)).body.id;
    const notMine = (await claim(m.token, elsewhere.id)).body.id;
    const lines = [{ productId: inCategory.id, quantity: 1 }];
    expect(await placeOrder(t, m.token, { lines, memberCouponId: notMine, delivery: 'pickup' })).toMatchObject({
      status: 422,
      body: { error: { details: { couponReason: 'not_in_scope' } } },
    });
    expect((await placeOrder(t, m.token, { lines, memberCouponId: mine, delivery: 'pickup' })).body).toMatchObject({
      couponDiscount: 500,
      payableAmount: 1_500,
    });
  });
});

describe('codes are templates used by typing them', () => {
  it('WELCOME10 serves a member once; a cancelled order gives it back for the next', async () => {
    const product = await createProduct(t, admin, { price: 6_000, stock: 10 });
    const m = await createMember(t);
    const lines = [{ productId: product.id, quantity: 1 }];
    const first = await placeOrder(t, m.token, { lines, couponCode: 'WELCOME10', delivery: 'pickup' });
    expect(first.body).toMatchObject({ couponDiscount: 1_000, payableAmount: 5_000 });
    expect(await placeOrder(t, m.token, { lines, couponCode: 'WELCOME10', delivery: 'pickup' })).toMatchObject({
      status: 422,
      body: { error: { details: { couponReason: 'limit_reached' } } },
    });
    await api(t, 'POST', `/v1/orders/${first.body.orderNo}/cancel`, { token: m.token, body: {} });
    expect((await placeOrder(t, m.token, { lines, couponCode: 'WELCOME10', delivery: 'pickup' })).body).toMatchObject({
      couponDiscount: 1_000,
      payableAmount: 5_000,
    });
    expect((await wallet(m.token)).items).toEqual([expect.objectContaining({ title: '新人满50减10', state: 'used' })]);
  });
});
