import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { api, type ApiReply } from '../support/api.ts';
import {
  createAddress,
  createMember,
  createProduct,
  newIdempotencyKey,
  placeOrder,
  staffToken,
} from '../support/actors.ts';
import { createRivalMerchant } from '../support/owned-data.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// A member cannot read, cancel or list another member's orders; more broadly, every principal (member, staff
// of another merchant, operator, no one) only reaches what its scope and role allow, and what it cannot reach
// looks exactly like what does not exist.

type Member = { memberId: number; token: string };

let t: TestApp;
let admin: string;
let cashier: string;
let product: { id: number };
let alice: Member;
let bob: Member;
let aliceAddressId: number;
let aliceOrders: string[]; // newest last
let bobOrder: string;
let ghostOrderNo: string;
let rival: { merchantId: number; storeId: number; admin: string; member: Member; productId: number };

const orderRow = (orderNo: string) =>
  t.ctx.db
    .selectFrom('orders')
    .select(['id', 'status', 'member_id', 'cancelled_at', 'updated_at'])
    .where('order_no', '=', orderNo)
    .executeTakeFirstOrThrow();
const eventCount = async (orderNo: string) =>
  Number(
    (
      await t.ctx.db
        .selectFrom('order_events as e')
        .innerJoin('orders as o', 'o.id', 'e.order_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('o.order_no', '=', orderNo)
        .executeTakeFirstOrThrow()
    ).n,
  );
const productRow = (id: number) =>
  t.ctx.db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const stockOf = async (id: number) => {
  const { stock, reserved } = await productRow(id);
  return { stock, reserved };
};
const orderNosOf = async (memberId: number) =>
  (
    await t.ctx.db.selectFrom('orders').select('order_no').where('member_id', '=', memberId).orderBy('id').execute()
  ).map((r) => r.order_no);
const listed = (reply: ApiReply): string[] => {
  expect(reply.status).toBe(200);
  return reply.body.items.map((o: { orderNo: string }) => o.orderNo);
};
/** Everything about a 404 except the order number it echoes: two of these must be indistinguishable. */
const notFoundShape = (reply: ApiReply, orderNo: string) => ({
  status: reply.status,
  body: JSON.parse(JSON.stringify(reply.body).replaceAll(orderNo, '<orderNo>')),
  contentType: reply.headers['content-type'],
  contentLength: reply.headers['content-length'],
});
const expectError = (reply: ApiReply, status: number, code: string) => {
  expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status, code });
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t, 'admin');
  cashier = await staffToken(t, 'cashier');
  product = await createProduct(t, admin, { price: 5000, stock: 100, title: 'Isolation product' });
  alice = await createMember(t);
  bob = await createMember(t);
  aliceAddressId = await createAddress(t, alice.token);

  aliceOrders = [];
  for (const quantity of [2, 1]) {
    const placed = await placeOrder(t, alice.token, {
      lines: [{ productId: product.id, quantity }],
      addressId: aliceAddressId,
    });
    expect(placed.status).toBe(201);
    expect(placed.body.address?.receiverName).toBe('李'); // the owner can order with their own address
    aliceOrders.push(placed.body.orderNo);
  }
  const placed = await placeOrder(t, bob.token, { lines: [{ productId: product.id, quantity: 1 }] });
  expect(placed.status).toBe(201);
  bobOrder = placed.body.orderNo;

  // Same day prefix as real orders, a sequence number that does not exist.
  ghostOrderNo = `${aliceOrders[0]!.slice(0, 8)}99999999`;
  expect(
    await t.ctx.db.selectFrom('orders').select('id').where('order_no', '=', ghostOrderNo).executeTakeFirst(),
  ).toBeUndefined();

  // A second merchant with a store, an admin (signed in through the API) and a member.
  const other = await createRivalMerchant(t);
  expect(other.admin).toBeTruthy();
  const rivalProduct = await api(t, 'POST', '/v1/admin/products', {
    token: other.admin,
    body: { title: 'Rival product', storeId: other.storeId, price: 100, stock: 5 },
  });
  expect(rivalProduct.status).toBe(201);
  rival = { ...other, productId: rivalProduct.body.id };
});
afterAll(() => t.close());

describe('another member of the same shop', () => {
  it('gets 404 for an order of someone else, indistinguishable from an order number that does not exist', async () => {
    const [aliceNo] = aliceOrders as [string];
    const owner = await api(t, 'GET', `/v1/orders/${aliceNo}`, { token: alice.token });
    expect(owner.status).toBe(200); // the order is there: the 404 below is about who asks
    expect(owner.body.memberId).toBe(alice.memberId);

    const foreign = await api(t, 'GET', `/v1/orders/${aliceNo}`, { token: bob.token });
    const ghost = await api(t, 'GET', `/v1/orders/${ghostOrderNo}`, { token: bob.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({
      error: { code: 'not_found', message: expect.any(String), details: { orderNo: aliceNo } },
    });
    expect(JSON.stringify(foreign.body)).not.toContain(String(alice.memberId));
    expect(notFoundShape(foreign, aliceNo)).toEqual(notFoundShape(ghost, ghostOrderNo));
  });

  it('cannot cancel it: 404 like a missing order, and the order keeps its status, stock reservation and history', async () => {
    const [aliceNo] = aliceOrders as [string];
    const before = {
      order: await orderRow(aliceNo),
      stock: await stockOf(product.id),
      events: await eventCount(aliceNo),
    };
    expect(before.order.status).toBe('pending_payment');

    const foreign = await api(t, 'POST', `/v1/orders/${aliceNo}/cancel`, {
      token: bob.token,
      body: { reason: 'not mine' },
    });
    const ghost = await api(t, 'POST', `/v1/orders/${ghostOrderNo}/cancel`, {
      token: bob.token,
      body: { reason: 'not mine' },
    });
    expectError(foreign, 404, 'not_found');
    expect(notFoundShape(foreign, aliceNo)).toEqual(notFoundShape(ghost, ghostOrderNo));

    expect(await orderRow(aliceNo)).toEqual(before.order);
    expect((await orderRow(aliceNo)).cancelled_at).toBeNull();
    expect(await stockOf(product.id)).toEqual(before.stock);
    expect(await eventCount(aliceNo)).toBe(before.events);
  });

  it('lists only their own orders, also when searching for the other member’s order number or receiver', async () => {
    expect(await orderNosOf(alice.memberId)).toEqual(aliceOrders);
    expect(await orderNosOf(bob.memberId)).toEqual([bobOrder]);

    expect(listed(await api(t, 'GET', '/v1/orders', { token: bob.token }))).toEqual([bobOrder]);
    expect(listed(await api(t, 'GET', '/v1/orders', { token: alice.token })).sort()).toEqual([...aliceOrders].sort());

    for (const aliceNo of aliceOrders) {
      expect(listed(await api(t, 'GET', `/v1/orders?q=${aliceNo}`, { token: bob.token }))).toEqual([]);
      expect(listed(await api(t, 'GET', `/v1/orders?q=${aliceNo}`, { token: alice.token }))).toEqual([aliceNo]);
    }
    // Alice's orders carry her address snapshot; searching for its receiver name or mobile finds nothing for Bob.
    for (const q of [encodeURIComponent('李'), '18600000000']) {
      expect(listed(await api(t, 'GET', `/v1/orders?q=${q}`, { token: bob.token }))).toEqual([]);
      expect(listed(await api(t, 'GET', `/v1/orders?q=${q}`, { token: alice.token })).sort()).toEqual(
        [...aliceOrders].sort(),
      );
    }
    // Paging through Bob's orders one at a time never reaches Alice's.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiReply = await api(t, 'GET', `/v1/orders?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
        token: bob.token,
      });
      seen.push(...listed(page));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual([bobOrder]);
  });

  it('is refused a memberId filter (403), for another member and for themselves', async () => {
    const other = await api(t, 'GET', `/v1/orders?memberId=${alice.memberId}`, { token: bob.token });
    expectError(other, 403, 'forbidden');
    expect(JSON.stringify(other.body)).not.toContain(aliceOrders[0]!);
    expectError(await api(t, 'GET', `/v1/orders?memberId=${bob.memberId}`, { token: bob.token }), 403, 'forbidden');
  });
});

describe('addresses and cart lines of another member', () => {
  it('cannot read, edit or delete another member’s address (404), which stays as it was', async () => {
    const before = await t.ctx.db
      .selectFrom('addresses')
      .selectAll()
      .where('id', '=', aliceAddressId)
      .executeTakeFirstOrThrow();
    expect(before.member_id).toBe(alice.memberId);
    expect((await api(t, 'GET', `/v1/addresses/${aliceAddressId}`, { token: alice.token })).status).toBe(200);

    const attempts = [
      await api(t, 'GET', `/v1/addresses/${aliceAddressId}`, { token: bob.token }),
      await api(t, 'PATCH', `/v1/addresses/${aliceAddressId}`, {
        token: bob.token,
        body: { receiverName: 'Bob', address: 'Bob street 1' },
      }),
      await api(t, 'PATCH', `/v1/addresses/${aliceAddressId}`, { token: bob.token, body: { isDefault: false } }),
      await api(t, 'DELETE', `/v1/addresses/${aliceAddressId}`, { token: bob.token }),
    ];
    for (const reply of attempts) expectError(reply, 404, 'not_found');
    const bobsList = await api(t, 'GET', '/v1/addresses', { token: bob.token });
    expect(bobsList.status).toBe(200);
    expect(bobsList.body.map((a: { id: number }) => a.id)).not.toContain(aliceAddressId);

    expect(
      await t.ctx.db.selectFrom('addresses').selectAll().where('id', '=', aliceAddressId).executeTakeFirstOrThrow(),
    ).toEqual(before);
  });

  it('making one of their own addresses the default leaves the other member’s default alone', async () => {
    const bobsAddress = await createAddress(t, bob.token);
    const patched = await api(t, 'PATCH', `/v1/addresses/${bobsAddress}`, {
      token: bob.token,
      body: { isDefault: true },
    });
    expect(patched.status).toBe(200);
    const row = await t.ctx.db
      .selectFrom('addresses')
      .select(['is_default', 'member_id'])
      .where('id', '=', aliceAddressId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ is_default: true, member_id: alice.memberId });
  });

  it('cannot change or remove another member’s cart line (404), which stays as it was', async () => {
    const added = await api(t, 'POST', '/v1/cart/items', {
      token: alice.token,
      body: { productId: product.id, quantity: 2 },
    });
    expect(added.status).toBe(201);
    const itemId: number = added.body.items[0].id;
    const before = await t.ctx.db
      .selectFrom('cart_items')
      .selectAll()
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(before).toMatchObject({ member_id: alice.memberId, quantity: 2, selected: true });

    const attempts = [
      await api(t, 'PATCH', `/v1/cart/items/${itemId}`, { token: bob.token, body: { quantity: 9 } }),
      await api(t, 'PATCH', `/v1/cart/items/${itemId}`, { token: bob.token, body: { selected: false } }),
      await api(t, 'DELETE', `/v1/cart/items/${itemId}`, { token: bob.token }),
    ];
    for (const reply of attempts) expectError(reply, 404, 'not_found');

    const bobsCart = await api(t, 'GET', '/v1/cart', { token: bob.token });
    expect(bobsCart.status).toBe(200);
    expect(bobsCart.body.items).toEqual([]);
    // Selecting "all" in Bob's cart touches only Bob's lines.
    expect((await api(t, 'PUT', '/v1/cart/selection', { token: bob.token, body: { selected: false } })).status).toBe(
      200,
    );
    expect(
      await t.ctx.db.selectFrom('cart_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow(),
    ).toEqual(before);

    // Checking out "the cart" as Bob never picks up Alice's selected line.
    const stockBefore = await stockOf(product.id);
    const fromCart = await placeOrder(t, bob.token, {});
    expectError(fromCart, 422, 'unprocessable');
    expect(await orderNosOf(bob.memberId)).toEqual([bobOrder]);
    expect(await stockOf(product.id)).toEqual(stockBefore);
    expect(
      await t.ctx.db.selectFrom('cart_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow(),
    ).toEqual(before);

    const alicesCart = await api(t, 'GET', '/v1/cart', { token: alice.token });
    expect(alicesCart.body.items.map((i: { id: number }) => i.id)).toEqual([itemId]);
  });

  it('cannot place an order with another member’s address: 404, no order, no stock taken, no key kept', async () => {
    const stockBefore = await stockOf(product.id);
    const key = newIdempotencyKey();
    const reply = await placeOrder(
      t,
      bob.token,
      { lines: [{ productId: product.id, quantity: 3 }], addressId: aliceAddressId },
      key,
    );
    expectError(reply, 404, 'not_found');
    expect(JSON.stringify(reply.body)).not.toContain('李');
    expect(await orderNosOf(bob.memberId)).toEqual([bobOrder]);
    expect(await stockOf(product.id)).toEqual(stockBefore);
    expect(
      await t.ctx.db.selectFrom('idempotency_keys').select('key').where('key', '=', key).executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('staff and members of another merchant', () => {
  it('the other merchant’s admin cannot see this merchant’s orders', async () => {
    const [aliceNo] = aliceOrders as [string];
    const foreign = await api(t, 'GET', `/v1/orders/${aliceNo}`, { token: rival.admin });
    const ghost = await api(t, 'GET', `/v1/orders/${ghostOrderNo}`, { token: rival.admin });
    expectError(foreign, 404, 'not_found');
    expect(notFoundShape(foreign, aliceNo)).toEqual(notFoundShape(ghost, ghostOrderNo));

    expect(listed(await api(t, 'GET', '/v1/orders', { token: rival.admin }))).toEqual([]);
    expect(listed(await api(t, 'GET', `/v1/orders?memberId=${alice.memberId}`, { token: rival.admin }))).toEqual([]);
    expect(listed(await api(t, 'GET', `/v1/orders?q=${aliceNo}`, { token: rival.admin }))).toEqual([]);
    expect(listed(await api(t, 'GET', `/v1/orders?storeId=${DEMO.storeId}`, { token: rival.admin }))).toEqual([]);
    // Positive control: this merchant's own staff do see them.
    expect(listed(await api(t, 'GET', '/v1/orders?limit=100', { token: admin }))).toEqual(
      expect.arrayContaining([...aliceOrders, bobOrder]),
    );
  });

  it('the other merchant’s admin cannot cancel them; the order and its reservation stay', async () => {
    const [aliceNo] = aliceOrders as [string];
    const before = {
      order: await orderRow(aliceNo),
      stock: await stockOf(product.id),
      events: await eventCount(aliceNo),
    };
    expectError(
      await api(t, 'POST', `/v1/orders/${aliceNo}/cancel`, { token: rival.admin, body: { reason: 'rival' } }),
      404,
      'not_found',
    );
    expect(await orderRow(aliceNo)).toEqual(before.order);
    expect(before.order.status).toBe('pending_payment');
    expect(await stockOf(product.id)).toEqual(before.stock);
    expect(await eventCount(aliceNo)).toBe(before.events);
  });

  it('the other merchant’s member cannot see or cancel them either', async () => {
    const [aliceNo] = aliceOrders as [string];
    const before = await orderRow(aliceNo);
    expectError(await api(t, 'GET', `/v1/orders/${aliceNo}`, { token: rival.member.token }), 404, 'not_found');
    expectError(
      await api(t, 'POST', `/v1/orders/${aliceNo}/cancel`, { token: rival.member.token, body: {} }),
      404,
      'not_found',
    );
    expect(listed(await api(t, 'GET', '/v1/orders', { token: rival.member.token }))).toEqual([]);
    expect(await orderRow(aliceNo)).toEqual(before);
  });

  it('the other merchant’s admin cannot edit this merchant’s products, stock or stores', async () => {
    const before = await productRow(product.id);
    const store = await t.ctx.db
      .selectFrom('stores')
      .selectAll()
      .where('id', '=', DEMO.storeId)
      .executeTakeFirstOrThrow();
    const merchant = await t.ctx.db
      .selectFrom('merchants')
      .selectAll()
      .where('id', '=', DEMO.merchantId)
      .executeTakeFirstOrThrow();

    expectError(
      await api(t, 'PATCH', `/v1/admin/products/${product.id}`, {
        token: rival.admin,
        body: { title: 'Hijacked', price: 1, onSale: false },
      }),
      404,
      'not_found',
    );
    expectError(
      await api(t, 'POST', `/v1/admin/products/${product.id}/stock-adjustments`, {
        token: rival.admin,
        body: { delta: -10 },
      }),
      404,
      'not_found',
    );
    expectError(
      await api(t, 'POST', `/v1/admin/products/${product.id}/stock-adjustments`, {
        token: rival.admin,
        body: { delta: 1000 },
      }),
      404,
      'not_found',
    );
    expectError(
      await api(t, 'PATCH', `/v1/admin/stores/${DEMO.storeId}`, { token: rival.admin, body: { shippingFee: 99999 } }),
      404,
      'not_found',
    );
    // Its own product cannot be moved into this merchant's store either.
    expectError(
      await api(t, 'PATCH', `/v1/admin/products/${rival.productId}`, {
        token: rival.admin,
        body: { storeId: DEMO.storeId },
      }),
      400,
      'validation_failed',
    );
    const created = await api(t, 'POST', '/v1/admin/products', {
      token: rival.admin,
      body: { title: 'Sneaky', storeId: DEMO.storeId, categoryId: 100012, price: 1, stock: 1 },
    });
    expectError(created, 400, 'validation_failed');
    // Editing its own merchant settings leaves this merchant's alone.
    expect(
      (
        await api(t, 'PATCH', '/v1/admin/merchant', {
          token: rival.admin,
          body: { name: 'Renamed rival', orderTimeoutMinutes: 5 },
        })
      ).status,
    ).toBe(200);

    const listing = await api(t, 'GET', '/v1/admin/products?pageSize=100', { token: rival.admin });
    expect(listing.status).toBe(200);
    expect(listing.body.items.map((p: { id: number }) => p.id)).toEqual([rival.productId]);

    expect(await productRow(product.id)).toEqual(before);
    expect(
      await t.ctx.db.selectFrom('stores').selectAll().where('id', '=', DEMO.storeId).executeTakeFirstOrThrow(),
    ).toEqual(store);
    expect(
      await t.ctx.db.selectFrom('merchants').selectAll().where('id', '=', DEMO.merchantId).executeTakeFirstOrThrow(),
    ).toEqual(merchant);
    expect(await t.ctx.db.selectFrom('products').select('id').where('title', '=', 'Sneaky').execute()).toEqual([]);

    // Positive control: the same token can edit its own product, so the 404s above are scoping, not a dead token.
    const own = await api(t, 'PATCH', `/v1/admin/products/${rival.productId}`, {
      token: rival.admin,
      body: { title: 'Rival product v2' },
    });
    expect(own.status).toBe(200);
    expect(own.body.title).toBe('Rival product v2');
    const ownStock = await api(t, 'POST', `/v1/admin/products/${rival.productId}/stock-adjustments`, {
      token: rival.admin,
      body: { delta: 2 },
    });
    expect(ownStock.body).toEqual({ stock: 7 });
  });

  it('the other merchant’s member cannot order this merchant’s products', async () => {
    const before = await stockOf(product.id);
    const reply = await placeOrder(t, rival.member.token, { lines: [{ productId: product.id, quantity: 1 }] });
    expectError(reply, 404, 'not_found');
    expect(await stockOf(product.id)).toEqual(before);
    expect(await orderNosOf(rival.member.memberId)).toEqual([]);
  });
});

describe('roles', () => {
  const newProductBody = { title: 'Operator product', categoryId: 100012, storeId: DEMO.storeId, price: 100, stock: 1 };

  it('the operator reads the merchant’s orders but gets 403 on admin-only routes, changing nothing', async () => {
    const [aliceNo] = aliceOrders as [string];
    const one = await api(t, 'GET', `/v1/orders/${aliceNo}`, { token: cashier });
    expect(one.status).toBe(200);
    expect(one.body.memberId).toBe(alice.memberId);
    expect(listed(await api(t, 'GET', '/v1/orders?limit=100', { token: cashier }))).toEqual(
      expect.arrayContaining([...aliceOrders, bobOrder]),
    );
    expect(listed(await api(t, 'GET', `/v1/orders?memberId=${bob.memberId}`, { token: cashier }))).toEqual([bobOrder]);

    const productBefore = await productRow(product.id);
    const merchantBefore = await t.ctx.db
      .selectFrom('merchants')
      .selectAll()
      .where('id', '=', DEMO.merchantId)
      .executeTakeFirstOrThrow();
    const productCount = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('products')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const countBefore = await productCount();
    const staffName = `op-made-${process.pid}`;

    expectError(await api(t, 'POST', '/v1/admin/products', { token: cashier, body: newProductBody }), 403, 'forbidden');
    expectError(
      await api(t, 'PATCH', `/v1/admin/products/${product.id}`, { token: cashier, body: { price: 1 } }),
      403,
      'forbidden',
    );
    expectError(
      await api(t, 'PATCH', '/v1/admin/merchant', {
        token: cashier,
        body: { name: 'Cashier shop', orderTimeoutMinutes: 1 },
      }),
      403,
      'forbidden',
    );
    expectError(
      await api(t, 'POST', '/v1/admin/staff', {
        token: cashier,
        body: { username: staffName, password: 'password123', role: 'admin' },
      }),
      403,
      'forbidden',
    );
    expectError(
      await api(t, 'PATCH', `/v1/admin/stores/${DEMO.storeId}`, { token: cashier, body: { shippingFee: 0 } }),
      403,
      'forbidden',
    );
    expectError(
      await api(t, 'POST', '/v1/admin/coupons', {
        token: cashier,
        body: { code: 'OPFREE', kind: 'fixed', amountOff: 100000, minSpend: 0 },
      }),
      403,
      'forbidden',
    );

    expect(await productRow(product.id)).toEqual(productBefore);
    expect(await productCount()).toBe(countBefore);
    expect(
      await t.ctx.db.selectFrom('merchants').selectAll().where('id', '=', DEMO.merchantId).executeTakeFirstOrThrow(),
    ).toEqual(merchantBefore);
    expect(await t.ctx.db.selectFrom('staff').select('id').where('username', '=', staffName).execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom('coupons').select('id').where('code', '=', 'OPFREE').execute()).toEqual([]);
  });

  it('a member token gets 403 on every /v1/admin route, changing nothing', async () => {
    const productBefore = await productRow(product.id);
    const merchantBefore = await t.ctx.db
      .selectFrom('merchants')
      .selectAll()
      .where('id', '=', DEMO.merchantId)
      .executeTakeFirstOrThrow();
    const staffName = `member-made-${process.pid}`;
    const attempts: [string, string, unknown?][] = [
      ['GET', '/v1/admin/products'],
      ['POST', '/v1/admin/products', newProductBody],
      ['PATCH', `/v1/admin/products/${product.id}`, { price: 1 }],
      ['POST', `/v1/admin/products/${product.id}/stock-adjustments`, { delta: 5 }],
      ['POST', '/v1/admin/categories', { name: 'Member category' }],
      ['GET', '/v1/admin/merchant'],
      ['PATCH', '/v1/admin/merchant', { name: 'Member shop' }],
      ['GET', '/v1/admin/stores'],
      ['PATCH', `/v1/admin/stores/${DEMO.storeId}`, { shippingFee: 0 }],
      ['GET', '/v1/admin/coupons'],
      ['POST', '/v1/admin/coupons', { code: 'MEMBERFREE', kind: 'fixed', amountOff: 100000, minSpend: 0 }],
      ['POST', '/v1/admin/staff', { username: staffName, password: 'password123', role: 'admin' }],
    ];
    for (const [method, url, body] of attempts) {
      const reply = await api(t, method, url, { token: alice.token, body });
      expect({ route: `${method} ${url}`, status: reply.status, code: reply.body?.error?.code }).toEqual({
        route: `${method} ${url}`,
        status: 403,
        code: 'forbidden',
      });
    }
    expect(await productRow(product.id)).toEqual(productBefore);
    expect(
      await t.ctx.db.selectFrom('merchants').selectAll().where('id', '=', DEMO.merchantId).executeTakeFirstOrThrow(),
    ).toEqual(merchantBefore);
    expect(await t.ctx.db.selectFrom('staff').select('id').where('username', '=', staffName).execute()).toEqual([]);
    expect(
      await t.ctx.db.selectFrom('categories').select('id').where('name', '=', 'Member category').execute(),
    ).toEqual([]);
  });

  it('a staff token gets 403 on member-only routes, and places no order', async () => {
    const ordersBefore = Number(
      (
        await t.ctx.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const stockBefore = await stockOf(product.id);
    const addressesBefore = Number(
      (
        await t.ctx.db
          .selectFrom('addresses')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const address = {
      receiverName: 'Staff',
      mobile: '18600000001',
      province: '北京市',
      city: '北京市',
      address: 'Somewhere 1',
    };
    for (const token of [admin, cashier, rival.admin]) {
      const attempts: [string, string, unknown?, Record<string, string>?][] = [
        ['GET', '/v1/cart'],
        ['POST', '/v1/cart/items', { productId: product.id, quantity: 1 }],
        ['PATCH', '/v1/cart/items/1', { quantity: 2 }],
        ['GET', '/v1/addresses'],
        ['POST', '/v1/addresses', address],
        ['GET', `/v1/addresses/${aliceAddressId}`],
        [
          'POST',
          '/v1/orders',
          { lines: [{ productId: product.id, quantity: 1 }] },
          { 'idempotency-key': newIdempotencyKey() },
        ],
        ['POST', '/v1/checkout/preview', { lines: [{ productId: product.id, quantity: 1 }] }],
        ['GET', '/v1/me'],
      ];
      for (const [method, url, body, headers] of attempts) {
        const reply = await api(t, method, url, { token, body, headers });
        expect({ route: `${method} ${url}`, status: reply.status, code: reply.body?.error?.code }).toEqual({
          route: `${method} ${url}`,
          status: 403,
          code: 'forbidden',
        });
      }
    }
    expect(
      Number(
        (
          await t.ctx.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(ordersBefore);
    expect(
      Number(
        (
          await t.ctx.db
            .selectFrom('addresses')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(addressesBefore);
    expect(await stockOf(product.id)).toEqual(stockBefore);
  });
});

describe('signed out, bad and dead tokens', () => {
  // Valid requests in every other respect, so only the credentials can be refused.
  const guarded = (): [string, string, unknown?][] => [
    ['GET', '/v1/orders'],
    ['GET', `/v1/orders/${aliceOrders[0]}`],
    ['POST', `/v1/orders/${aliceOrders[0]}/cancel`, { reason: 'who am I' }],
    ['POST', `/v1/orders/${aliceOrders[0]}/cancel`], // no body: the body is optional
    ['GET', '/v1/me'],
  ];

  async function expectUnauthorized(label: string, options: { token?: string; headers?: Record<string, string> }) {
    for (const [method, url, body] of guarded()) {
      const reply = await api(t, method, url, { ...options, body });
      expect({ label, route: `${method} ${url}`, status: reply.status, code: reply.body?.error?.code }).toEqual({
        label,
        route: `${method} ${url}`,
        status: 401,
        code: 'unauthorized',
      });
    }
  }

  async function expectLive(token: string) {
    const me = await api(t, 'GET', '/v1/me', { token });
    expect(me.status).toBe(200);
  }

  it('no token, a garbage token or a malformed header: 401', async () => {
    await expectUnauthorized('no token', {});
    await expectUnauthorized('garbage', { token: 'not-a-real-token' });
    await expectUnauthorized('garbage of token length', { token: 'A'.repeat(43) });
    await expectUnauthorized('bearer without token', { headers: { authorization: 'Bearer' } });
    await expectUnauthorized('other scheme, real token', { headers: { authorization: `Basic ${alice.token}` } });
    await expectUnauthorized('token without scheme', { headers: { authorization: alice.token } });
    await expectLive(alice.token); // the same member's real token, sent properly, works
  });

  it('an expired token: issued with no lifetime, or outlived on the clock', async () => {
    const dead = await issueToken(
      t.ctx.db,
      { kind: 'member', id: alice.memberId, merchantId: DEMO.merchantId },
      t.clock.now(),
      0,
    );
    await expectUnauthorized('ttl 0', { token: dead.token });

    const oneHour = await issueToken(
      t.ctx.db,
      { kind: 'member', id: alice.memberId, merchantId: DEMO.merchantId },
      t.clock.now(),
      1,
    );
    const staffLogin = await api(t, 'POST', '/v1/staff/login', { body: { username: 'admin', password: 'admin123' } });
    await expectLive(oneHour.token);
    expect((await api(t, 'GET', '/v1/orders', { token: staffLogin.body.token })).status).toBe(200);
    const started = t.clock.now();
    try {
      t.clock.advance(60 * 60_000); // expiry is exclusive: at expires_at the token is dead
      await expectUnauthorized('member token at its expiry', { token: oneHour.token });
      t.clock.advance(12 * 60 * 60_000);
      await expectUnauthorized('staff token past 12 h', { token: staffLogin.body.token });
    } finally {
      t.clock.set(started);
    }
  });

  it('a token revoked by logout (member and staff) and a disabled staff account: 401', async () => {
    const carol = await createMember(t);
    await expectLive(carol.token);
    expect((await api(t, 'POST', '/v1/auth/logout', { token: carol.token })).status).toBe(204);
    await expectUnauthorized('member after logout', { token: carol.token });
    expectError(await api(t, 'POST', '/v1/auth/logout', { token: carol.token }), 401, 'unauthorized');

    const staffLogin = await api(t, 'POST', '/v1/staff/login', {
      body: { username: 'cashier', password: 'cashier123' },
    });
    expect((await api(t, 'GET', '/v1/orders', { token: staffLogin.body.token })).status).toBe(200);
    expect((await api(t, 'POST', '/v1/staff/logout', { token: staffLogin.body.token })).status).toBe(204);
    await expectUnauthorized('staff after logout', { token: staffLogin.body.token });
    expect((await api(t, 'GET', '/v1/orders', { token: cashier })).status).toBe(200); // only that token died

    const username = `disabled${process.pid}${Math.random().toString(36).slice(2, 8)}`;
    const staff = await t.ctx.db
      .insertInto('staff')
      .values({
        merchant_id: DEMO.merchantId,
        username,
        password_hash: 'x',
        name: 'Gone',
        role: 'admin',
        last_login_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = await issueToken(
      t.ctx.db,
      { kind: 'staff', id: staff.id, merchantId: DEMO.merchantId },
      t.clock.now(),
      12,
    );
    expect((await api(t, 'GET', '/v1/orders', { token: token.token })).status).toBe(200);
    await t.ctx.db.updateTable('staff').set({ disabled: true }).where('id', '=', staff.id).execute();
    await expectUnauthorized('disabled staff', { token: token.token });
  });

  it('none of those attempts touched the order', async () => {
    const row = await orderRow(aliceOrders[0]!);
    expect(row.status).toBe('pending_payment');
    expect(row.cancelled_at).toBeNull();
    expect(await eventCount(aliceOrders[0]!)).toBe(1); // only "place"
  });
});

describe('this merchant’s admin (positive control: scoping is not too strict)', () => {
  it('reads any member’s order and filters the list by member', async () => {
    const [aliceNo] = aliceOrders as [string];
    const one = await api(t, 'GET', `/v1/orders/${aliceNo}`, { token: admin });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      orderNo: aliceNo,
      memberId: alice.memberId,
      merchantId: DEMO.merchantId,
      status: 'pending_payment',
    });

    const alices = await api(t, 'GET', `/v1/orders?memberId=${alice.memberId}`, { token: admin });
    expect(listed(alices).sort()).toEqual([...aliceOrders].sort());
    expect(alices.body.items.every((o: { memberId: number }) => o.memberId === alice.memberId)).toBe(true);
    expect(listed(await api(t, 'GET', `/v1/orders?memberId=${bob.memberId}`, { token: admin }))).toEqual([bobOrder]);
    expect(
      listed(await api(t, 'GET', `/v1/orders?memberId=${alice.memberId}&q=${bobOrder}`, { token: admin })),
    ).toEqual([]);
  });

  it('cancels a member’s order: status, stock and history change', async () => {
    const [aliceNo] = aliceOrders as [string];
    const before = await stockOf(product.id);
    const reply = await api(t, 'POST', `/v1/orders/${aliceNo}/cancel`, {
      token: admin,
      body: { reason: 'customer called' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('cancelled');
    expect((await orderRow(aliceNo)).status).toBe('cancelled');
    expect(await stockOf(product.id)).toEqual({ stock: before.stock + 2, reserved: before.reserved - 2 });
    const last = await t.ctx.db
      .selectFrom('order_events as e')
      .innerJoin('orders as o', 'o.id', 'e.order_id')
      .select(['e.actor_kind', 'e.action', 'e.note'])
      .where('o.order_no', '=', aliceNo)
      .orderBy('e.id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ actor_kind: 'staff', action: 'cancel', note: 'customer called' });

    // And the owner sees the cancellation too.
    expect((await api(t, 'GET', `/v1/orders/${aliceNo}`, { token: alice.token })).body.status).toBe('cancelled');
  });

  it('cancel without a body (documented as optional): 404 for another member, 200 for the owner', async () => {
    const no = aliceOrders[1]!;
    const before = await stockOf(product.id);
    const foreign = await api(t, 'POST', `/v1/orders/${no}/cancel`, { token: bob.token });
    expect
      .soft({ status: foreign.status, code: foreign.body?.error?.code })
      .toEqual({ status: 404, code: 'not_found' });
    expect((await orderRow(no)).status).toBe('pending_payment');

    const reply = await api(t, 'POST', `/v1/orders/${no}/cancel`, { token: alice.token });
    expect
      .soft({ status: reply.status, orderStatus: reply.body?.status ?? reply.body?.error })
      .toEqual({ status: 200, orderStatus: 'cancelled' });
    const cancelled = (await orderRow(no)).status === 'cancelled';
    expect(await stockOf(product.id)).toEqual(
      cancelled ? { stock: before.stock + 1, reserved: before.reserved - 1 } : before,
    );
  });

  it('the owner can cancel their own order (the same route Bob got 404 on)', async () => {
    const mine = await placeOrder(t, alice.token, { lines: [{ productId: product.id, quantity: 4 }] });
    expect(mine.status).toBe(201);
    const before = await stockOf(product.id);
    const reply = await api(t, 'POST', `/v1/orders/${mine.body.orderNo}/cancel`, {
      token: alice.token,
      body: { reason: 'changed my mind' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('cancelled');
    expect(await stockOf(product.id)).toEqual({ stock: before.stock + 4, reserved: before.reserved - 4 });
  });
});
