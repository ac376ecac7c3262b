import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import type { WechatPayGateway } from '../../src/sandbox/wechatpay/gateway.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { configProblems } from '../support/config-problems.ts';
import { unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const PROXY = '10.0.0.5';
const LIMITS: Partial<Config> = { signInLimitPerIp: 2, signInLimitPerAccount: 1_000, rateLimitWindowSeconds: 600 };

/** A wrong-password member sign-in arriving on a socket from `socket`, carrying `forwardedFor` if given. */
async function signIn(t: TestApp, socket: string, forwardedFor?: string): Promise<number> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    remoteAddress: socket,
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    payload: JSON.stringify({ username: `nobody-${Math.random().toString(36).slice(2)}`, password: 'wrong-password' }),
  });
  return response.statusCode;
}

/** Sign-ins until the per-address limit (2) is used up: the next one from the same client is refused. */
async function useUpLimit(t: TestApp, socket: string, forwardedFor?: string) {
  for (let i = 0; i < 2; i++) expect(await signIn(t, socket, forwardedFor)).toBe(401);
}

/** The client address the audit trail wrote for a staff sign-out sent this way. */
async function auditedAddress(t: TestApp, socket: string, forwardedFor: string): Promise<string> {
  const token = await staffToken(t);
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/staff/logout',
    remoteAddress: socket,
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': forwardedFor },
  });
  expect(response.statusCode).toBe(204);
  const entry = await t.ctx.db
    .selectFrom('staff_audit')
    .select('ip')
    .where('request_id', '=', String(response.headers['x-request-id']))
    .executeTakeFirstOrThrow();
  return entry.ip;
}

describe('behind a trusted proxy (ORDO_TRUST_PROXY=10.0.0.0/8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...LIMITS, trustProxy: loadConfig({ ORDO_TRUST_PROXY: '10.0.0.0/8' }).trustProxy });
  });
  afterAll(() => t.close());

  it('counts the sign-in limit per forwarded client address, not per proxy', async () => {
    await useUpLimit(t, PROXY, '198.51.100.1');
    expect(await signIn(t, PROXY, '198.51.100.1')).toBe(429);
    // another client through the same proxy has its own count
    expect(await signIn(t, PROXY, '198.51.100.2')).toBe(401);
    // and the same client through another proxy of the range is still the same client
    expect(await signIn(t, '10.0.0.6', '198.51.100.1')).toBe(429);
  });

  it('believes X-Forwarded-For only through trusted hops: an address the client wrote itself changes nothing', async () => {
    await useUpLimit(t, PROXY, '198.51.100.11');
    // the client sends its own X-Forwarded-For; the proxy appends the address it saw
    expect(await signIn(t, PROXY, '203.0.113.99, 198.51.100.11')).toBe(429);
    expect(await signIn(t, PROXY, '10.9.9.9, 198.51.100.11')).toBe(429);
    // a client reaching ordo directly (not through a proxy) is counted by its own address, whatever it claims
    await useUpLimit(t, '192.0.2.10', '198.51.100.21');
    expect(await signIn(t, '192.0.2.10', '198.51.100.22')).toBe(429);
  });

  it('writes the forwarded client address in the audit trail', async () => {
    expect(await auditedAddress(t, PROXY, '198.51.100.31')).toBe('198.51.100.31');
    expect(await auditedAddress(t, PROXY, '203.0.113.99, 198.51.100.32')).toBe('198.51.100.32');
  });
});

describe('behind one proxy by hop count (ORDO_TRUST_PROXY=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...LIMITS, trustProxy: loadConfig({ ORDO_TRUST_PROXY: '1' }).trustProxy });
  });
  afterAll(() => t.close());

  it('takes the address the one proxy saw, not the ones the client wrote before it', async () => {
    await useUpLimit(t, PROXY, '198.51.100.41');
    expect(await signIn(t, PROXY, '203.0.113.1, 198.51.100.41')).toBe(429);
    expect(await signIn(t, PROXY, '198.51.100.42')).toBe(401);
    expect(await auditedAddress(t, PROXY, '203.0.113.2, 198.51.100.43')).toBe('198.51.100.43');
  });
});

describe('with no trusted proxy (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(LIMITS);
  });
  afterAll(() => t.close());

  it('ignores a forged X-Forwarded-For: the limit counts the connecting address', async () => {
    await signIn(t, '192.0.2.50', '198.51.100.51');
    await signIn(t, '192.0.2.50', '198.51.100.52');
    expect(await signIn(t, '192.0.2.50', '198.51.100.53')).toBe(429);
    expect(await signIn(t, '192.0.2.50')).toBe(429);
    expect(await signIn(t, '192.0.2.51', '192.0.2.50')).toBe(401);
    expect(await auditedAddress(t, '192.0.2.52', '198.51.100.54')).toBe('192.0.2.52');
  });
});

describe('absolute URLs', () => {
  const FORGED = {
    host: 'evil.example:666',
    'x-forwarded-host': 'evil-forwarded.example',
    'x-forwarded-proto': 'https',
  };
  let t: TestApp;
  let buyer: string;
  let admin: string;
  // trust on for every hop: the case where Fastify would believe X-Forwarded-Host and -Proto for request.hostname
  beforeAll(async () => {
    t = await startTestApp({ trustProxy: true, publicUrl: 'https://api.shop.example' });
    buyer = (await createMember(t)).token;
    admin = await staffToken(t);
  });
  afterAll(() => t.close());

  /** Every http(s) URL anywhere in a JSON answer (also inside query strings, where notify URLs travel). */
  const urlsIn = (body: unknown): string[] =>
    [...decodeURIComponent(JSON.stringify(body)).matchAll(/https?:\/\/[^"\s&?,\\]+/g)].map((m) => m[0]);
  // ordo's own URLs, or a payment gateway's (the simulator answers with the real gateways' addresses)
  const OURS_OR_GATEWAY = /^https:\/\/(api\.shop\.example|wx\.tenpay\.com|openapi\.alipay\.com|qr\.alipay\.com)\//;
  const expectOnlyPublicUrls = (body: unknown, what: string) => {
    const urls = urlsIn(body);
    expect(urls.filter((url) => url.startsWith('https://api.shop.example/')).length, what).toBeGreaterThan(0);
    for (const url of urls) expect(url, what).toMatch(OURS_OR_GATEWAY);
  };

  it('take pictures, the yoshop H5 address, payment redirects and notify URLs from ORDO_PUBLIC_URL, whatever Host says', async () => {
    const yoshop = (route: string) =>
      api(t, 'GET', `/yoshop/index.php?s=/api/${route}`, { headers: { ...FORGED, platform: 'H5' } });
    expectOnlyPublicUrls((await yoshop('store/data')).body, 'yoshop store/data');
    expectOnlyPublicUrls((await yoshop('goods/list')).body, 'yoshop goods/list');
    const mall = await api(t, 'GET', '/mall/products', { headers: FORGED });
    expectOnlyPublicUrls(mall.body, 'mall products');

    for (const method of ['wechat', 'alipay']) {
      const { orderNo } = await unpaidOrder(t, admin, buyer);
      const started = await api(t, 'POST', `/v1/orders/${orderNo}/payments`, {
        token: buyer,
        headers: FORGED,
        body: { method, client: 'H5' },
      });
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      for (const url of urlsIn(started.body)) expect(url, method).toMatch(OURS_OR_GATEWAY);
      // the notify URL ordo gave the gateway: in the simulated WeChat trade, in the signed Alipay redirect
      const notifyUrl =
        method === 'wechat'
          ? (t.sandbox.wechatpay as WechatPayGateway).trade(started.body.payment.outTradeNo)?.notify_url
          : new URL(started.body.action.url).searchParams.get('notify_url');
      expect(notifyUrl, method).toMatch(
        new RegExp(
          `^https://api\\.shop\\.example/v1/payments/notify/${method === 'wechat' ? 'wechatpay' : 'alipay'}/\\d+$`,
        ),
      );
    }
  });
});

describe('ORDO_TRUST_PROXY at start', () => {
  it('takes false, true, a hop count, or addresses, CIDR ranges and the proxy-addr names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ ORDO_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ORDO_TRUST_PROXY: 'TRUE' }).trustProxy).toBe(true);
    expect(typeof loadConfig({ ORDO_TRUST_PROXY: '2' }).trustProxy).toBe('function');
    expect(loadConfig({ ORDO_TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1,::1, fd00::/8 ,loopback' }).trustProxy).toBe(
      '10.0.0.0/8,127.0.0.1,::1,fd00::/8,loopback',
    );
  });

  it('refuses anything else at start, naming the bad entries', () => {
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.300', 'proxy.internal', '10.0.0.1,,10.0.0.2', '::1/129', '-1']) {
      expect(configProblems({ ORDO_TRUST_PROXY: bad }), bad).toEqual([
        expect.stringMatching(
          /^ORDO_TRUST_PROXY must be true, false, a number of hops, or the proxies' addresses \/ CIDR ranges/,
        ),
      ]);
    }
    expect(configProblems({ ORDO_TRUST_PROXY: '10.0.0.1, proxy.internal' })[0]).toContain(
      '"proxy.internal" is none of these',
    );
  });
});
