import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STOREFRONT,
  storefrontStatus,
  toStorefrontOrder,
  type StorefrontFacts,
} from '../../src/compat/storefront/mapping.ts';
import { closeExpiredOrders } from '../../src/flows/expire-orders.ts';
import { getOrder } from '../../src/orders/get-order.ts';
import { api } from '../support/api.ts';
import { createMember, placeOrder, staffToken } from '../support/actors.ts';
import { paidOrder, ship } from '../support/after-sales.ts';
import { buyerPays, multipartBody, PNG_1X1, startPayment } from '../support/payments.ts';
import { shape } from '../support/json-shape.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// Seed 003 as its authors wrote it, with its two slips repaired: a missing comma after the store's address and a
// doubled comma after product_all_price.
const SEED_DIR = join(import.meta.dirname, '..', 'fixtures', 'seeds');
const seedText = readFileSync(
  join(
    SEED_DIR,
    readdirSync(SEED_DIR).find((f) => f.startsWith('003_'))!,
  ),
  'utf8',
);
const between = (from: string, to: string) =>
  seedText.slice(seedText.indexOf(from) + from.length, seedText.indexOf(to));
const repairedSample = between('正确时返回:', '错误时返回:')
  .replace('深圳北站站""lng"', '深圳北站站","lng"')
  .replace('839,,', '839,');
const SAMPLE = JSON.parse(repairedSample);
const SAMPLE_ERROR = JSON.parse(between('错误时返回:', '返回参数说明:'));

/** `yyyy-MM-dd HH:mm:ss` in Shanghai (UTC+8, no daylight saving), computed independently of the dialect. */
const shanghai = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  // The seed's order pays 10 yuan shipping on 839 yuan of goods: the demo store charges 10 yuan, so lift its
  // free-shipping threshold to reproduce it.
  const store = await api(t, 'PATCH', '/v1/admin/stores/10001', { token: admin, body: { freeShippingOver: null } });
  expect(store.status).toBe(200);
});
afterAll(() => t.close());

const detail = (token: string | null, query: string) =>
  api(t, 'GET', `/storefront/api/order/detail?${query}`, { headers: token === null ? {} : { token } });

async function addressOf(token: string) {
  const reply = await api(t, 'POST', '/v1/addresses', {
    token,
    body: {
      receiverName: 'kevin',
      mobile: '13113690001',
      province: '广东省',
      city: '深圳市',
      district: '龙岗区',
      districtCode: '440307',
      address: '爱联123号',
    },
  });
  expect(reply.status).toBe(201);
  return reply.body.id as number;
}

/** The guitar (10003) with both options, ordered by a member through /v1. */
async function guitarOrder(token: string, client: string, extra: Record<string, unknown> = {}) {
  const placed = await placeOrder(t, token, {
    lines: [{ productId: 10003, optionIds: [1, 2], quantity: 1 }],
    addressId: await addressOf(token),
    client,
    ...extra,
  });
  expect(placed.status).toBe(201);
  return placed.body as { id: number; orderNo: string; createdAt: string; expiresAt: string };
}

describe('storefront order detail (seed 003)', () => {
  it('answers the seed situation — the guitar with 普通款+加厚款, a remark, a WeChat mini-program payment started, unpaid — in the seed sample shape', async () => {
    const guitar = await api(t, 'GET', '/v1/products/10003');
    expect(guitar.body).toMatchObject({
      title: '雅马哈(YAMAHA)F310NT 原声款 云杉木初学者入门',
      price: 79_900,
      categoryId: 100013,
    });
    expect(
      guitar.body.options.map((o: { id: number; title: string; price: number }) => [o.id, o.title, o.price]),
    ).toEqual([
      [1, '普通款', 1000],
      [2, '加厚款', 3000],
    ]);

    const buyer = await createMember(t);
    const order = await guitarOrder(buyer.token, 'MP-WEIXIN', { buyerRemark: '已收藏,送小礼品' });
    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'mini',
      client: 'MP-WEIXIN',
      openId: 'o-storefront-test',
    });
    expect(started.status).toBe(200);

    const reply = await detail(buyer.token, `order_id=${order.id}&lng=114.0499&lat=22.6162`);
    expect(reply.status).toBe(200);
    const body = reply.body;

    // The same keys at every level with the same JSON types as the seed's sample. The sample omits `status`,
    // which the seed's field table lists (0–8); ordo sends it, as a number like every code in the sample.
    const expected = shape(SAMPLE) as { data: Record<string, unknown> };
    expected.data = Object.fromEntries(
      Object.entries({ ...expected.data, status: 'number' }).sort(([a], [b]) => a.localeCompare(b)),
    );
    expect(shape(body)).toEqual(expected);

    const stock = await t.ctx.db
      .selectFrom('products')
      .select('stock')
      .where('id', '=', 10003)
      .executeTakeFirstOrThrow();
    // the guitar's one SKU is 普通款 + 加厚款: each option's stock is that SKU's
    const skuStock = await t.ctx.db
      .selectFrom('product_skus')
      .select('stock')
      .where('product_id', '=', 10003)
      .executeTakeFirstOrThrow();
    const optionStock = [skuStock, skuStock];
    expect(body).toEqual({
      status: 200,
      msg: 'ok',
      data: {
        order_id: order.id,
        order_num: order.orderNo,
        uid: buyer.memberId,
        store_id: 10001,
        mobile: '13113690001',
        username: 'kevin',
        address: '广东省 深圳市 龙岗区 爱联123号',
        pay_method: 'WeChat',
        pay_type: 'small',
        pay_status: 0,
        send_status: 0,
        received_status: 0,
        evaluate_status: 0,
        remark: '已收藏,送小礼品',
        paid_at: '',
        expire_at: shanghai(order.expiresAt),
        close_at: '',
        pay_order_amount: 849,
        total_amount: 849,
        refund_status: 0,
        refund_order_num: '',
        created_at: shanghai(order.createdAt),
        status_msg: '待支付',
        status: 0,
        shipping_fee: 10,
        goods_json: {
          store: {
            id: 10001,
            store_name: '5号乐馆-深圳北站店',
            logo: `${t.ctx.config.publicUrl}/media/demo/store-logo.svg`,
            mobile: '0755-88886666',
            address: '广东省深圳市龙岗区深圳北站站前广场 1 号',
            lng: '114.035734',
            lat: '22.616197',
            distance: '1.45km',
          },
          store_id: 10001,
          product_list: [
            {
              number: 1,
              cart_id: expect.any(Number),
              product: {
                id: 10003,
                cover: `${t.ctx.config.publicUrl}/media/demo/guitar.svg`,
                price: 799,
                stock: stock.stock,
                cate_id: 100013,
                product_name: '雅马哈(YAMAHA)F310NT 原声款 云杉木初学者入门',
              },
              store_id: 10001,
              all_price: 839,
              product_id: 10003,
              product_opt_ids: '1,2',
              product_opt_list: [
                { id: 1, price: 10, stock: optionStock[0]!.stock, title: '普通款' },
                { id: 2, price: 30, stock: optionStock[1]!.stock, title: '加厚款' },
              ],
              product_opt_title: '普通款,加厚款',
            },
          ],
          product_all_price: 839,
          shipping_fee: 10,
        },
      },
      other: [],
    });
    expect(body.data.created_at).toMatch(LOCAL_TIME);
    // the seed's own numbers: 799 + 10 + 30 = 839 goods, + 10 shipping = 849
    expect(body.data.goods_json.product_list[0].all_price).toBe(SAMPLE.data.goods_json.product_list[0].all_price);
    expect(body.data.pay_order_amount).toBe(SAMPLE.data.pay_order_amount);
    expect(body.data.goods_json.product_list[0].product.stock).toBe(991); // 992 in the demo, one reserved by this order
  });

  it('computes the distance only when the caller says where they are', async () => {
    const buyer = await createMember(t);
    const order = await guitarOrder(buyer.token, 'H5');
    const without = await detail(buyer.token, `order_id=${order.id}`);
    expect(without.body.data.goods_json.store.distance).toBe('');
    // Shenzhen North station to Futian (≈ 9.6 km by the spherical law of cosines, computed independently here)
    const [lng, lat] = [114.055, 22.533];
    const rad = (d: number) => (d * Math.PI) / 180;
    const km =
      6371.0088 *
      Math.acos(
        Math.sin(rad(lat)) * Math.sin(rad(22.616197)) +
          Math.cos(rad(lat)) * Math.cos(rad(22.616197)) * Math.cos(rad(114.035734 - lng)),
      );
    const far = await detail(buyer.token, `order_id=${order.id}&lng=${lng}&lat=${lat}`);
    expect(far.body.data.goods_json.store.distance).toBe(`${km.toFixed(2)}km`);
    expect(km).toBeGreaterThan(9);
    expect(without.body.data.pay_type).toBe('pc'); // H5 is a web client
    // no payment attempt yet: the method the store offers first on H5, as the seed's unpaid order names one
    expect(without.body.data.pay_method).toBe('WeChat');
  });

  it('maps the order status codes of other situations', async () => {
    const buyer = await createMember(t);
    const get = async (id: number) => (await detail(buyer.token, `order_id=${id}`)).body.data;

    // paid with WeChat (native QR on a PC) → 1 待发货
    const paidOrder = await guitarOrder(buyer.token, 'PC');
    const wechat = await startPayment(t, buyer.token, paidOrder.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    await buyerPays(t, wechat.body.action.content);
    const paid = await get(paidOrder.id);
    expect(paid).toMatchObject({
      status: 1,
      status_msg: '待发货',
      pay_status: 1,
      pay_method: 'WeChat',
      pay_type: 'pc',
      send_status: 0,
    });
    expect(paid.paid_at).toMatch(LOCAL_TIME);

    // paid with Alipay → pay_method Alipay
    const alipayOrder = await guitarOrder(buyer.token, 'APP');
    const alipay = await startPayment(t, buyer.token, alipayOrder.orderNo, {
      method: 'alipay',
      channel: 'precreate',
      client: 'PC',
    });
    expect(alipay.status).toBe(200);
    await buyerPays(t, alipay.body.action.content);
    expect(await get(alipayOrder.id)).toMatchObject({ status: 1, pay_method: 'Alipay', pay_type: 'app' });

    // cancelled by the buyer → 6 取消支付, with close_at
    const cancelledOrder = await guitarOrder(buyer.token, 'WXOFFICIAL');
    expect(
      (await api(t, 'POST', `/v1/orders/${cancelledOrder.orderNo}/cancel`, { token: buyer.token, body: {} })).status,
    ).toBe(200);
    const cancelled = await get(cancelledOrder.id);
    expect(cancelled).toMatchObject({ status: 6, status_msg: '取消支付', pay_status: 0, pay_type: 'public' });
    expect(cancelled.close_at).toMatch(LOCAL_TIME);

    // a voucher under review is still 待支付; staff rejecting it → 5 支付失败
    const voucherOrder = await guitarOrder(buyer.token, 'H5');
    const upload = multipartBody({ method: 'voucher_bank', client: 'H5' }, [
      { name: 'images', filename: 'proof.png', type: 'image/png', data: PNG_1X1 },
    ]);
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/v1/orders/${voucherOrder.orderNo}/vouchers`,
      payload: upload.payload,
      headers: { 'content-type': upload.contentType, authorization: `Bearer ${buyer.token}` },
    });
    expect(submitted.statusCode).toBe(201);
    expect(await get(voucherOrder.id)).toMatchObject({ status: 0, status_msg: '待支付', pay_method: '' });
    const rejected = await api(t, 'POST', `/v1/admin/payments/${submitted.json().outTradeNo}/reject`, {
      token: admin,
      body: { reason: '未收到款项' },
    });
    expect(rejected.status).toBe(200);
    expect(await get(voucherOrder.id)).toMatchObject({ status: 5, status_msg: '支付失败', pay_status: 0 });
  });

  it('follows an order after payment: shipped 2, received 3, reviewed 4; a refund request 7, partly refunded keeps 1; a cancel request 7, refunded 8', async () => {
    const buyer = await createMember(t);
    const get = async (id: number) => (await detail(buyer.token, `order_id=${id}`)).body.data;

    const delivered = await paidOrder(t, admin, buyer, [{ price: 5000, quantity: 1 }]);
    expect(await get(delivered.orderId)).toMatchObject({ status: 1, send_status: 0 });
    expect((await ship(t, admin, delivered.orderNo)).status).toBe(201);
    expect(await get(delivered.orderId)).toMatchObject({
      status: 2,
      status_msg: '待收货',
      send_status: 1,
      received_status: 0,
    });
    expect(
      (await api(t, 'POST', `/v1/orders/${delivered.orderNo}/receipt`, { token: buyer.token, body: {} })).status,
    ).toBe(200);
    expect(await get(delivered.orderId)).toMatchObject({
      status: 3,
      status_msg: '待评价',
      received_status: 1,
      evaluate_status: 0,
    });
    expect(
      (
        await api(t, 'POST', `/v1/orders/${delivered.orderNo}/review`, {
          token: buyer.token,
          body: { rating: 5, content: '音色很好' },
        })
      ).status,
    ).toBe(200);
    expect(await get(delivered.orderId)).toMatchObject({ status: 4, status_msg: '订单完成', evaluate_status: 1 });

    const returned = await paidOrder(t, admin, buyer, [{ price: 5000, quantity: 1 }]);
    const asked = await api(t, 'POST', `/v1/orders/${returned.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '不想要了', lines: [{ lineId: returned.lines[0]!.id }] },
    });
    expect(asked.status).toBe(201);
    expect(await get(returned.orderId)).toMatchObject({
      status: 7,
      status_msg: '退款中',
      refund_status: 1,
      refund_order_num: asked.body.refundNo,
    });
    expect(
      (await api(t, 'POST', `/v1/admin/refunds/${asked.body.refundNo}/approve`, { token: admin, body: {} })).status,
    ).toBe(200);
    // the line's 50 yuan came back but not the 10 yuan shipping: partially refunded keeps the order status
    expect(await get(returned.orderId)).toMatchObject({
      status: 1,
      status_msg: '待发货',
      refund_status: 2,
      refund_order_num: asked.body.refundNo,
    });

    const regretted = await paidOrder(t, admin, buyer, [{ price: 5000, quantity: 1 }]);
    expect(
      (
        await api(t, 'POST', `/v1/orders/${regretted.orderNo}/cancel-request`, {
          token: buyer.token,
          body: { reason: '拍错了' },
        })
      ).status,
    ).toBe(200);
    expect(await get(regretted.orderId)).toMatchObject({ status: 7, status_msg: '退款中' });
    expect(
      (await api(t, 'POST', `/v1/admin/orders/${regretted.orderNo}/cancel-request/approve`, { token: admin, body: {} }))
        .status,
    ).toBe(200);
    expect(await get(regretted.orderId)).toMatchObject({
      status: 8,
      status_msg: '已退款',
      refund_status: 3,
      pay_status: 1,
    });
  });

  it('maps shipped, received, completed, cancel requests and refunds through the one table', async () => {
    const buyer = await createMember(t);
    const placed = await guitarOrder(buyer.token, 'PC');
    const order = await getOrder(
      t.ctx,
      { kind: 'member', memberId: buyer.memberId, merchantId: 10001 },
      placed.orderNo,
    );
    const at = new Date('2024-11-27T09:04:52Z'); // 17:04:52 in Shanghai
    const facts: StorefrontFacts = {
      payments: [],
      latestRefundNo: 'R2024112700000001',
      offeredMethods: [],
      snapshot: null,
      reviewed: false,
      store: null,
      catalog: new Map(),
    };
    const view = (changes: Partial<typeof order>) =>
      toStorefrontOrder({ ...order, ...changes }, facts, {
        timeZone: 'Asia/Shanghai',
        publicUrl: 'https://shop.example.com',
        caller: null,
      });

    expect(view({ status: 'shipped', paymentStatus: 'paid', shippedAt: at })).toMatchObject({
      status: 2,
      status_msg: '待收货',
      send_status: 1,
      received_status: 0,
      pay_status: 1,
    });
    expect(view({ status: 'received', receivedAt: at, shippedAt: at })).toMatchObject({
      status: 3,
      status_msg: '待评价',
      received_status: 1,
    });
    expect(view({ status: 'completed' })).toMatchObject({ status: 4, status_msg: '订单完成', evaluate_status: 0 });
    expect(
      toStorefrontOrder(
        { ...order, status: 'completed' },
        { ...facts, reviewed: true },
        { timeZone: 'Asia/Shanghai', publicUrl: 'https://shop.example.com', caller: null },
      ).evaluate_status,
    ).toBe(1);
    expect(view({ status: 'closed', closedAt: at })).toMatchObject({ status: 6, close_at: '2024-11-27 17:04:52' });
    expect(view({ status: 'paid', cancelRequested: true })).toMatchObject({ status: 7, status_msg: '退款中' });
    expect(view({ status: 'paid', refundStatus: 'requested' })).toMatchObject({
      status: 7,
      refund_status: 1,
      refund_order_num: 'R2024112700000001',
    });
    expect(view({ status: 'shipped', refundStatus: 'partially_refunded' })).toMatchObject({
      status: 2,
      refund_status: 2,
    });
    expect(view({ status: 'cancelled', refundStatus: 'refunded', paymentStatus: 'refunded' })).toMatchObject({
      status: 8,
      status_msg: '已退款',
      refund_status: 3,
      pay_status: 1,
    });
    expect(view({ status: 'pending_payment', paymentStatus: 'failed' })).toMatchObject({ status: 5 });
    expect(view({ refundStatus: 'none' }).refund_order_num).toBe('');
    expect(view({ createdAt: at }).created_at).toBe('2024-11-27 17:04:52');
    expect(view({ client: 'POS' }).pay_type).toBe('pc');
    // every canonical status has a code, and a status the table does not know fails loudly instead of guessing
    expect(Object.keys(STOREFRONT.orderStatus).sort()).toEqual([
      'cancelled',
      'closed',
      'completed',
      'paid',
      'payment_review',
      'pending_payment',
      'received',
      'shipped',
    ]);
    expect(() => storefrontStatus({ ...order, status: 'mystery' }, [])).toThrow(/mystery/);
  });

  it('answers errors in the seed error shape, and another member’s order exactly like an unknown one', async () => {
    expect(Object.keys(SAMPLE_ERROR).sort()).toEqual(['msg', 'status']);
    const owner = await createMember(t);
    const stranger = await createMember(t);
    const order = await guitarOrder(owner.token, 'H5');

    const unknown = await detail(stranger.token, 'order_id=999999999');
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ status: 0, msg: '订单不存在' });
    expect(shape(unknown.body)).toEqual(shape(SAMPLE_ERROR));
    const foreign = await detail(stranger.token, `order_id=${order.id}`);
    expect(foreign.status).toBe(unknown.status);
    expect(foreign.body).toEqual(unknown.body);
    expect((await detail(owner.token, `order_id=${order.id}`)).body.status).toBe(200);

    for (const token of [null, '', 'not-a-token', admin]) {
      const refused = await detail(token, `order_id=${order.id}`);
      expect(refused.status).toBe(200);
      expect(refused.body).toEqual({ status: 0, msg: '请先登录' });
    }
    // the ordo bearer header alone is not the storefront's credential
    const bearerOnly = await api(t, 'GET', `/storefront/api/order/detail?order_id=${order.id}`, { token: owner.token });
    expect(bearerOnly.body).toEqual({ status: 0, msg: '请先登录' });

    for (const query of [
      'order_id=abc',
      'order_id=',
      'order_id=1e3',
      'order_id=-1',
      'order_id=99999999999999999999',
      `order_id=${order.id}&lng=abc&lat=1`,
      `order_id=${order.id}&lng=114`,
      `order_id=${order.id}&lng=200&lat=22`,
    ]) {
      const bad = await detail(owner.token, query);
      expect(bad.status, query).toBe(200);
      expect(bad.body.status, query).toBe(0);
      expect(bad.body.msg, query).toMatch(/^参数错误/);
    }
    const missing = await detail(owner.token, '');
    expect(missing.body).toEqual({ status: 0, msg: '缺少参数：order_id' });
    const noRoute = await api(t, 'GET', '/storefront/api/order/nothing', { headers: { token: owner.token } });
    expect(noRoute.status).toBe(404);
    expect(noRoute.body).toMatchObject({ status: 0 });
  });

  it('closes an expired order as 6 取消支付', async () => {
    const buyer = await createMember(t);
    const order = await guitarOrder(buyer.token, 'H5');
    t.clock.advance(31 * 60_000);
    expect(await closeExpiredOrders(t.ctx)).toContain(order.orderNo);
    const closed = (await detail(buyer.token, `order_id=${order.id}`)).body.data;
    expect(closed).toMatchObject({ status: 6, status_msg: '取消支付' });
    expect(closed.close_at).toBe(shanghai(t.clock.now().toISOString()));
  });
});

describe('storefront order list', () => {
  it('pages the member’s own orders, newest first, in the detail shape, with the total', async () => {
    const buyer = await createMember(t);
    const other = await createMember(t);
    await guitarOrder(other.token, 'H5');
    const orders = [];
    for (let i = 0; i < 3; i += 1) {
      orders.push(await guitarOrder(buyer.token, 'H5'));
      t.clock.advance(1000);
    }
    const list = (query: string, token: string | null = buyer.token) =>
      api(t, 'GET', `/storefront/api/order/list?${query}`, { headers: token === null ? {} : { token } });
    const first = await list('page=1&limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 200, msg: 'ok', other: [], data: { total: 3, page: 1 } });
    expect(first.body.data.list.map((o: { order_id: number }) => o.order_id)).toEqual([orders[2]!.id, orders[1]!.id]);
    const single = await detail(buyer.token, `order_id=${orders[2]!.id}`);
    expect(first.body.data.list[0]).toEqual(single.body.data);
    const second = await list('page=2&limit=2');
    expect(second.body.data).toMatchObject({ total: 3, page: 2 });
    expect(second.body.data.list.map((o: { order_id: number }) => o.order_id)).toEqual([orders[0]!.id]);
    expect((await list('')).body.data.list).toHaveLength(3);
    expect((await list('page=1', null)).body).toEqual({ status: 0, msg: '请先登录' });
    expect((await list('page=0')).body).toMatchObject({ status: 0 });
    expect((await list('limit=abc')).body).toMatchObject({ status: 0 });
  });
});

describe('the order keeps its store and products as they were when it was placed', () => {
  it('editing the product and the store after ordering leaves the order answer unchanged; cart_id is the cart line', async () => {
    const product = await api(t, 'POST', '/v1/admin/products', {
      token: admin,
      body: {
        categoryId: 100013,
        storeId: 10001,
        title: '雅马哈 F600 民谣吉他',
        price: 59_900,
        stock: 50,
        coverUrl: '/media/demo/guitar.svg',
      },
    });
    expect(product.status).toBe(201);
    const buyer = await createMember(t);
    const other = await api(t, 'POST', '/v1/cart/items', {
      token: buyer.token,
      body: { productId: 10003, quantity: 1 },
    });
    expect(other.status).toBe(201);
    const added = await api(t, 'POST', '/v1/cart/items', {
      token: buyer.token,
      body: { productId: product.body.id, quantity: 2 },
    });
    expect(added.status).toBe(201);
    const cartLine = (productId: number) =>
      (added.body.items as { id: number; productId: number }[]).find((i) => i.productId === productId)!.id;
    const placed = await placeOrder(t, buyer.token, { addressId: await addressOf(buyer.token), client: 'H5' });
    expect(placed.status).toBe(201);
    const before = await detail(buyer.token, `order_id=${placed.body.id}&lng=114.0499&lat=22.6162`);
    expect(before.body.status).toBe(200);
    const lines = before.body.data.goods_json.product_list as { product_id: number; cart_id: number; product: any }[];
    expect(lines.map((l) => [l.product_id, l.cart_id])).toEqual(
      [10003, product.body.id].map((id) => [id, cartLine(id)]).sort((a, b) => a[1]! - b[1]!),
    );
    const mine = lines.find((l) => l.product_id === product.body.id)!;
    expect(mine.product).toMatchObject({
      stock: 48,
      cate_id: 100013,
      price: 599,
      cover: `${t.ctx.config.publicUrl}/media/demo/guitar.svg`,
    });
    expect(before.body.data.pay_method).toBe('WeChat');

    try {
      const edited = await api(t, 'PATCH', `/v1/admin/products/${product.body.id}`, {
        token: admin,
        body: { title: '改过的名字', price: 1, coverUrl: '/media/other.png', categoryId: 100014 },
      });
      expect(edited.status).toBe(200);
      expect(
        (
          await api(t, 'POST', `/v1/admin/products/${product.body.id}/stock-adjustments`, {
            token: admin,
            body: { delta: -40 },
          })
        ).status,
      ).toBeLessThan(300);
      const moved = await api(t, 'PATCH', '/v1/admin/stores/10001', {
        token: admin,
        body: { name: '搬走的门店', logoUrl: '/media/new-logo.png' },
      });
      expect(moved.status).toBe(200);

      const after = await detail(buyer.token, `order_id=${placed.body.id}&lng=114.0499&lat=22.6162`);
      expect(after.body).toEqual(before.body);
      const listed = await api(t, 'GET', '/storefront/api/order/list?page=1&limit=50&lng=114.0499&lat=22.6162', {
        headers: { token: buyer.token },
      });
      expect(listed.body.data.list.find((o: any) => o.order_id === placed.body.id)).toEqual(before.body.data);
    } finally {
      await api(t, 'PATCH', '/v1/admin/stores/10001', {
        token: admin,
        body: { name: '5号乐馆-深圳北站店', logoUrl: '/media/demo/store-logo.svg' },
      });
    }
  });

  it('pay_method before any attempt is the store’s first method the seed names, and "" when it offers neither', async () => {
    const buyer = await createMember(t);
    const order = await guitarOrder(buyer.token, 'MP-WEIXIN');
    expect((await detail(buyer.token, `order_id=${order.id}`)).body.data).toMatchObject({
      pay_method: 'WeChat',
      pay_type: 'small',
      pay_status: 0,
    });
    const pos = await guitarOrder(buyer.token, 'POS');
    // the till offers cash first; WeChat is the first method the seed names
    expect((await detail(buyer.token, `order_id=${pos.id}`)).body.data.pay_method).toBe('WeChat');
  });
});
