import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createProduct, staffToken } from '../support/actors.ts';
import { jsonBlockAt } from '../support/json-shape.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { yoshopCall, type YoshopOptions } from '../support/yoshop-client.ts';

/**
 * Seed 002 conformance: the cashier situation the seed's sample shows (an unpaid order of a member with a balance)
 * is built through the yoshop routes (login, cart, address, checkout/submit), fetched with cashier/orderInfo and
 * compared with the sample JSON: same keys at every level, same value types.
 */

const SEED_DIR = join(import.meta.dirname, '../fixtures/seeds');
const seedText = readFileSync(
  join(
    SEED_DIR,
    readdirSync(SEED_DIR).find((f) => f.startsWith('002_'))!,
  ),
  'utf8',
);

/** The first balanced `{…}` block after "返回示例" (the response sample). */
function sampleResponse(text: string): any {
  return JSON.parse(jsonBlockAt(text, text.indexOf('{', text.indexOf('返回示例'))));
}

/** Every key path with its JSON type; arrays are described by their first element. */
function shape(value: unknown, path = '$', out: Record<string, string> = {}): Record<string, string> {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  out[path] = type;
  if (type === 'array' && (value as unknown[]).length) shape((value as unknown[])[0], `${path}[]`, out);
  if (type === 'object') for (const [k, v] of Object.entries(value as object)) shape(v, `${path}.${k}`, out);
  return out;
}

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopCall(t, method, route, options);

describe('seed 002: cashier/orderInfo', () => {
  const sample = sampleResponse(seedText);

  it('the sample parses as the documented envelope', () => {
    expect(sample).toMatchObject({ status: 200, message: 'success' });
    expect(Object.keys(sample.data)).toEqual(['order', 'personal', 'paymentMethods']);
  });

  it('an unpaid order built through the yoshop routes has the sample’s keys and types at every level', async () => {
    const product = await createProduct(t, admin, { price: 98, stock: 10 });
    const member = await createMember(t);
    const mobile = `153${String(process.pid).padStart(8, '0').slice(-8)}`;
    await t.ctx.db
      .updateTable('members')
      .set({ mobile, balance: 9_165_664, points: 64 })
      .where('id', '=', member.memberId)
      .execute();

    const login = await yoshop('POST', 'passport/login', {
      body: { form: { mobile, password: 'secret123', isParty: false, partyData: {} } },
    });
    expect(login.body).toMatchObject({ status: 200, data: { userId: member.memberId, token: expect.any(String) } });
    const token = login.body.data.token as string;

    expect(
      (await yoshop('POST', 'cart/add', { token, body: { goodsId: product.id, goodsSkuId: '0', goodsNum: 1 } })).body
        .status,
    ).toBe(200);
    const cart = await yoshop('GET', 'cart/list', { token });
    const cartId = cart.body.data.list[0].id as number;
    const added = await yoshop('POST', 'address/add', {
      token,
      body: {
        form: {
          name: '昔年',
          phone: '15300007807',
          region: [
            { label: '北京市', value: 1 },
            { label: '北京市', value: 2 },
            { label: '朝阳区', value: 110105 },
          ],
          detail: '一号',
        },
      },
    });
    expect(added.body.status).toBe(200);
    const submitted = await yoshop('POST', 'checkout/submit', {
      token,
      body: { mode: 'cart', delivery: 10, couponId: 0, isUsePoints: 0, remark: '', cartIds: String(cartId) },
    });
    expect(submitted.body).toMatchObject({ status: 200, data: { orderId: expect.any(Number) } });

    const info = await yoshop('GET', 'cashier/orderInfo', {
      token,
      query: { orderId: submitted.body.data.orderId, client: 'H5' },
    });
    expect(info.http).toBe(200);
    // the uniapp's cashier also reads `order.showExpiration` (whether to draw the countdown), which the seed's
    // sample leaves out: the one key beyond the sample
    const { showExpiration, ...order } = info.body.data.order;
    expect(showExpiration).toBe(true);
    expect(shape({ ...info.body, data: { ...info.body.data, order } })).toEqual(shape(sample));
    expect(info.body.data.order).toMatchObject({
      orderId: submitted.body.data.orderId,
      pay_status: 10,
      order_status: 10,
    });
    expect(info.body.data.order.pay_price).toMatch(/^\d+\.\d\d$/);
    expect(info.body.data.order.create_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(info.body.data.personal).toMatchObject({
      user_id: member.memberId,
      mobile: `153****${mobile.slice(-4)}`,
      balance: '91656.64',
      points: 64,
    });
    expect(info.body.data.paymentMethods.map((m: { method: string }) => m.method)).toEqual([
      'wechat',
      'alipay',
      'balance',
    ]);
    expect(info.body.data.paymentMethods.filter((m: { is_default: boolean }) => m.is_default)).toHaveLength(1);
  });

  it('Access-Token "false" means logged out: status 401 in an HTTP 200', async () => {
    const reply = await yoshop('GET', 'cashier/orderInfo', { query: { orderId: 1, client: 'H5' } });
    expect(reply.http).toBe(200);
    expect(reply.body).toMatchObject({ status: 401, message: expect.any(String) });
  });
});
