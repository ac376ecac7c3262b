import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, staffToken } from '../support/actors.ts';
import { buyerPays } from '../support/payments.ts';
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
