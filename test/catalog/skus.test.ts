import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, placeOrder, staffToken } from '../support/actors.ts';
import { api } from '../support/api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

interface Sku {
  id: number;
  specValueIds: number[];
  price: number;
  stock: number;
}

/** A shirt in 尺码 S/M × 颜色 白/黑 through the admin API; M/黑 costs more and has little stock. */
async function shirt(mBlackStock = 3) {
  const reply = await api(t, 'POST', '/v1/admin/products', {
    token: admin,
    body: {
      title: 'SKU shirt',
      categoryId: 100014,
      price: 5900,
      listPrice: 7900,
      specs: [
        { name: '尺码', values: [{ title: 'S' }, { title: 'M' }, { title: 'L' }] },
        { name: '颜色', values: [{ title: '白' }, { title: '黑', price: 500 }] },
      ],
      skus: [
        { values: ['S', '白'], stock: 10, code: 'S-WH' },
        { values: ['S', '黑'], stock: 10 },
        { values: ['M', '白'], stock: 10, imageUrl: '/media/demo/tshirt.svg' },
        { values: ['M', '黑'], stock: mBlackStock, price: 6900 },
        { values: ['L', '白'], stock: 0, price: 9900 },
      ],
    },
  });
  expect(reply.status).toBe(201);
  const body = reply.body as { id: number; stock: number; specs: { values: { id: number }[] }[]; skus: Sku[] };
  const [[s, m], [white, black]] = body.specs.map((g) => g.values.map((v) => v.id)) as [number[], number[]];
  const sku = (size: number, colour: number) =>
    body.skus.find((x) => x.specValueIds[0] === size && x.specValueIds[1] === colour)!;
  return { body, id: body.id, s: s!, m: m!, white: white!, black: black!, sku };
}

const stockOf = async (table: 'products' | 'product_skus', id: number) =>
  t.ctx.db.selectFrom(table).select(['stock', 'reserved', 'sold']).where('id', '=', id).executeTakeFirstOrThrow();

describe('products with spec groups and one SKU per combination', () => {
  it('creates specs and SKUs through /v1 and shows them, each SKU with its own price, stock, image and code', async () => {
    const p = await shirt();
    expect(p.body.stock).toBe(33); // the SKUs' total when no stock is given
    const shown = await api(t, 'GET', `/v1/products/${p.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.specs).toEqual([
      {
        id: expect.any(Number),
        name: '尺码',
        values: [
          { id: p.s, title: 'S', price: 0 },
          { id: p.m, title: 'M', price: 0 },
          { id: expect.any(Number), title: 'L', price: 0 },
        ],
      },
      {
        id: expect.any(Number),
        name: '颜色',
        values: [
          { id: p.white, title: '白', price: 0 },
          { id: p.black, title: '黑', price: 500 },
        ],
      },
    ]);
    expect(shown.body.skus).toEqual([
      {
        id: expect.any(Number),
        specValueIds: [p.s, p.white],
        code: 'S-WH',
        imageUrl: '',
        price: 5900,
        listPrice: 7900,
        stock: 10,
        sold: 0,
      },
      // no price given: the product's price plus the 黑 add-on
      expect.objectContaining({ specValueIds: [p.s, p.black], price: 6400, listPrice: 8400, stock: 10 }),
      expect.objectContaining({ specValueIds: [p.m, p.white], imageUrl: '/media/demo/tshirt.svg', price: 5900 }),
      expect.objectContaining({ specValueIds: [p.m, p.black], price: 6900, listPrice: 8400, stock: 3 }),
      // priced above the product's list price: the list price is never below the price
      expect.objectContaining({ price: 9900, listPrice: 9900, stock: 0 }),
    ]);
  });

  it('orders a SKU by its id or by its values, at its price, reserving its stock and the product’s', async () => {
    const p = await shirt();
    const mBlack = p.sku(p.m, p.black);
    const buyer = await createMember(t);
    const byId = await placeOrder(t, buyer.token, { lines: [{ productId: p.id, skuId: mBlack.id, quantity: 1 }] });
    expect(byId.status).toBe(201);
    expect(byId.body.lines[0]).toMatchObject({
      unitPrice: 6900,
      spec: 'M,黑',
      options: [
        { id: p.m, group: '尺码', title: 'M', price: 0 },
        { id: p.black, group: '颜色', title: '黑', price: 500 },
      ],
    });
    // values in any order name the same SKU
    const byValues = await placeOrder(t, buyer.token, {
      lines: [{ productId: p.id, optionIds: [p.black, p.m], quantity: 2 }],
    });
    expect(byValues.status).toBe(201);
    expect(byValues.body.goodsAmount).toBe(2 * 6900);
    expect(await stockOf('product_skus', mBlack.id)).toEqual({ stock: 0, reserved: 3, sold: 0 });
    expect(await stockOf('products', p.id)).toEqual({ stock: 30, reserved: 3, sold: 0 });

    // the SKU is sold out although the product and the other SKUs have stock
    const short = await placeOrder(t, buyer.token, { lines: [{ productId: p.id, skuId: mBlack.id, quantity: 1 }] });
    expect(short.status).toBe(409);
    expect(short.body.error).toMatchObject({ code: 'out_of_stock', details: { skuId: mBlack.id } });

    // cancelling gives the stock back to the SKU it was taken from
    const cancelled = await api(t, 'POST', `/v1/orders/${byValues.body.orderNo}/cancel`, { token: buyer.token });
    expect(cancelled.status).toBe(200);
    expect(await stockOf('product_skus', mBlack.id)).toEqual({ stock: 2, reserved: 1, sold: 0 });
    expect(await stockOf('products', p.id)).toEqual({ stock: 32, reserved: 1, sold: 0 });
  });

  it('puts a SKU into the cart and orders it from there', async () => {
    const p = await shirt();
    const sWhite = p.sku(p.s, p.white);
    const buyer = await createMember(t);
    const cart = await api(t, 'POST', '/v1/cart/items', {
      token: buyer.token,
      body: { productId: p.id, skuId: sWhite.id, quantity: 2 },
    });
    expect(cart.status).toBe(201);
    expect(cart.body.items[0]).toMatchObject({ skuId: sWhite.id, optionIds: [p.s, p.white], unitPrice: 5900 });
    const again = await api(t, 'POST', '/v1/cart/items', {
      token: buyer.token,
      body: { productId: p.id, optionIds: [p.white, p.s], quantity: 1 },
    });
    expect(again.body.items).toHaveLength(1);
    expect(again.body.items[0].quantity).toBe(3);
    const placed = await placeOrder(t, buyer.token, {});
    expect(placed.status).toBe(201);
    expect(await stockOf('product_skus', sWhite.id)).toEqual({ stock: 7, reserved: 3, sold: 0 });
  });

  it('refuses a choice that is not a SKU of the product with a 400, changing nothing', async () => {
    const p = await shirt();
    const other = await shirt();
    const buyer = await createMember(t);
    const refusals = [
      [{ productId: p.id, optionIds: [p.s], quantity: 1 }, 'no SKU of the product has these spec values'],
      [{ productId: p.id, optionIds: [p.s, p.m], quantity: 1 }, 'no SKU of the product has these spec values'],
      [{ productId: p.id, skuId: other.sku(other.s, other.white).id, quantity: 1 }, 'the SKU does not belong'],
      [{ productId: p.id, optionIds: [other.s, other.white], quantity: 1 }, 'the option does not belong'],
      [
        { productId: p.id, skuId: p.sku(p.s, p.white).id, optionIds: [p.m, p.white], quantity: 1 },
        'the spec values are not those of the SKU',
      ],
    ] as const;
    for (const [line, message] of refusals) {
      const reply = await placeOrder(t, buyer.token, { lines: [line] });
      expect(reply.status, JSON.stringify(line)).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
      expect(reply.body.error.message).toContain(message);
    }
    expect(await stockOf('products', p.id)).toEqual({ stock: 33, reserved: 0, sold: 0 });
  });

  it('refuses specs and SKUs that do not fit together with a 400, creating nothing', async () => {
    const before = await t.ctx.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute();
    const bodies = [
      { specs: [{ name: '尺码', values: [{ title: 'S' }] }] },
      { specs: [{ name: '尺码', values: [{ title: 'S' }] }], skus: [{ values: ['XL'], stock: 1 }] },
      { specs: [{ name: '尺码', values: [{ title: 'S' }] }], skus: [{ values: ['S', '白'], stock: 1 }] },
      {
        specs: [{ name: '尺码', values: [{ title: 'S' }] }],
        skus: [
          { values: ['S'], stock: 1 },
          { values: ['S'], stock: 2 },
        ],
      },
      { specs: [{ name: '尺码', values: [{ title: 'S' }, { title: 'S' }] }], skus: [{ values: ['S'], stock: 1 }] },
      { skus: [{ values: ['S'], stock: 1 }] },
      { stock: undefined },
      // options in 25 groups of two would make 2^25 combinations: refused before any is built
      {
        stock: 1,
        options: Array.from({ length: 50 }, (_, i) => ({ group: `g${i % 25}`, title: `v${i}`, stock: 1 })),
      },
    ];
    for (const body of bodies) {
      const reply = await api(t, 'POST', '/v1/admin/products', {
        token: admin,
        body: { title: 'bad', price: 100, ...body },
      });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
    }
    const after = await t.ctx.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute();
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
  });

  it('a SKU stock adjustment moves the product’s stock with it, never below zero', async () => {
    const p = await shirt();
    const sku = p.sku(p.m, p.black);
    const url = `/v1/admin/products/${p.id}/stock-adjustments`;
    const added = await api(t, 'POST', url, { token: admin, body: { skuId: sku.id, delta: 5 } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ stock: 8 });
    expect((await stockOf('products', p.id)).stock).toBe(38);
    const tooMany = await api(t, 'POST', url, { token: admin, body: { skuId: sku.id, delta: -9 } });
    expect(tooMany.status).toBe(409);
    expect((await stockOf('product_skus', sku.id)).stock).toBe(8);
    expect((await stockOf('products', p.id)).stock).toBe(38);
  });

  it('sells exactly a SKU’s stock to buyers at once: 5 units, 20 buyers → 5 orders, the rest out_of_stock', async () => {
    const p = await shirt(5);
    const sku = p.sku(p.m, p.black);
    const buyers = await Promise.all(Array.from({ length: 20 }, () => createMember(t)));
    const replies = await Promise.all(
      buyers.map((b) => placeOrder(t, b.token, { lines: [{ productId: p.id, skuId: sku.id, quantity: 1 }] })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of replies.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'out_of_stock', details: { skuId: sku.id } });
    }
    expect(await stockOf('product_skus', sku.id)).toEqual({ stock: 0, reserved: 5, sold: 0 });
    expect(await stockOf('products', p.id)).toEqual({ stock: 30, reserved: 5, sold: 0 });
  });

  it('the demo has a T-shirt in S/M/L × 白/黑, each SKU with stock', async () => {
    const tee = await api(t, 'GET', '/v1/products/10006');
    expect(tee.status).toBe(200);
    expect(
      tee.body.specs.map((g: { name: string; values: { title: string }[] }) => [g.name, g.values.map((v) => v.title)]),
    ).toEqual([
      ['尺码', ['S', 'M', 'L']],
      ['颜色', ['白', '黑']],
    ]);
    expect(tee.body.skus).toHaveLength(6);
    for (const sku of tee.body.skus as Sku[]) expect(sku.stock).toBe(50);
  });
});
