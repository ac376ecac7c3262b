import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateTime } from '../../src/domain/local-time.ts';
import { createProduct, staffToken } from '../support/actors.ts';
import { ship } from '../support/after-sales.ts';
import { api } from '../support/api.ts';
import { buyerPays, startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Seed 000 conformance: the situations the seed's samples show are built through ordo's own flows over the mall
 * routes, fetched through the dialect, and compared with the sample JSON: same keys at every level, same value
 * types, same status codes.
 */

// ── the seed's sample JSON ──────────────────────────────────────────────────────────────────────────────────────

const SEED_DIR = join(import.meta.dirname, '../fixtures/seeds');
const seedText = readFileSync(
  join(
    SEED_DIR,
    readdirSync(SEED_DIR).find((f) => f.startsWith('000_'))!,
  ),
  'utf8',
);

/** Drops `//` comments outside strings (the seed has `"status": 10, //后续支付了…`; URLs inside strings keep their `//`). */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

/** The balanced top-level `{…}` blocks of the text, read as their authors meant (comments, doubled or missing commas). */
function jsonBlocks(text: string): any[] {
  const clean = stripComments(text);
  const blocks: any[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const raw = clean
          .slice(start, i + 1)
          .replace(/,(\s*,)+/g, ',')
          .replace(/,(\s*[}\]])/g, '$1')
          .replace(/("|\d|true|false|null|[}\]])(\s*\n\s*")/g, '$1,$2');
        blocks.push(JSON.parse(raw));
      }
    }
  }
  return blocks;
}

const samples = jsonBlocks(seedText);
/** Every sample of the order the client reads (`orderItemVoList`, `shippingVo`). */
const orderSamples = samples.filter((s) => s.data && Array.isArray(s.data.orderItemVoList));
/**
 * The block headed 测试数据 ("test data") is another backend's order (`orderItemList` with `good_id`, `goods_name`,
 * `price`, `count`) that the client never reads; ordo follows the shape the client uses.
 */
const otherBackendSample = samples.find((s) => s.data && Array.isArray(s.data.orderItemList));
const paySample = samples.find((s) => s.data && typeof s.data.content === 'string');

type Shape = string | Shape[] | { [key: string]: Shape };

/** Keys at every level and the JSON type of every value; an array is the shape of its first element. */
function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

// ── building the seed's situation through the mall routes ───────────────────────────────────────────────────

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

async function mall(method: string, path: string, options: { body?: unknown; session?: string } = {}) {
  const response = await t.app.inject({
    method: method as 'GET',
    url: `/mall${path}`,
    headers: options.session ? { cookie: `MALL_SESSION=${options.session}` } : {},
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
  const session = response.cookies.find((c) => c.name === 'MALL_SESSION')?.value;
  return { http: response.statusCode, body: response.json(), session };
}

let buyerCounter = 0;
async function signedInBuyer(): Promise<string> {
  const username = `seed000_${process.pid}_${++buyerCounter}`;
  expect(
    (
      await mall('POST', '/user/register', {
        body: { username, password: 'secret123', email: `${username}@example.com`, phone: '' },
      })
    ).body.status,
  ).toBe(0);
  const login = await mall('POST', '/user/login', { body: { username, password: 'secret123' } });
  expect(login.body.status).toBe(0);
  return login.session!;
}

/** The seed's order: two phones, one each, shipped to ddd in 浙江 台州 路桥, as the client places it. */
async function seedOrder(session: string) {
  for (const [title, price] of [
    ['Redmi Note 8 Pro', 139_900],
    ['Redmi K20 Pro 尊享版', 269_900],
  ] as const) {
    const product = await createProduct(t, admin, { title, price, stock: 10 });
    expect(
      (await mall('POST', '/carts', { session, body: { productId: product.id, selected: true } })).body.status,
    ).toBe(0);
  }
  const shipping = await mall('POST', '/shippings', {
    session,
    body: {
      receiverName: 'ddd',
      receiverMobile: '11111111111',
      receiverProvince: '浙江',
      receiverCity: '台州',
      receiverDistrict: '路桥',
      receiverAddress: '广东省',
      receiverZip: '523879',
    },
  });
  expect(shipping.body.status).toBe(0);
  const placed = await mall('POST', '/orders', { session, body: { shippingId: shipping.body.data.shippingId } });
  return { placed: placed.body, shippingId: shipping.body.data.shippingId as number };
}

describe('seed 000 samples', () => {
  it('reads every JSON block of the seed: three order samples, the other backend’s test data and the pay answer', () => {
    expect(orderSamples).toHaveLength(3);
    expect(otherBackendSample).toBeDefined();
    expect(paySample).toEqual({
      status: 0,
      data: { content: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) },
    });
    expect(orderSamples[1].data.createTime).toMatch(LOCAL_TIME);
  });
});

describe('the mall dialect answers in the seed’s shapes', () => {
  it('an unpaid order (POST /orders, GET /orders/{orderNo}, the 1 s poll, the list) has every key and value type of the samples', async () => {
    const session = await signedInBuyer();
    const { placed, shippingId } = await seedOrder(session);
    expect(placed.status).toBe(0);
    for (const sample of orderSamples) expect(shapeOf(placed)).toEqual(shapeOf(sample));

    const orderNo = placed.data.orderNo;
    expect(Number.isSafeInteger(orderNo)).toBe(true);
    expect(String(orderNo)).toMatch(/^\d{16}$/);
    const fetched = await mall('GET', `/orders/${orderNo}`, { session });
    expect(fetched.http).toBe(200);
    for (const sample of orderSamples) expect(shapeOf(fetched.body)).toEqual(shapeOf(sample));

    // the values the samples show for the same situation
    const order = fetched.body.data;
    expect(order).toMatchObject({
      payment: 4098,
      paymentType: 1,
      paymentTypeDesc: '在线支付',
      postage: 0,
      status: 10,
      statusDesc: '未支付',
      paymentTime: '',
      sendTime: '',
      endTime: '',
      closeTime: '',
      imageHost: null,
      shippingId,
      receiverName: 'ddd',
      shippingVo: orderSamples[1].data.shippingVo,
    });
    expect(order.createTime).toMatch(LOCAL_TIME);
    expect(
      order.orderItemVoList.map((l: any) => [l.productName, l.currentUnitPrice, l.quantity, l.totalPrice, l.orderNo]),
    ).toEqual([
      ['Redmi Note 8 Pro', 1399, 1, 1399, orderNo],
      ['Redmi K20 Pro 尊享版', 2699, 1, 2699, orderNo],
    ]);

    const list = await mall('GET', '/orders?pageNum=1', { session });
    expect(list.body.status).toBe(0);
    expect(list.body.data.total).toBe(1);
    expect(shapeOf(list.body.data.list[0])).toEqual(shapeOf(orderSamples[2].data));
  });

  it('POST /pay answers as the sample; once the buyer pays, the polled order keeps the shape with status 20', async () => {
    const session = await signedInBuyer();
    const { placed } = await seedOrder(session);
    const orderNo = placed.data.orderNo;
    const pay = await mall('POST', '/pay', {
      session,
      body: { orderId: String(orderNo), orderName: 'Vue高仿小米商城', amount: 0.01, payType: 2 },
    });
    expect(shapeOf(pay.body)).toEqual(shapeOf(paySample));
    expect(pay.body.data.content).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);

    const before = await mall('GET', `/orders/${orderNo}`, { session });
    expect(before.body.data.status).toBe(10);
    await buyerPays(t, pay.body.data.content);
    const after = await mall('GET', `/orders/${orderNo}`, { session });
    expect(shapeOf(after.body)).toEqual(shapeOf(orderSamples[2]));
    expect(after.body.data).toMatchObject({ status: 20, statusDesc: '已付款', payment: 4098 });
    expect(after.body.data.paymentTime).toMatch(LOCAL_TIME);
  });

  it('not signed in: status 10 with a message, over HTTP 200', async () => {
    for (const [method, path] of [
      ['GET', '/user'],
      ['GET', '/orders/2021020400000001'],
      ['POST', '/orders'],
      ['GET', '/carts'],
    ] as const) {
      const reply = await mall(method, path, method === 'POST' ? { body: { shippingId: 6806 } } : {});
      expect(reply.http).toBe(200);
      expect(reply.body).toEqual({ status: 10, msg: expect.any(String) });
    }
  });
});

describe('the mall dialect reads what the real backend reads and says what happened to the order', () => {
  /** Pays the order from the member's balance (the buyer behind the mall session), as another client of ordo would. */
  async function payFromBalance(session: string, orderNo: number) {
    const me = await mall('GET', '/user', { session });
    const order = await api(t, 'GET', `/v1/orders/${orderNo}`, { token: session });
    await t.ctx.db
      .updateTable('members')
      .set({ balance: order.body.payableAmount })
      .where('id', '=', me.body.data.id)
      .execute();
    expect((await startPayment(t, session, String(orderNo), { method: 'balance', client: 'PC' })).status).toBe(200);
    return order.body.lines as { id: number }[];
  }

  it('numbers sent as strings, as Jackson reads them: the product page’s {"productId":"10001"}, a count, a quantity, the shipping id, the pay type', async () => {
    const session = await signedInBuyer();
    const product = await createProduct(t, admin, { title: '小米11', price: 429_900, stock: 10 });
    const added = await mall('POST', '/carts', {
      session,
      body: { productId: String(product.id), selected: 'true', count: '2' },
    });
    expect(added.body.status).toBe(0);
    expect(added.body.data.cartProductVoList).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 2, productSelected: true }),
    ]);
    const changed = await mall('PUT', `/carts/${product.id}`, { session, body: { quantity: '3', selected: 'false' } });
    expect(changed.body.data.cartProductVoList[0]).toMatchObject({ quantity: 3, productSelected: false });
    expect((await mall('PUT', '/carts/selectAll', { session })).body.status).toBe(0);
    const shipping = await mall('POST', '/shippings', {
      session,
      body: {
        receiverName: 'ttt',
        receiverMobile: '11111111111',
        receiverProvince: '天津市',
        receiverCity: '和平区',
        receiverAddress: '无',
        receiverZip: '523879',
      },
    });
    const placed = await mall('POST', '/orders', {
      session,
      body: { shippingId: String(shipping.body.data.shippingId) },
    });
    expect(placed.body.status).toBe(0);
    expect(placed.body.data).toMatchObject({ payment: 12897, shippingId: shipping.body.data.shippingId });
    const pay = await mall('POST', '/pay', {
      session,
      body: { orderId: String(placed.body.data.orderNo), orderName: 'Vue高仿小米商城', amount: 0.01, payType: '2' },
    });
    expect(pay.body.data.content).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  });

  it('text that is not a number stays refused in Chinese, and changes nothing', async () => {
    const session = await signedInBuyer();
    for (const productId of ['1e3', ' 1', '0', '-1', 'abc', '1.5', '']) {
      const reply = await mall('POST', '/carts', { session, body: { productId } });
      expect(reply.http).toBe(200);
      expect(reply.body).toEqual({ status: 2, msg: '参数错误：productId' });
    }
    expect((await mall('GET', '/carts', { session })).body.data.cartProductVoList).toEqual([]);
  });

  it('a fully refunded order is closed (60) at the time its refund went back', async () => {
    const session = await signedInBuyer();
    const { placed } = await seedOrder(session);
    const orderNo = placed.data.orderNo;
    const lines = await payFromBalance(session, orderNo);
    const asked = await api(t, 'POST', `/v1/orders/${orderNo}/refunds`, {
      token: session,
      body: { kind: 'refund_only', reason: '不想要了', lines: lines.map((l) => ({ lineId: l.id })) },
    });
    expect(asked.status).toBe(201);
    t.clock.advance(60_000);
    expect(
      (await api(t, 'POST', `/v1/admin/refunds/${asked.body.refundNo}/approve`, { token: admin, body: {} })).status,
    ).toBe(200);
    const refundedAt = await t.ctx.db
      .selectFrom('payment_refunds')
      .innerJoin('orders', 'orders.id', 'payment_refunds.order_id')
      .select('payment_refunds.completed_at')
      .where('orders.order_no', '=', String(orderNo))
      .executeTakeFirstOrThrow();
    const order = (await mall('GET', `/orders/${orderNo}`, { session })).body.data;
    expect(order).toMatchObject({ status: 60, statusDesc: '订单关闭', payment: 4098 });
    expect(order.closeTime).toMatch(LOCAL_TIME);
    expect(order.closeTime).toBe(localDateTime(refundedAt.completed_at!, t.ctx.config.timeZone));
    expect(order.closeTime > order.paymentTime).toBe(true);
  });

  it('a partly shipped order is shipped (40) from its first parcel; the rest leaving keeps it 40 with the same sendTime', async () => {
    const session = await signedInBuyer();
    const { placed } = await seedOrder(session);
    const orderNo = placed.data.orderNo;
    const lines = await payFromBalance(session, orderNo);
    expect((await mall('GET', `/orders/${orderNo}`, { session })).body.data).toMatchObject({
      status: 20,
      sendTime: '',
    });

    expect((await ship(t, admin, String(orderNo), [{ lineId: lines[0]!.id, quantity: 1 }])).status).toBe(201);
    const partly = (await mall('GET', `/orders/${orderNo}`, { session })).body.data;
    expect(partly).toMatchObject({ status: 40, statusDesc: '已发货' });
    expect(partly.sendTime).toMatch(LOCAL_TIME);
    const listed = (await mall('GET', '/orders?pageNum=1', { session })).body.data.list;
    expect(listed.find((o: any) => o.orderNo === orderNo)).toMatchObject({ status: 40, sendTime: partly.sendTime });

    t.clock.advance(3_600_000);
    expect((await ship(t, admin, String(orderNo))).status).toBe(201);
    expect((await mall('GET', `/orders/${orderNo}`, { session })).body.data).toMatchObject({
      status: 40,
      sendTime: partly.sendTime,
    });
  });
});
