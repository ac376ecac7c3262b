import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { buildApp } from '../../src/http/app.ts';
import { startWebhookDelivery } from '../../src/jobs/webhook-delivery-job.ts';
import { createLogger } from '../../src/logger.ts';
import { httpTransport } from '../../src/providers/http-transport.ts';
import { api } from '../support/api.ts';
import { createAddress, createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp, merchantCall } from '../support/merchant-api.ts';
import { buyerPays, startPayment, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** The value of one sample in Prometheus text format (0 when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-z_]+)(?:\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(/,(?=[a-z_]+=")/) : [];
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves Prometheus text whose request counts, order and payment figures and webhook backlog follow the traffic', async () => {
    const scrape = async () => {
      const reply = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return reply.body;
    };
    const before = await scrape();
    expect(before).toContain('# TYPE ordo_http_request_duration_seconds histogram');

    for (let i = 0; i < 3; i++)
      expect(
        (await api(t, 'POST', '/v1/auth/login', { body: { username: 'demo', password: DEMO.member.password } })).status,
      ).toBe(200);
    expect((await api(t, 'POST', '/v1/auth/login', { body: { username: 'demo', password: 'wrong-one' } })).status).toBe(
      401,
    );
    const admin = await staffToken(t);
    const buyer = await createMember(t);
    await createAddress(t, buyer.token);
    // an app whose receiver is down: the order's events wait in the webhook backlog
    const till = await createMerchantApp(t, admin, 'http://127.0.0.1:9/hooks');
    const order = await unpaidOrder(t, admin, buyer.token);
    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    await buyerPays(t, started.body.action.content);
    expect(
      (
        await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', {
          merchantOrderNo: 'M-1',
          tradeType: 'sale',
          storeId: DEMO.storeId,
          lines: [{ productId: null, title: 'tea', listPrice: 800, price: 800, quantity: 1 }],
        })
      ).status,
    ).toBe(201);

    const after = await scrape();
    const login = (status: string) => ({ method: 'POST', route: '/v1/auth/login', status_code: status });
    expect(
      sample(after, 'ordo_http_requests_total', login('200')) -
        sample(before, 'ordo_http_requests_total', login('200')),
    ).toBe(3);
    expect(
      sample(after, 'ordo_http_requests_total', login('401')) -
        sample(before, 'ordo_http_requests_total', login('401')),
    ).toBe(1);
    expect(sample(after, 'ordo_http_request_duration_seconds_count', { method: 'POST', route: '/v1/auth/login' })).toBe(
      4,
    );
    // the route pattern, not the path: one series for every order number
    expect(
      sample(after, 'ordo_http_requests_total', {
        method: 'POST',
        route: '/v1/orders/:orderNo/payments',
        status_code: '200',
      }),
    ).toBe(1);
    expect(after).not.toContain(order.orderNo);
    expect(sample(after, 'ordo_orders', { status: 'paid' }) - sample(before, 'ordo_orders', { status: 'paid' })).toBe(
      1,
    );
    expect(
      sample(after, 'ordo_payments', { status: 'paid' }) - sample(before, 'ordo_payments', { status: 'paid' }),
    ).toBe(1);
    expect(sample(after, 'ordo_webhook_backlog', { status: 'pending' })).toBeGreaterThan(
      sample(before, 'ordo_webhook_backlog', { status: 'pending' }),
    );
    expect(after).toMatch(/^ordo_job_lag_seconds\{job="webhook delivery"\} /m);

    // an unpaid order past its expiry is lag for the expiry job
    await unpaidOrder(t, admin, buyer.token);
    t.clock.advance(2 * 3600_000);
    expect(sample(await scrape(), 'ordo_job_lag_seconds', { job: 'expiry' })).toBeGreaterThan(3000);
  });

  it('needs the bearer token when ORDO_METRICS_TOKEN is set', async () => {
    const guarded = await startTestApp({ metricsToken: 'scrape-me' });
    try {
      const open = await guarded.app.inject({ method: 'GET', url: '/metrics' });
      expect(open.statusCode).toBe(401);
      expect(open.json().error.code).toBe('unauthorized');
      expect(
        (await guarded.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-one' } }))
          .statusCode,
      ).toBe(401);
      const ok = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer scrape-me' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('ordo_orders');
    } finally {
      await guarded.close();
    }
  });
});

describe('logs of a run', () => {
  let t: TestApp;
  let logged: FastifyInstance;
  let receiver: Server;
  const lines: string[] = [];
  const hooks: IncomingHttpHeaders[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ lockoutFailures: 2 });
    receiver = createServer((req, res) => {
      hooks.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const sink = new Writable({
      write: (chunk, _enc, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()),
    });
    const log = createLogger('info', sink);
    logged = await buildApp({ ...t.ctx, log });
    const lt: TestApp = { ...t, app: logged };

    // sign-ins (right, wrong, locked), by username and by mobile, member and staff, canonical and dialect
    secrets.push(DEMO.member.password, 'WRONG-PASSWORD-1', 'WRONG-PASSWORD-2', 'admin123', DEMO.member.mobile);
    const member = await api(lt, 'POST', '/v1/auth/login', {
      body: { mobile: DEMO.member.mobile, password: DEMO.member.password },
    });
    secrets.push(member.body.token);
    const other = await createMember(t);
    const username = (
      await t.ctx.db.selectFrom('members').select('username').where('id', '=', other.memberId).executeTakeFirstOrThrow()
    ).username!;
    await t.ctx.db.updateTable('members').set({ mobile: '13912345678' }).where('id', '=', other.memberId).execute();
    secrets.push('13912345678', other.token);
    for (const password of ['WRONG-PASSWORD-1', 'WRONG-PASSWORD-2', 'secret123'])
      await api(lt, 'POST', '/v1/auth/login', { body: { username, password } });
    await api(lt, 'POST', '/mall/user/login', { body: { username: '13912345678', password: 'WRONG-PASSWORD-1' } });
    await logged.inject({
      method: 'POST',
      url: '/yoshop/index.php?s=/api/passport/login&mobile=13912345678',
      payload: { form: { mobile: '13912345678', smsCode: '123456' } },
    });
    const admin = await api(lt, 'POST', '/v1/staff/login', { body: { username: 'admin', password: 'admin123' } });
    secrets.push(admin.body.token);

    // the merchant's app (its webhooks will carry the order's events)
    const till = await createMerchantApp(
      lt,
      admin.body.token,
      `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
    );
    secrets.push(till.secret);

    // an order, paid at the sandbox gateway; a query-string token on the QR image
    await createAddress(lt, member.body.token);
    const order = await unpaidOrder(lt, admin.body.token, member.body.token);
    const started = await startPayment(lt, member.body.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    await buyerPays(t, started.body.action.content);
    await logged.inject({
      method: 'GET',
      url: `/v1/payments/${started.body.payment.outTradeNo}/qr.svg?access_token=${member.body.token}`,
    });

    // the merchant API (signed), then the webhooks, delivered by the job
    await merchantCall(lt, till, 'POST', '/v1/merchant/trade-orders', {
      merchantOrderNo: 'LOG-1',
      tradeType: 'sale',
      storeId: DEMO.storeId,
      lines: [{ productId: null, title: 'tea', listPrice: 800, price: 800, quantity: 1 }],
    });
    const job = startWebhookDelivery({ ...t.ctx, log }, httpTransport(5_000), 3600);
    await vi.waitFor(() => expect(hooks.length).toBeGreaterThan(0), { timeout: 60_000, interval: 50 });
    await job.stop();
    secrets.push(...hooks.map((h) => String(h['x-ordo-signature'])));
  });
  afterAll(async () => {
    await logged?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await t?.close();
  });

  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
  /** every string and integer in the log lines, however deeply nested */
  const loggedValues = (value: unknown): (string | number)[] =>
    typeof value === 'string' || Number.isInteger(value)
      ? [value as string | number]
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(loggedValues)
        : [];
  /**
   * the logged values holding a whole mainland mobile number: 11 digits, 1[3-9]…, not part of a longer number, a
   * float's digits or a word such as a request id's hex (…-e17100089601 is no phone number)
   */
  const fullMobiles = (value: unknown) =>
    loggedValues(value).filter((v) => /(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z.])/.test(String(v)));

  it('gives every request line a request id, also lines written by use cases during the request', () => {
    const requestLines = parsed().filter((l) => l.req || l.res);
    expect(requestLines.length).toBeGreaterThan(20);
    expect(requestLines.filter((l) => typeof l.reqId !== 'string' || l.reqId === '')).toEqual([]);
    // the lock-out warning comes from the sign-in use case, which holds only the app-wide logger
    const locked = parsed().find((l) => l.msg === 'account locked after repeated failed sign-ins');
    expect(locked).toBeDefined();
    expect(requestLines.some((l) => l.reqId === locked!.reqId && l.req?.url === '/v1/auth/login')).toBe(true);
  });

  it('gives each job pass an id of its own, on its lines and on the webhooks it sends', () => {
    const attempts = parsed().filter((l) => l.msg === 'webhook attempt');
    expect(hooks.length).toBeGreaterThan(0);
    expect(attempts.length).toBe(hooks.length);
    for (const line of attempts)
      expect(line).toMatchObject({ job: 'webhook delivery', jobRunId: expect.stringMatching(/^job-/) });
    expect(hooks.map((h) => h['x-request-id'])).toEqual(attempts.map((l) => l.jobRunId));
  });

  it('holds no password, token, secret, signature or full mobile number', () => {
    const log = lines.join('\n');
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(log).not.toContain(secret);
    // the check sees a mobile number in a string, and not in the digits of a float such as responseTime
    const sample = {
      responseTime: 12.10234567891,
      reqId: '1a318536-cce8-4756-a178-e17100089601',
      res: { statusCode: 200 },
      msg: 'call 13912345678',
      n: 13912345678,
      url: '/v1/x?mobile=13912345678',
    };
    expect(fullMobiles(sample)).toEqual(['call 13912345678', 13912345678, '/v1/x?mobile=13912345678']);
    expect(fullMobiles(parsed())).toEqual([]);
    expect(log).toContain('139****5678');
    expect(log).toContain('access_token=[redacted]');
  });
});
