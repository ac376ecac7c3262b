import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { MAX_HEADER_BYTES, MAX_URL_LENGTH } from '../../src/http/request-boundary.ts';
import { api, type ApiReply } from '../support/api.ts';
import { createAddress, createMember, staffToken } from '../support/actors.ts';
import { paidOrder } from '../support/after-sales.ts';
import { DIALECT_ERROR, isCanonicalRefusal } from '../support/error-envelopes.ts';
import { createMerchantApp, signedHeaders, type TestMerchantApp } from '../support/merchant-api.ts';
import { placeOrder } from '../support/actors.ts';
import { snapshotTables } from '../support/table-snapshot.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Text PostgreSQL cannot store (U+0000, lone surrogates), over-long URLs, over-size bodies and notifications to
 * the other gateway's account: each route family refuses them with a 4xx in its own envelope, and nothing changes.
 * Over-long URLs and bodies are also sent over a real socket, where Node's own HTTP parser sits in front.
 */

let t: TestApp;
let admin: string;
let buyer: { memberId: number; token: string };
let merchantApp: TestMerchantApp;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  buyer = await createMember(t);
  merchantApp = await createMerchantApp(t, admin);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

const fingerprint = async () => JSON.stringify(await snapshotTables(t.ctx.db));

type Family =
  | 'canonical'
  | 'mall'
  | 'yoshop'
  | 'xxpay'
  | 'storefront'
  | 'wholesale'
  | 'merchant'
  | 'wechatpay-notify'
  | 'alipay-notify';

/** Whether a reply is a refusal in the family's own envelope (a 4xx, or a dialect's body). */
function refusedIn(family: Family, reply: ApiReply): boolean {
  if (reply.status >= 500) return false;
  switch (family) {
    case 'canonical':
    case 'merchant':
      return isCanonicalRefusal(reply);
    case 'wechatpay-notify':
      return reply.status >= 400 && reply.body?.code === 'FAIL' && typeof reply.body.message === 'string';
    case 'alipay-notify':
      return reply.status >= 400 && reply.body === 'fail';
    default:
      return DIALECT_ERROR[family](reply);
  }
}

/** A URL of each family that reads its query (GET), for over-long queries. */
const READS: [Family, string][] = [
  ['canonical', '/v1/products?keyword=a'],
  ['merchant', '/v1/merchant/trade-orders/2026010100000001?a=1'],
  ['mall', '/mall/products?keyword=a'],
  ['yoshop', '/yoshop/index.php?s=/api/goods/list&keyword=a'],
  ['xxpay', '/xxpay/api/trade_order/list?page=1'],
  ['storefront', '/storefront/api/order/list?page=1'],
  ['wholesale', '/wholesale/api/order/list?page=1'],
  ['wechatpay-notify', '/v1/payments/notify/wechatpay/1?a=1'],
  ['alipay-notify', '/v1/payments/notify/alipay/2?a=1'],
];

/** One request over a real socket (Node's HTTP parser in front of Fastify). */
function overSocket(method: string, path: string, body?: string, contentType = 'application/json'): Promise<ApiReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method,
        agent: false,
        headers: body === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain text (Alipay's `fail`)
          }
          resolve({ status: res.statusCode!, body: parsed, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('refund numbers aside, the two 500s of the report', () => {
  it('U+0000 in a multipart field of a voucher upload: 400 in the canonical envelope, no payment', async () => {
    const placed = await placeOrder(t, buyer.token, {
      lines: [{ productId: 10002, quantity: 1 }],
      addressId: await createAddress(t, buyer.token),
    });
    expect(placed.status).toBe(201);
    const before = await fingerprint();
    const boundary = 'ordoBoundary';
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f6d5e70000000049454e44ae426082',
      'hex',
    );
    const form = (note: string, filename = 'proof.png') =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="method"\r\n\r\nvoucher_bank\r\n--${boundary}\r\nContent-Disposition: form-data; name="client"\r\n\r\nH5\r\n`,
        ),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n${note}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const send = (payload: Buffer) =>
      api(t, 'POST', `/v1/orders/${placed.body.orderNo}/vouchers`, {
        token: buyer.token,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: payload as unknown as string,
      });
    for (const payload of [form('a\u0000b'), form('fine', 'a\u0000b.png')]) {
      const reply = await send(payload);
      expect({ status: reply.status, code: reply.body?.error?.code, message: reply.body?.error?.message }).toEqual({
        status: 400,
        code: 'bad_request',
        message: 'text may not contain the character U+0000',
      });
    }
    expect(await fingerprint()).toBe(before);
    // the same upload without the NUL is taken
    const taken = await send(form('转账凭证'));
    expect({ status: taken.status, body: taken.status === 201 ? null : taken.body }).toEqual({
      status: 201,
      body: null,
    });
  });

  it('a lone surrogate in imageUrls of a refund request: 400 in the canonical envelope, no refund', async () => {
    const order = await paidOrder(t, admin, buyer, [{ price: 800, quantity: 1 }], {
      addressId: await createAddress(t, buyer.token),
    });
    const before = await fingerprint();
    const reply = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
      token: buyer.token,
      headers: { 'content-type': 'application/json' },
      body: `{"kind":"refund_only","reason":"坏了","imageUrls":["\\ud800"],"lines":[{"lineId":${order.lines[0]!.id}}]}`,
    });
    expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status: 400, code: 'bad_request' });
    expect(reply.body.error.message).toMatch(/lone surrogate/);
    expect(await fingerprint()).toBe(before);
  });
});

describe('unstorable text, every route family, in its own envelope', () => {
  const form = 'application/x-www-form-urlencoded';
  /** [family, method, url, body, content type]: U+0000 and lone surrogates wherever each family reads text */
  const cases = (): [Family, string, string, string | undefined, string?][] => [
    ['canonical', 'POST', '/v1/auth/login', '{"username":"a\\u0000b","password":"x"}'],
    ['canonical', 'POST', '/v1/auth/login', '{"username":"\\udc00","password":"x"}'],
    ['canonical', 'GET', '/v1/products?keyword=%00', undefined],
    ['canonical', 'GET', '/v1/products?keyword=a', undefined, 'header'],
    ['merchant', 'POST', '/v1/merchant/trade-orders', 'signed:device:\\ud800'],
    ['merchant', 'POST', '/v1/merchant/trade-orders', 'signed:subject:a\\u0000'],
    ['mall', 'POST', '/mall/user/login', '{"username":"a\\u0000","password":"x"}'],
    ['mall', 'POST', '/mall/user/login', '{"username":"\\ud800","password":"x"}'],
    ['mall', 'GET', '/mall/products?keyword=%00', undefined],
    ['yoshop', 'POST', '/yoshop/index.php?s=/api/passport/login', '{"form":{"mobile":"\\ud800","password":"x"}}'],
    ['yoshop', 'GET', '/yoshop/index.php?s=/api/goods/list&keyword=%00', undefined],
    ['xxpay', 'POST', '/xxpay/api/auth', 'username=a%00b&password=x', form],
    ['xxpay', 'POST', '/xxpay/api/auth', '{"username":"\\ud800","password":"x"}'],
    ['storefront', 'GET', '/storefront/api/order/list?page=1&status=%00', undefined],
    ['wholesale', 'GET', '/wholesale/api/order/list?page=1&keyword=%00', undefined],
    ['wechatpay-notify', 'POST', '/v1/payments/notify/wechatpay/1', '{"id":"a\u0000b"}'],
    ['wechatpay-notify', 'POST', '/v1/payments/notify/wechatpay/1?x=%00', '{}'],
    ['alipay-notify', 'POST', '/v1/payments/notify/alipay/2', 'trade_no=a\u0000b', form],
  ];

  it('refuses each with a 4xx in the family envelope and changes nothing', async () => {
    const before = await fingerprint();
    const problems: string[] = [];
    for (const [family, method, url, rawBody, type] of cases()) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${admin}`,
        token: buyer.token,
        'access-token': buyer.token,
      };
      let body = rawBody;
      if (rawBody?.startsWith('signed:')) {
        const [, field, value] = rawBody.split(':');
        body = JSON.stringify({
          merchantOrderNo: 'B1',
          tradeType: 'sale',
          storeId: DEMO.storeId,
          lines: [{ productId: null, title: '咖啡', listPrice: 100, price: 100, quantity: 1 }],
        }).replace(/}$/, `,"${field}":"${value}"}`);
        Object.assign(headers, signedHeaders(t, merchantApp, method, url, body!));
        delete headers.authorization;
      } else if (body !== undefined) headers['content-type'] = type ?? 'application/json';
      if (type === 'header') headers['idempotency-key'] = 'a\u0000b';
      const reply = await api(t, method, url, { body, headers });
      if (!refusedIn(family, reply))
        problems.push(
          `${family} ${method} ${url} ${rawBody ?? ''}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 160)}`,
        );
    }
    expect(problems).toEqual([]);
    expect(await fingerprint()).toBe(before);
  });
});

describe('notifications to the other gateway’s account', () => {
  it('are refused with a 4xx in the protocol of the URL: WeChat Pay JSON FAIL, Alipay `fail`', async () => {
    const accounts = await t.ctx.db.selectFrom('provider_accounts').select(['id', 'provider']).orderBy('id').execute();
    const wechat = accounts.find((a) => a.provider === 'wechatpay')!.id;
    const alipay = accounts.find((a) => a.provider === 'alipay')!.id;
    const before = await fingerprint();
    const toAlipayAccount = await api(t, 'POST', `/v1/payments/notify/wechatpay/${alipay}`, {
      headers: { 'content-type': 'application/json' },
      body: '{"id":"x","resource":{}}',
    });
    expect({ status: toAlipayAccount.status, body: toAlipayAccount.body }).toEqual({
      status: 404,
      body: { code: 'FAIL', message: 'unknown account' },
    });
    const toWechatAccount = await api(t, 'POST', `/v1/payments/notify/alipay/${wechat}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'trade_no=1',
    });
    expect({
      status: toWechatAccount.status,
      body: toWechatAccount.body,
      type: toWechatAccount.headers['content-type'],
    }).toEqual({ status: 404, body: 'fail', type: 'text/plain; charset=utf-8' });
    const noAccount = await api(t, 'POST', '/v1/payments/notify/alipay/99999', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'trade_no=1',
    });
    expect({ status: noAccount.status, body: noAccount.body }).toEqual({ status: 404, body: 'fail' });
    const badAccount = await api(t, 'POST', '/v1/payments/notify/wechatpay/abc', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect({ status: badAccount.status, code: badAccount.body?.code }).toEqual({ status: 400, code: 'FAIL' });
    expect(await fingerprint()).toBe(before);
  });
});

describe('over-long URLs and over-size bodies, over a real socket', () => {
  it(`a 100 KB query (over ${MAX_URL_LENGTH} characters) is refused in every family's envelope: 414 where the family speaks HTTP statuses`, async () => {
    const problems: string[] = [];
    for (const [family, url] of READS) {
      const method = family.endsWith('-notify') ? 'POST' : 'GET';
      const reply = await overSocket(method, `${url}&pad=${'x'.repeat(100_000)}`, method === 'POST' ? '{}' : undefined);
      // the dialects answer every refusal with HTTP 200 and their own code, as their seed systems did
      const statusOk =
        reply.status === 414 ||
        (reply.status === 200 && !['canonical', 'merchant', 'wechatpay-notify', 'alipay-notify'].includes(family));
      if (!statusOk || !refusedIn(family, reply))
        problems.push(`${family}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 160)}`);
    }
    expect(problems).toEqual([]);
  });

  it(`request lines over ${MAX_HEADER_BYTES} bytes, which Node's parser refuses before any route, get 431 in the canonical envelope, not Node's bare body`, async () => {
    const reply = await overSocket('GET', `/mall/products?pad=${'x'.repeat(MAX_HEADER_BYTES + 1)}`);
    expect(reply.status).toBe(431);
    expect(reply.body).toEqual({
      error: { code: 'headers_too_large', message: expect.stringContaining(`${MAX_URL_LENGTH}`), details: {} },
    });
  });

  it("a body over the limit gets a 4xx in every family's envelope", async () => {
    const big = JSON.stringify({ a: 'x'.repeat(t.ctx.config.bodyLimitBytes) });
    const writes: [Family, string][] = [
      ['canonical', '/v1/auth/login'],
      ['merchant', '/v1/merchant/trade-orders'],
      ['mall', '/mall/user/login'],
      ['yoshop', '/yoshop/index.php?s=/api/passport/login'],
      ['xxpay', '/xxpay/api/auth'],
      ['storefront', '/storefront/api/order/list'],
      ['wholesale', '/wholesale/api/order/list'],
      ['wechatpay-notify', '/v1/payments/notify/wechatpay/1'],
      ['alipay-notify', '/v1/payments/notify/alipay/2'],
    ];
    const problems: string[] = [];
    for (const [family, url] of writes) {
      const reply = await overSocket('POST', url, big);
      if (reply.status >= 500 || !refusedIn(family, reply))
        problems.push(`${family}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 160)}`);
    }
    expect(problems).toEqual([]);
  });
});
