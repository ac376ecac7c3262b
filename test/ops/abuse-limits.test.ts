import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { createMember } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** One request from a chosen client address; the reply's status, body and Retry-After. */
async function call(
  t: TestApp,
  method: 'GET' | 'POST',
  url: string,
  options: { body?: unknown; ip?: string; headers?: Record<string, string> } = {},
) {
  const response = await t.app.inject({
    method,
    url,
    remoteAddress: options.ip ?? '10.0.0.1',
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
  return { status: response.statusCode, body: response.json(), retryAfter: response.headers['retry-after'] };
}

const memberLogin = (username: string, password = 'wrong-password') => ({ username, password });

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      signInLimitPerIp: 3,
      signInLimitPerAccount: 2,
      smsLimitPerIp: 2,
      smsLimitPerAccount: 100,
      paymentStartLimitPerIp: 100,
      paymentStartLimitPerAccount: 2,
      rateLimitWindowSeconds: 60,
    });
  });
  afterAll(() => t.close());

  it('refuse the sign-in after the per-address limit with 429 in the canonical envelope, and count other addresses apart', async () => {
    for (const name of ['ip-a', 'ip-b', 'ip-c'])
      expect((await call(t, 'POST', '/v1/auth/login', { body: memberLogin(name), ip: '10.1.0.1' })).status).toBe(401);
    const refused = await call(t, 'POST', '/v1/auth/login', { body: memberLogin('ip-d'), ip: '10.1.0.1' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // staff sign-in is the same kind of attempt from the same address
    expect(
      (await call(t, 'POST', '/v1/staff/login', { body: { username: 'admin', password: 'admin123' }, ip: '10.1.0.1' }))
        .status,
    ).toBe(429);
    expect((await call(t, 'POST', '/v1/auth/login', { body: memberLogin('ip-d'), ip: '10.1.0.2' })).status).toBe(401);
  });

  it('refuse the sign-in after the per-account limit, whichever address it comes from', async () => {
    expect((await call(t, 'POST', '/v1/auth/login', { body: memberLogin('acct-x'), ip: '10.2.0.1' })).status).toBe(401);
    expect((await call(t, 'POST', '/v1/auth/login', { body: memberLogin('acct-x'), ip: '10.2.0.2' })).status).toBe(401);
    const refused = await call(t, 'POST', '/v1/auth/login', { body: memberLogin('acct-x'), ip: '10.2.0.3' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect((await call(t, 'POST', '/v1/auth/login', { body: memberLogin('acct-y'), ip: '10.2.0.3' })).status).toBe(401);
  });

  it('answer each dialect in its own envelope with status 429', async () => {
    const mall = async (ip: string) =>
      call(t, 'POST', '/mall/user/login', { body: { username: 'nobody', password: 'x' }, ip });
    const xxpay = async (ip: string, name: string) =>
      call(t, 'POST', '/xxpay/api/auth', { body: { username: name, password: 'x' }, ip });
    const yoshop = async (ip: string, form: Record<string, string>) =>
      call(t, 'POST', '/yoshop/index.php?s=/api/passport/login', {
        body: { form },
        ip,
        headers: { platform: 'H5', 'access-token': 'false' },
      });

    for (let i = 0; i < 2; i++) expect((await mall('10.3.0.1')).status).toBe(200);
    const mallRefused = await mall('10.3.0.1');
    expect(mallRefused).toMatchObject({
      status: 429,
      body: { status: 1, msg: expect.stringContaining('操作过于频繁') },
    });
    expect(Number(mallRefused.retryAfter)).toBeGreaterThan(0);

    for (let i = 0; i < 3; i++) expect((await xxpay('10.3.0.2', `op-${i}`)).status).toBe(200);
    const xxpayRefused = await xxpay('10.3.0.2', 'op-9');
    expect(xxpayRefused.status).toBe(429);
    expect(xxpayRefused.body).toMatchObject({ code: expect.any(Number), msg: expect.stringContaining('操作过于频繁') });
    expect(xxpayRefused.body.code).not.toBe(0);

    // SMS-code sign-in has its own (here tighter) limit
    for (let i = 0; i < 2; i++)
      expect((await yoshop('10.3.0.3', { mobile: `1390000000${i}`, smsCode: '000000' })).status).toBe(200);
    const smsRefused = await yoshop('10.3.0.3', { mobile: '13900000009', smsCode: '000000' });
    expect(smsRefused).toMatchObject({
      status: 429,
      body: { status: 500, message: expect.stringContaining('操作过于频繁'), data: [] },
    });
    // a password sign-in from the same address is still within its own limit
    expect((await yoshop('10.3.0.3', { mobile: '13900000009', password: 'wrong-password' })).status).toBe(200);
  });

  it('limit payment starts per member, not per order or address', async () => {
    const { token } = await createMember(t);
    const start = (ip: string) =>
      call(t, 'POST', '/v1/orders/2099010100000001/payments', {
        body: { method: 'wechat', channel: 'native', client: 'PC' },
        ip,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await start('10.4.0.1')).status).toBe(404);
    expect((await start('10.4.0.2')).status).toBe(404);
    const refused = await start('10.4.0.3');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    // another member is not held back by this one
    const other = await createMember(t);
    const theirs = await call(t, 'POST', '/v1/orders/2099010100000001/payments', {
      body: { method: 'wechat', channel: 'native', client: 'PC' },
      ip: '10.4.0.3',
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(theirs.status).toBe(404);
  });
});

describe('lock-out after failed sign-ins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ lockoutFailures: 3, lockoutMinutes: 10 });
  });
  afterAll(() => t.close());

  it('locks a member after 3 wrong passwords, refuses even the right one, and lets them in once the lock has passed', async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (await call(t, 'POST', '/v1/auth/login', { body: { username: 'demo', password: 'guess' }, ip: `10.5.0.${i}` }))
          .status,
      ).toBe(401);
    const locked = await call(t, 'POST', '/v1/auth/login', {
      body: { username: 'demo', password: DEMO.member.password },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({
      code: 'rate_limited',
      details: { reason: 'account_locked', retryAfterSeconds: 600 },
    });
    // the lock is in the database, so every ordo process on it refuses too
    const row = await t.ctx.db
      .selectFrom('members')
      .select(['locked_until'])
      .where('username', '=', 'demo')
      .executeTakeFirstOrThrow();
    expect(row.locked_until!.getTime()).toBe(t.clock.now().getTime() + 600_000);
    // mobile sign-in is the same account, and so is the mall's
    expect(
      (
        await call(t, 'POST', '/v1/auth/login', {
          body: { mobile: DEMO.member.mobile, password: DEMO.member.password },
        })
      ).status,
    ).toBe(429);
    expect(
      (await call(t, 'POST', '/mall/user/login', { body: { username: 'demo', password: DEMO.member.password } })).body,
    ).toMatchObject({ status: 1, msg: expect.stringContaining('账号已锁定') });

    t.clock.advance(10 * 60_000 + 1000);
    expect(
      (await call(t, 'POST', '/v1/auth/login', { body: { username: 'demo', password: DEMO.member.password } })).status,
    ).toBe(200);
    const cleared = await t.ctx.db
      .selectFrom('members')
      .select(['failed_sign_ins', 'locked_until'])
      .where('username', '=', 'demo')
      .executeTakeFirstOrThrow();
    expect(cleared).toEqual({ failed_sign_ins: 0, locked_until: null });
  });

  it('locks a staff account the same way (canonical and xxpay sign-in count together)', async () => {
    expect(
      (await call(t, 'POST', '/v1/staff/login', { body: { username: 'cashier', password: 'guess-1' } })).status,
    ).toBe(401);
    expect(
      (await call(t, 'POST', '/xxpay/api/auth', { body: { username: 'cashier', password: 'guess-2' } })).body.code,
    ).not.toBe(0);
    expect(
      (await call(t, 'POST', '/v1/staff/login', { body: { username: 'cashier', password: 'guess-3' } })).status,
    ).toBe(401);
    const locked = await call(t, 'POST', '/v1/staff/login', { body: { username: 'cashier', password: 'cashier123' } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.details.reason).toBe('account_locked');
    const xxpay = await call(t, 'POST', '/xxpay/api/auth', { body: { username: 'cashier', password: 'cashier123' } });
    expect(xxpay.status).toBe(429);
    expect(xxpay.body.msg).toContain('账号已锁定');
    // a success in between resets the count: two failures, a success, two failures do not lock admin
    for (const password of ['g1', 'g2', 'admin123', 'g3', 'g4'])
      await call(t, 'POST', '/v1/staff/login', { body: { username: 'admin', password } });
    expect(
      (await call(t, 'POST', '/v1/staff/login', { body: { username: 'admin', password: 'admin123' } })).status,
    ).toBe(200);
  });

  it('counts wrong SMS codes against the member too', async () => {
    const { memberId } = await createMember(t);
    await t.ctx.db.updateTable('members').set({ mobile: '13711112222' }).where('id', '=', memberId).execute();
    const sms = (code: string) =>
      call(t, 'POST', '/yoshop/index.php?s=/api/passport/login', {
        body: { form: { mobile: '13711112222', smsCode: code } },
        headers: { platform: 'H5', 'access-token': 'false' },
      });
    for (let i = 0; i < 3; i++) expect((await sms('000000')).body.status).toBe(500);
    const locked = await sms('123456');
    expect(locked.status).toBe(429);
    expect(locked.body.message).toContain('账号已锁定');
  });
});

describe('body size and request time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bodyLimitBytes: 2048, requestTimeoutSeconds: 1 });
  });
  afterAll(() => t.close());

  it('refuses a body over ORDO_BODY_LIMIT_BYTES with 413 and changes nothing', async () => {
    const reply = await call(t, 'POST', '/v1/auth/register', {
      body: { username: 'big', password: 'secret123', nickname: 'x'.repeat(3000) },
    });
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe('payload_too_large');
    expect(
      await t.ctx.db.selectFrom('members').select('id').where('username', '=', 'big').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('answers 408 and closes the connection when a request does not arrive within ORDO_REQUEST_TIMEOUT_SECONDS', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // the headers promise 100 bytes of body; only 10 ever come
    socket.write(
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"usernam',
    );
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
