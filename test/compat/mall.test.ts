import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fenToYuanNumber } from '../../src/domain/money.ts';
import { api } from '../support/api.ts';
import { createProduct, staffToken } from '../support/actors.ts';
import { orderRow } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The mall storefront's flow (seed 000) end to end over HTTP with the session cookie, as the Vue client
 * drives it: log in, cart, address, order, pay with the WeChat QR, poll until status 20, the order list.
 */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

interface MallOptions {
  body?: unknown;
  session?: string;
  /** a raw payload with this content type */
  raw?: { payload: string; contentType: string };
}

async function mall(method: string, path: string, options: MallOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.session) headers.cookie = `MALL_SESSION=${options.session}`;
  if (options.raw) headers['content-type'] = options.raw.contentType;
  const response = await t.app.inject({
    method: method as 'GET',
    url: `/mall${path}`,
    headers,
    ...(options.raw
      ? { payload: options.raw.payload }
      : options.body === undefined
        ? {}
        : { payload: options.body as object }),
  });
  return { http: response.statusCode, body: response.json(), cookies: response.cookies };
}

let counter = 0;
async function newBuyer(): Promise<{ session: string; username: string }> {
  const username = `mall_${process.pid}_${++counter}`;
  const registered = await mall('POST', '/user/register', {
    body: { username, password: 'secret123', email: `${username}@example.com`, phone: '' },
  });
  expect(registered.body).toEqual({ status: 0, msg: expect.any(String) });
  const login = await mall('POST', '/user/login', { body: { username, password: 'secret123' } });
  expect(login.body.status).toBe(0);
  const cookie = login.cookies.find((c) => c.name === 'MALL_SESSION')!;
  return { session: cookie.value, username };
}

const ADDRESS = {
  receiverName: '张三',
  receiverMobile: '13800001111',
  receiverProvince: '北京',
  receiverCity: '北京',
  receiverDistrict: '昌平区',
  receiverAddress: '回龙观 1 号',
  receiverZip: '102200',
};

async function addressOf(session: string): Promise<number> {
  const created = await mall('POST', '/shippings', { session, body: ADDRESS });
  expect(created.body.status).toBe(0);
  return created.body.data.shippingId;
}

/** One unpaid order of one product in the buyer's cart. */
async function unpaidOrder(session: string, price = 12_345) {
  const product = await createProduct(t, admin, { price, stock: 50 });
  expect((await mall('POST', '/carts', { session, body: { productId: product.id, selected: true } })).body.status).toBe(
    0,
  );
  const placed = await mall('POST', '/orders', { session, body: { shippingId: await addressOf(session) } });
  expect(placed.body.status).toBe(0);
  return placed.body.data as { orderNo: number; payment: number };
}

describe('the mall storefront flow', () => {
  it('login → cart → address → order → WeChat QR → the buyer pays → status 20 → the order list', async () => {
    // log in: an HttpOnly session cookie and mmall's user
    const username = `mall_flow_${process.pid}`;
    await mall('POST', '/user/register', {
      body: { username, password: 'secret123', email: 'a@b.c', phone: '13900001234' },
    });
    const login = await mall('POST', '/user/login', { body: { username, password: 'secret123' } });
    expect(login.http).toBe(200);
    expect(login.body).toEqual({
      status: 0,
      data: {
        id: expect.any(Number),
        username,
        email: 'a@b.c',
        phone: '13900001234',
        role: 0,
        createTime: expect.any(Number),
        updateTime: expect.any(Number),
      },
    });
    const cookie = login.cookies.find((c) => c.name === 'MALL_SESSION')!;
    expect(cookie).toMatchObject({ httpOnly: true, path: '/', sameSite: 'Lax' });
    const session = cookie.value;
    expect((await mall('GET', '/user', { session })).body.data).toMatchObject({ username, id: login.body.data.id });
    expect((await mall('GET', '/carts/products/sum', { session })).body).toEqual({ status: 0, data: 0 });

    // browse: the client's default category, also as the NavHeader's `params={"categoryId":"100012"}`
    const phones = await mall('GET', '/products?categoryId=100012&pageSize=8', { session });
    expect(phones.body.status).toBe(0);
    expect(phones.body.data).toMatchObject({
      pageNum: 1,
      pageSize: 8,
      total: expect.any(Number),
      pages: expect.any(Number),
      list: expect.any(Array),
    });
    const demoPhone = phones.body.data.list[0];
    expect(Object.keys(demoPhone).sort()).toEqual([
      'categoryId',
      'id',
      'imageHost',
      'mainImage',
      'name',
      'price',
      'status',
      'subtitle',
    ]);
    expect(demoPhone).toMatchObject({ categoryId: 100012, status: 1, imageHost: '' });
    const picture = await t.app.inject({
      method: 'GET',
      url: (demoPhone.imageHost + demoPhone.mainImage).replace('http://ordo.test', ''),
    });
    expect(demoPhone.mainImage).toMatch(/^http:\/\/ordo\.test\/media\//);
    expect(picture.statusCode).toBe(200);
    const canonical = await api(t, 'GET', `/v1/products/${demoPhone.id}`);
    expect(demoPhone.price).toBe(fenToYuanNumber(canonical.body.price));
    const buggy = await mall('GET', `/products?params=${encodeURIComponent(JSON.stringify({ categoryId: '100012' }))}`);
    expect(buggy.body.data.list.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([demoPhone.id]));
    expect(buggy.body.data.list.every((p: { categoryId: number }) => p.categoryId === 100012)).toBe(true);
    const detail = await mall('GET', `/products/${demoPhone.id}`);
    expect(detail.body.data).toMatchObject({
      id: demoPhone.id,
      price: demoPhone.price,
      stock: expect.any(Number),
      subImages: expect.any(String),
      detail: expect.any(String),
      imageHost: '',
    });

    // cart: 0.30 yuan × 3 must be exactly 0.9, never 0.8999999999999999
    const cheap = await createProduct(t, admin, { title: '小米贴纸', price: 30, stock: 100 });
    const pricey = await createProduct(t, admin, { title: '小米手环', price: 19_999, stock: 100 });
    const added = await mall('POST', '/carts', { session, body: { productId: cheap.id, selected: true } });
    expect(added.body.data.cartTotalQuantity).toBe(1);
    await mall('POST', '/carts', { session, body: { productId: pricey.id, selected: true } });
    const three = await mall('PUT', `/carts/${cheap.id}`, { session, body: { quantity: 3, selected: true } });
    expect(
      three.body.data.cartProductVoList.find((l: { productId: number }) => l.productId === cheap.id),
    ).toMatchObject({
      quantity: 3,
      productName: '小米贴纸',
      productPrice: 0.3,
      productTotalPrice: 0.9,
      productSelected: true,
      productStatus: 1,
      productStock: 100,
      limitQuantity: 'LIMIT_NUM_SUCCESS',
      userId: expect.any(Number),
      id: expect.any(Number),
    });
    expect(three.body.data).toMatchObject({
      selectedAll: true,
      cartTotalPrice: 200.89,
      cartTotalQuantity: 4,
      imageHost: '',
    });
    const none = await mall('PUT', '/carts/unSelectAll', { session });
    expect(none.body.data).toMatchObject({ selectedAll: false, cartTotalPrice: 0, cartTotalQuantity: 4 });
    const all = await mall('PUT', '/carts/selectAll', { session });
    expect(all.body.data).toMatchObject({ selectedAll: true, cartTotalPrice: 200.89 });
    // an extra line, then removed again
    const extra = await createProduct(t, admin, { price: 500, stock: 5 });
    await mall('POST', '/carts', { session, body: { productId: extra.id, selected: false } });
    expect((await mall('GET', '/carts/products/sum', { session })).body.data).toBe(5);
    const removed = await mall('DELETE', `/carts/${extra.id}`, { session });
    expect(removed.body.data.cartProductVoList.map((l: { productId: number }) => l.productId)).toEqual([
      cheap.id,
      pricey.id,
    ]);
    const cart = await mall('GET', '/carts', { session });
    expect(cart.body.data.cartTotalPrice).toBe(200.89);

    // addresses
    const shippingId = await addressOf(session);
    const other = await addressOf(session);
    const edited = await mall('PUT', `/shippings/${other}`, { session, body: { ...ADDRESS, receiverName: '李四' } });
    expect(edited.body.status).toBe(0);
    const book = await mall('GET', '/shippings?pageNum=1&pageSize=10', { session });
    expect(book.body.data.total).toBe(2);
    expect(book.body.data.list.map((s: { id: number; receiverName: string }) => [s.id, s.receiverName])).toEqual([
      [shippingId, '张三'],
      [other, '李四'],
    ]);
    expect(book.body.data.list[0]).toMatchObject({
      receiverMobile: ADDRESS.receiverMobile,
      receiverProvince: '北京',
      receiverCity: '北京',
      receiverDistrict: '昌平区',
      receiverAddress: '回龙观 1 号',
      receiverZip: '102200',
    });
    expect((await mall('DELETE', `/shippings/${other}`, { session })).body.status).toBe(0);
    expect((await mall('GET', '/shippings', { session })).body.data.list).toHaveLength(1);

    // order the selected cart lines
    const placed = await mall('POST', '/orders', { session, body: { shippingId } });
    expect(placed.http).toBe(200);
    expect(placed.body.status).toBe(0);
    const order = placed.body.data;
    expect(typeof order.orderNo).toBe('number');
    expect(String(order.orderNo)).toMatch(/^\d{16}$/);
    const row = await orderRow(t, String(order.orderNo));
    // goods 200.89 + postage 0 (free from 99 yuan)
    expect(order).toMatchObject({
      status: 10,
      statusDesc: '未支付',
      payment: fenToYuanNumber(row.payable_amount),
      postage: fenToYuanNumber(row.shipping_fee),
      shippingId,
    });
    expect(order.payment).toBe(200.89);
    expect(order.orderItemVoList.map((l: any) => [l.productId, l.currentUnitPrice, l.quantity, l.totalPrice])).toEqual([
      [cheap.id, 0.3, 3, 0.9],
      [pricey.id, 199.99, 1, 199.99],
    ]);
    expect(order.shippingVo).toMatchObject({ receiverName: '张三', receiverMobile: ADDRESS.receiverMobile });
    expect((await mall('GET', '/carts/products/sum', { session })).body.data).toBe(0);
    // a doubled submit does not place a second order: the cart is empty now
    expect((await mall('POST', '/orders', { session, body: { shippingId } })).body.status).toBe(1);

    // pay with WeChat: the QR content, as the client shows it
    const pay = await mall('POST', '/pay', {
      session,
      body: { orderId: String(order.orderNo), orderName: 'Vue高仿小米商城', amount: 0.01, payType: 2 },
    });
    expect(pay.body.status).toBe(0);
    expect(pay.body.data.content).toMatch(/^weixin:\/\/wxpay\/bizpayurl/);
    const payment = await t.ctx.db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(payment.amount).toBe(row.payable_amount); // the client's `amount: 0.01` is not what is charged
    expect((await mall('GET', `/orders/${order.orderNo}`, { session })).body.data.status).toBe(10);

    // the buyer pays at the sandbox; the client's 1 s poll sees 20
    expect((await api(t, 'POST', '/sandbox/pay', { body: { content: pay.body.data.content } })).status).toBe(200);
    await t.sandbox.simulator.settle();
    const polled = await mall('GET', `/orders/${order.orderNo}`, { session });
    expect(polled.body.data).toMatchObject({ status: 20, statusDesc: '已付款', payment: 200.89 });
    expect(polled.body.data.paymentTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    // the order list
    const list = await mall('GET', '/orders?pageNum=1', { session });
    expect(list.body.status).toBe(0);
    expect(list.body.data.total).toBe(1);
    expect(list.body.data.list).toEqual([
      expect.objectContaining({
        orderNo: order.orderNo,
        statusDesc: '已付款',
        status: 20,
        paymentTypeDesc: '在线支付',
        receiverName: '张三',
        payment: 200.89,
      }),
    ]);

    // paying again is refused in the envelope
    const again = await mall('POST', '/pay', { session, body: { orderId: String(order.orderNo), payType: 2 } });
    expect(again).toMatchObject({ http: 200, body: { status: 1, msg: expect.any(String) } });

    // log out: the session is gone
    const out = await mall('POST', '/user/logout', { session });
    expect(out.body.status).toBe(0);
    expect((await mall('GET', '/user', { session })).body.status).toBe(10);
  });

  it('Alipay (payType 1) answers an auto-submitting form the client renders with v-html', async () => {
    const { session } = await newBuyer();
    const order = await unpaidOrder(session, 9_999);
    const pay = await mall('POST', '/pay', {
      session,
      body: { orderId: String(order.orderNo), orderName: 'Vue高仿小米商城', amount: 0.01, payType: 1 },
    });
    expect(pay.body.status).toBe(0);
    expect(pay.body.data.content).toMatch(/<form[^>]*method="POST"/);
    expect(pay.body.data.content).toContain('.submit()');
    expect(pay.body.data.content).toContain('alipay.trade.page.pay');
  });

  it('a doubled "去结算" click places one order: both answers name it, or the second finds the cart empty', async () => {
    const { session } = await newBuyer();
    const product = await createProduct(t, admin, { price: 2_000, stock: 10 });
    await mall('POST', '/carts', { session, body: { productId: product.id, selected: true } });
    const shippingId = await addressOf(session);
    const replies = await Promise.all([1, 2].map(() => mall('POST', '/orders', { session, body: { shippingId } })));
    const placed = replies.filter((r) => r.body.status === 0).map((r) => r.body.data.orderNo);
    expect(placed.length).toBeGreaterThanOrEqual(1);
    expect(new Set(placed).size).toBe(1);
    for (const r of replies) expect(r.http).toBe(200);
    expect((await mall('GET', '/orders', { session })).body.data.total).toBe(1);
    const stock = await t.ctx.db
      .selectFrom('products')
      .select(['stock', 'reserved'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(stock.reserved).toBe(1);
  });

  it('PUT /orders/{orderNo} cancels an unpaid order: status 0', async () => {
    const { session } = await newBuyer();
    const order = await unpaidOrder(session);
    const cancelled = await mall('PUT', `/orders/${order.orderNo}`, { session });
    expect(cancelled.body).toMatchObject({
      status: 0,
      data: { orderNo: order.orderNo, status: 0, statusDesc: '已取消' },
    });
    expect(cancelled.body.data.closeTime).toMatch(/^\d{4}-/);
    expect((await mall('GET', `/orders/${order.orderNo}`, { session })).body.data.status).toBe(0);
    expect((await orderRow(t, String(order.orderNo))).status).toBe('cancelled');
    // a cancelled order cannot be paid
    expect(
      (await mall('POST', '/pay', { session, body: { orderId: String(order.orderNo), payType: 2 } })).body.status,
    ).toBe(1);
  });

  it('not logged in: status 10 on every member route, before any input is looked at', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/user'],
      ['GET', '/carts'],
      ['POST', '/carts', { productId: 1, selected: true }],
      ['POST', '/carts', { productId: 'not a number' }],
      ['PUT', '/carts/1', { quantity: 2, selected: true }],
      ['DELETE', '/carts/1'],
      ['PUT', '/carts/selectAll'],
      ['PUT', '/carts/unSelectAll'],
      ['GET', '/carts/products/sum'],
      ['GET', '/shippings'],
      ['POST', '/shippings', ADDRESS],
      ['PUT', '/shippings/1', ADDRESS],
      ['DELETE', '/shippings/1'],
      ['POST', '/orders', { shippingId: 1 }],
      ['GET', '/orders?pageNum=1'],
      ['GET', '/orders/2024010100000001'],
      ['PUT', '/orders/2024010100000001'],
      ['POST', '/pay', { orderId: '2024010100000001', payType: 2 }],
    ];
    for (const [method, path, body] of routes) {
      for (const session of [undefined, 'not-a-live-token']) {
        const reply = await mall(method, path, { body, session });
        expect({ method, path, http: reply.http, body: reply.body }).toEqual({
          method,
          path,
          http: 200,
          body: { status: 10, msg: expect.any(String) },
        });
      }
    }
    // public routes work without a session
    expect((await mall('GET', '/products')).body.status).toBe(0);
  });

  it('stays out of the canonical OpenAPI document; an unknown mall path is a 404 in the mall envelope', async () => {
    const doc = await api(t, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/mall'))).toEqual([]);
    const unknown = await mall('GET', '/no/such/route');
    expect(unknown).toMatchObject({ http: 404, body: { status: 1, msg: expect.any(String) } });
  });

  it('bad input answers the mall envelope with status 1 or 2, never a 500, and changes nothing', async () => {
    const { session } = await newBuyer();
    const stranger = await newBuyer();
    const order = await unpaidOrder(session);
    const expectStatus = async (status: number, method: string, path: string, options: MallOptions = {}) => {
      const reply = await mall(method, path, { session, ...options });
      expect({ path, http: reply.http, body: reply.body }).toEqual({
        path,
        http: 200,
        body: { status, msg: expect.any(String) },
      });
    };

    // wrong types and malformed bodies: illegal argument
    await expectStatus(2, 'POST', '/carts', { body: { productId: 'abc', selected: true } });
    await expectStatus(2, 'POST', '/carts', { body: { productId: 1, selected: 'yes' } });
    await expectStatus(2, 'PUT', '/carts/1', { body: { quantity: 0 } });
    await expectStatus(2, 'PUT', '/carts/abc', { body: { quantity: 1 } });
    await expectStatus(2, 'POST', '/orders', { body: { shippingId: '1e3' } });
    await expectStatus(2, 'POST', '/orders', { raw: { payload: '{"shippingId": 1', contentType: 'application/json' } });
    await expectStatus(2, 'POST', '/pay', { body: { orderId: String(order.orderNo), payType: 3 } });
    await expectStatus(2, 'POST', '/pay', { body: { orderId: 'abc', payType: 2 } });
    await expectStatus(2, 'GET', '/orders?pageNum=0');
    await expectStatus(2, 'GET', '/orders/not-a-number');
    await expectStatus(2, 'GET', '/products?categoryId=abc');
    await expectStatus(2, 'GET', '/products?params=%7Bbroken');
    await expectStatus(2, 'POST', '/user/login', { body: { username: 'x' } });
    // addresses: an 11-digit mobile and a 6-digit zip
    await expectStatus(2, 'POST', '/shippings', { body: { ...ADDRESS, receiverMobile: '1380000' } });
    await expectStatus(2, 'POST', '/shippings', { body: { ...ADDRESS, receiverMobile: '1380000111a' } });
    await expectStatus(2, 'POST', '/shippings', { body: { ...ADDRESS, receiverZip: '12345' } });
    await expectStatus(2, 'PUT', '/shippings/1', { body: { receiverZip: '1234567' } });
    await expectStatus(2, 'POST', '/shippings', { body: { receiverName: '张三' } });

    // things that do not exist or are not yours: an error with a message
    await expectStatus(1, 'POST', '/orders', { body: { shippingId: 999_999_999 } });
    await expectStatus(1, 'GET', '/orders/2000010100000001');
    await expectStatus(1, 'POST', '/carts', { body: { productId: 999_999_999, selected: true } });
    await expectStatus(1, 'PUT', '/carts/999999999', { body: { quantity: 2 } });
    await expectStatus(1, 'DELETE', '/shippings/999999999');
    await expectStatus(1, 'GET', '/products/999999999');
    await expectStatus(1, 'POST', '/user/login', {
      session: undefined,
      body: { username: 'nobody-here', password: 'wrong-password' },
    });
    await expectStatus(1, 'POST', '/user/register', { body: { username: stranger.username, password: 'secret123' } });
    // another member's order and address
    await expectStatus(1, 'GET', `/orders/${order.orderNo}`, { session: stranger.session });
    await expectStatus(1, 'PUT', `/orders/${order.orderNo}`, { session: stranger.session });
    await expectStatus(1, 'POST', '/pay', {
      session: stranger.session,
      body: { orderId: String(order.orderNo), payType: 2 },
    });
    const mine = (await mall('GET', '/shippings', { session })).body.data.list[0].id;
    await expectStatus(1, 'PUT', `/shippings/${mine}`, { session: stranger.session, body: { receiverName: '王五' } });
    await expectStatus(1, 'POST', '/orders', { session: stranger.session, body: { shippingId: mine } });

    // nothing changed
    expect((await mall('GET', `/orders/${order.orderNo}`, { session })).body.data.status).toBe(10);
    expect((await mall('GET', '/shippings', { session })).body.data.list[0].receiverName).toBe('张三');
    expect((await mall('GET', '/orders', { session: stranger.session })).body.data.total).toBe(0);
    expect(
      await t.ctx.db
        .selectFrom('payments')
        .select('id')
        .where('order_id', '=', (await orderRow(t, String(order.orderNo))).id)
        .execute(),
    ).toHaveLength(0);
  });
});
