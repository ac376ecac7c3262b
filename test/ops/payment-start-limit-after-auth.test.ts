import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp, signedHeaders } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const LIMIT_PER_ADDRESS = 3;
const FLOOD = 3 * LIMIT_PER_ADDRESS;

/** One request from a chosen client address: its HTTP status and JSON body. */
async function call(
  t: TestApp,
  url: string,
  ip: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await t.app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.body === undefined
      ? {}
      : { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  return { status: response.statusCode, body: response.json() };
}

/**
 * Per-address payment-start limits count authenticated callers only: a flood with made-up tokens is refused as
 * signed out (in each mount's own envelope, never 429) and leaves the address's starts to the real caller, who is
 * still limited as before.
 */
describe('payment-start limits count after authentication', () => {
  let t: TestApp;
  let member: string;
  let staff: string;
  beforeAll(async () => {
    t = await startTestApp({
      paymentStartLimitPerIp: LIMIT_PER_ADDRESS,
      paymentStartLimitPerAccount: 1_000,
      rateLimitWindowSeconds: 600,
    });
    member = (await createMember(t)).token;
    staff = await staffToken(t, 'cashier');
  });
  afterAll(() => t.close());

  /** The flood answers `signedOut` every time; then the real caller's first LIMIT starts pass and the next is 429. */
  async function floodThenRealCaller(
    garbage: () => Promise<{ status: number; body: any }>,
    real: () => Promise<{ status: number; body: any }>,
    signedOut: (reply: { status: number; body: any }) => void,
  ) {
    for (let i = 0; i < FLOOD; i++) signedOut(await garbage());
    for (let i = 0; i < LIMIT_PER_ADDRESS; i++) expect((await real()).status).not.toBe(429);
    expect((await real()).status).toBe(429);
  }

  it('canonical POST /v1/orders/:orderNo/payments: 401 for a garbage token, the member still gets through', async () => {
    const start = (authorization: string) =>
      call(t, '/v1/orders/2099010100000001/payments', '10.16.0.1', {
        body: { method: 'wechat', channel: 'native', client: 'PC' },
        headers: { authorization },
      });
    await floodThenRealCaller(
      () => start('Bearer not-a-real-token'),
      () => start(`Bearer ${member}`),
      (reply) => {
        expect(reply.status).toBe(401);
        expect(reply.body.error.code).toBe('unauthorized');
      },
    );
  });

  it('xxpay memberPay/balance: 1001 for a garbage token, the cashier still gets through', async () => {
    const pay = (authorization: string) =>
      call(t, '/xxpay/api/memberPay/balance', '10.16.0.2', {
        body: { tradeOrderId: '2099010100000001', memberId: 1 },
        headers: { authorization },
      });
    await floodThenRealCaller(
      () => pay('garbage-token'),
      () => pay(staff),
      (reply) => {
        expect(reply.status).toBe(200);
        expect(reply.body.code).toBe(1001);
      },
    );
  });

  it('yoshop cashier/orderPay: 401 status for a garbage Access-Token, the member still gets through', async () => {
    const pay = (token: string) =>
      call(t, '/yoshop/index.php?s=/api/cashier/orderPay', '10.16.0.3', {
        body: { orderId: 999_999_999, method: 'wechat' },
        headers: { platform: 'H5', 'access-token': token },
      });
    await floodThenRealCaller(
      () => pay('garbage-token'),
      () => pay(member),
      (reply) => {
        expect(reply.status).toBe(200);
        expect(reply.body.status).toBe(401);
      },
    );
  });

  it('mall /pay: need-login for a garbage session, the member still gets through', async () => {
    const pay = (cookie: string) =>
      call(t, '/mall/pay', '10.16.0.4', {
        body: { orderId: '2099010100000001', payType: 1 },
        headers: { cookie: `MALL_SESSION=${cookie}` },
      });
    await floodThenRealCaller(
      () => pay('garbage-token'),
      () => pay(member),
      (reply) => {
        expect(reply.status).toBe(200);
        expect(reply.body.status).toBe(10);
      },
    );
  });

  it('merchant API trade-order pay: a bad signature is refused, the signed app still gets through', async () => {
    const app = await createMerchantApp(t, await staffToken(t));
    const url = '/v1/merchant/trade-orders/2099010100000001/pay';
    const body = JSON.stringify({ method: 'balance' });
    const signed = () => call(t, url, '10.16.0.5', { body, headers: signedHeaders(t, app, 'POST', url, body) });
    const forged = () =>
      call(t, url, '10.16.0.5', {
        body,
        headers: { ...signedHeaders(t, app, 'POST', url, body), 'x-ordo-signature': 'forged' },
      });
    await floodThenRealCaller(forged, signed, (reply) => {
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('unauthorized');
    });
  });
});
