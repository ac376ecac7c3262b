import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { api } from '../support/api.ts';
import { jsonBlockAt } from '../support/json-shape.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp, merchantCall, type TestMerchantApp } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Seed 004 conformance: the seed's situation (a till sale with a catalog item and a no-barcode item, paid by a
 * scanned WeChat code) is built through ordo's own flows, fetched through `/xxpay/api/trade_order/get`, and
 * compared with the seed's sample JSON: the same keys at every level and the same value types. Then the status
 * codes of the other situations, 12025 for an unknown id and 1001 without a token.
 */

// ── the seed's sample JSON ──────────────────────────────────────────────────────────────────────────────────────

const SEED_DIR = join(import.meta.dirname, '../fixtures/seeds');
const seedText = readFileSync(
  join(
    SEED_DIR,
    readdirSync(SEED_DIR).find((f) => f.startsWith('004_'))!,
  ),
  'utf8',
);

/** The sample `{…}` block, read as its author meant: the comma missing after the `goodsDesc` array is put back. */
function sampleJson(text: string): any {
  const raw = jsonBlockAt(text, text.indexOf('{\n"code"'));
  return JSON.parse(raw.replace(/("|\d|true|false|null|[}\]])(\s*\n\s*")/g, '$1,$2'));
}

const sample = sampleJson(seedText);
/**
 * Fields the sample leaves out that the console reads: `depositMode` from the seed's field table; `storeId`,
 * `productName` and `remark` from XxPay's trade order entity (the detail page's 门店ID, 商品名称, 备注).
 */
const TABLE_ONLY = ['depositMode', 'storeId', 'productName', 'remark'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

/** Same keys and, where the sample shows a value (not null), the same JSON type. */
function expectLike(
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  path: string,
  extra: string[] = [],
) {
  expect(Object.keys(actual).sort(), path).toEqual([...Object.keys(expected), ...extra].sort());
  for (const [key, want] of Object.entries(expected)) {
    if (want === null) continue;
    const got = actual[key];
    if (Array.isArray(want)) expect(Array.isArray(got), `${path}.${key}`).toBe(true);
    else expect(typeof got, `${path}.${key}`).toBe(typeof want);
  }
}

// ── building the situations through ordo's flows ────────────────────────────────────────────────────────────────

let t: TestApp;
let till: TestMerchantApp;
let token: string;
let cashierId: number;
let seq = 0;

async function xx(path: string, params: Record<string, string | number>, auth: string | null = token) {
  const reply = await api(t, 'POST', `/xxpay${path}`, {
    body: new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
  });
  expect(reply.status).toBe(200);
  return reply.body;
}
const get = (tradeOrderId: string) => xx('/api/trade_order/get', { tradeOrderId });

beforeAll(async () => {
  t = await startTestApp();
  const admin = await staffToken(t);
  till = await createMerchantApp(t, admin);
  cashierId = (
    await t.ctx.db.selectFrom('staff').select('id').where('username', '=', 'cashier').executeTakeFirstOrThrow()
  ).id;
  await api(t, 'PUT', `/v1/admin/staff/${cashierId}/refund-password`, { token: admin, body: { password: '888888' } });
  token = (await xx('/api/auth', { username: 'cashier', password: DEMO.staff[1]!.password, loginType: 'pc' }, null))
    .data.access_token;
});
afterAll(() => t.close());

/** The seed's sale: a burger at 120.00 sold at 104.00 with 4.00 off, and a no-barcode jasmine tea at 100.00. */
async function seedSale(extra: Record<string, unknown> = {}): Promise<string> {
  const member = await createMember(t);
  const created = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', {
    merchantOrderNo: `E-${++seq}`,
    tradeType: 'sale',
    storeId: DEMO.storeId,
    operatorId: cashierId,
    memberId: member.memberId,
    couponCode: 'C-0001',
    subject: '被扫支付',
    clientIp: '0:0:0:0:0:0:0:1',
    lines: [
      { productId: 10002, title: '奥尔良鸡腿堡', listPrice: 12_000, price: 10_400, quantity: 1, discount: 400 },
      { productId: null, title: '茉莉花茶', listPrice: 10_000, price: 10_000, quantity: 1 },
    ],
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body.order.orderNo;
}

async function simpleSale(amountYuan: string, extra: Record<string, string | number> = {}) {
  return xx('/api/memberPay/bar', { requiredAmount: amountYuan, barCode: '134567890123456789', ...extra });
}

describe('seed 004 sample: /api/trade_order/get', () => {
  it('a till sale paid by a WeChat code has every field of the sample, with its types', async () => {
    const no = await seedSale();
    expect((await xx('/api/memberPay/bar', { tradeOrderId: no, barCode: '134567890123456789' })).data.orderStatus).toBe(
      2,
    );
    const reply = await get(no);
    expectLike(reply, sample, 'envelope');
    expect(reply).toMatchObject({ code: 0, msg: 'success' });
    const data = reply.data;
    expectLike(data, sample.data, 'data', TABLE_ONLY);
    // goodsDesc: each entry has the keys of the sample's full entry; the no-barcode entry's keys are among them
    const [full, noBarcode] = sample.data.goodsDesc;
    for (const [i, goods] of data.goodsDesc.entries()) expectLike(goods, full, `data.goodsDesc[${i}]`);
    expect(Object.keys(noBarcode).every((k) => k in full)).toBe(true);
    expect(data.goodsDesc).toEqual([
      {
        cellPrice: 12_000,
        currentPrice: 10_400,
        discountAmount: 400,
        goodsId: 10002,
        goodsName: '奥尔良鸡腿堡',
        goodsNum: 1,
        goodsProps: '',
      },
      {
        cellPrice: 10_000,
        currentPrice: 10_000,
        discountAmount: 0,
        goodsId: -1,
        goodsName: '茉莉花茶',
        goodsNum: 1,
        goodsProps: '',
      },
    ]);
    expect(data).toMatchObject({
      tradeOrderId: no,
      tradeType: 1,
      depositMode: 0,
      mchId: DEMO.merchantId,
      appId: till.appId,
      clientIp: '0:0:0:0:0:0:0:1',
      subject: '被扫支付',
      // what was sold, as XxPay's body and productName name it: distinct from the till's subject
      body: '奥尔良鸡腿堡、茉莉花茶',
      productName: '奥尔良鸡腿堡、茉莉花茶',
      storeId: DEMO.storeId,
      orderAmount: 20_400,
      discountAmount: 400,
      amount: 20_000,
      status: 2,
      productId: '8020',
      productType: 3,
      couponId: 'C-0001',
      storeNo: String(DEMO.storeId),
      operatorId: String(cashierId),
      operatorName: '收银员',
      refundTotalAmount: 0,
    });
    expect(data.mchIncome).toBeLessThanOrEqual(20_000);
    expect(data.payOrderId).toEqual(expect.any(String));
    for (const key of ['tradeSuccTime', 'createTime', 'updateTime']) expect(data[key], key).toMatch(ISO_TIME);
  });
});

describe('seed 004 status codes', () => {
  it('created 0, paying 1, failed -1 (refused code, closed order), partly refunded 4, fully refunded 5', async () => {
    expect((await get(await seedSale())).data.status).toBe(0);

    t.sandbox.simulator.behaviour.userPaying = true;
    try {
      const paying = await simpleSale('1.00');
      expect(paying.data.orderStatus).toBe(1);
      expect((await get(paying.data.tradeOrderId)).data.status).toBe(1);
    } finally {
      t.sandbox.simulator.behaviour.userPaying = false;
    }

    const refused = await simpleSale('1.00', { barCode: '134567890123450000' });
    expect((await get(refused.data.tradeOrderId)).data.status).toBe(-1);
    const closing = await seedSale();
    expect((await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${closing}/close`)).status).toBe(200);
    expect((await get(closing)).data.status).toBe(-1);

    const paid = await simpleSale('10.00');
    const id = paid.data.tradeOrderId;
    expect(
      (await xx('/api/memberPay/refund2', { tradeOrderId: id, refundAmount: '3', refundPassword: '888888' })).code,
    ).toBe(0);
    await t.sandbox.simulator.settle();
    expect((await get(id)).data).toMatchObject({ status: 4, refundTotalAmount: 300 });
    expect(
      (await xx('/api/memberPay/refund2', { tradeOrderId: id, refundAmount: '7', refundPassword: '888888' })).code,
    ).toBe(0);
    await t.sandbox.simulator.settle();
    expect((await get(id)).data).toMatchObject({ status: 5, refundTotalAmount: 1_000 });
  });

  it('deposit held 6, deposit returned 7', async () => {
    const held = await simpleSale('100', { isDepositMode: 1 });
    expect((await get(held.data.tradeOrderId)).data).toMatchObject({ status: 6, depositMode: 1 });
    expect((await xx('/api/memberPay/depositReverse', { tradeOrderId: held.data.tradeOrderId })).code).toBe(0);
    await t.sandbox.simulator.settle();
    expect((await get(held.data.tradeOrderId)).data).toMatchObject({ status: 7, refundTotalAmount: 10_000 });
  });

  it('12025 for an unknown trade order, 1001 without a token', async () => {
    expect((await get('2019082304144335')).code).toBe(12025);
    const loggedOut = await xx('/api/trade_order/get', { tradeOrderId: '2019082304144335' }, null);
    expect(loggedOut).toMatchObject({ code: 1001 });
    expect(typeof loggedOut.msg).toBe('string');
  });
});
