import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { api, type ApiReply } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { configProblems } from '../support/config-problems.ts';
import { DIALECT_ERROR, isCanonicalRefusal } from '../support/error-envelopes.ts';
import { createMerchantApp, signedHeaders, type TestMerchantApp } from '../support/merchant-api.ts';
import { changedTables, snapshotTables } from '../support/table-snapshot.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { yoshopBuyer } from '../support/yoshop-client.ts';

const LISTED = 'https://shop.example.com';
const ALSO_LISTED = 'http://localhost:5173';
const STRANGER = 'https://h5.elsewhere.cn';

/** The preflight a browser sends before a request with custom headers. */
async function preflight(
  t: TestApp,
  url: string,
  origin: string,
  method: string,
  headers: string[],
): Promise<ApiReply> {
  return api(t, 'OPTIONS', url, {
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers.join(',') },
  });
}

const corsHeaders = (reply: ApiReply) =>
  Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'));
const allowed = (reply: ApiReply, header: string) =>
  String(reply.headers[header] ?? '')
    .toLowerCase()
    .split(/\s*,\s*/);

interface Mount {
  name: string;
  url: string;
  method: string;
  /** the headers the mount's front end sends (the preflight asks for them) */
  headers: string[];
  /** the real request, signed in, as that front end sends it from `origin`; true when the mount answered it as a success */
  call(origin: string): Promise<{ reply: ApiReply; ok: boolean }>;
}

function tokenMounts(
  t: TestApp,
  actors: { member: string; staff: string; yoshop: string; merchantApp: TestMerchantApp },
): Mount[] {
  let seq = 0;
  return [
    {
      name: '/v1 (bearer)',
      url: '/v1/orders',
      method: 'POST',
      headers: ['authorization', 'content-type', 'idempotency-key'],
      async call(origin) {
        const reply = await api(t, 'GET', '/v1/orders', { token: actors.member, headers: { origin } });
        return { reply, ok: reply.status === 200 };
      },
    },
    {
      name: '/v1/merchant (signed)',
      url: '/v1/merchant/trade-orders',
      method: 'POST',
      headers: ['content-type', 'x-ordo-app-id', 'x-ordo-timestamp', 'x-ordo-nonce', 'x-ordo-signature'],
      async call(origin) {
        const body = JSON.stringify({
          merchantOrderNo: `CORS-${++seq}-${Date.now()}`,
          tradeType: 'sale',
          storeId: DEMO.merchantId,
          lines: [{ productId: null, title: '咖啡', listPrice: 1800, price: 1800, quantity: 1 }],
        });
        const reply = await api(t, 'POST', '/v1/merchant/trade-orders', {
          body,
          headers: { ...signedHeaders(t, actors.merchantApp, 'POST', '/v1/merchant/trade-orders', body), origin },
        });
        return { reply, ok: reply.status === 201 && reply.body.tradeType === 'sale' };
      },
    },
    {
      name: 'yoshop (Access-Token)',
      url: '/yoshop/index.php?s=/api/order/todoCounts',
      method: 'POST',
      headers: ['access-token', 'platform', 'storeid', 'content-type'],
      async call(origin) {
        const reply = await api(t, 'GET', '/yoshop/index.php?s=/api/order/todoCounts', {
          headers: { origin, 'access-token': actors.yoshop, platform: 'H5', storeid: String(DEMO.merchantId) },
        });
        return { reply, ok: reply.status === 200 && reply.body.status === 200 };
      },
    },
    {
      name: 'xxpay (Authorization)',
      url: '/xxpay/api/trade_order/list',
      method: 'POST',
      headers: ['authorization', 'content-type'],
      async call(origin) {
        const auth = await api(t, 'POST', '/xxpay/api/auth', {
          body: { username: 'admin', password: DEMO.staff.find((s) => s.username === 'admin')!.password },
          headers: { origin },
        });
        const reply = await api(t, 'POST', '/xxpay/api/trade_order/list', {
          body: {},
          headers: { origin, authorization: auth.body.data.access_token },
        });
        return { reply, ok: reply.status === 200 && reply.body.code === 0 };
      },
    },
    {
      name: 'storefront (token)',
      url: '/storefront/api/order/list',
      method: 'GET',
      headers: ['token'],
      async call(origin) {
        const reply = await api(t, 'GET', '/storefront/api/order/list', { headers: { origin, token: actors.member } });
        return { reply, ok: reply.status === 200 && reply.body.status === 200 };
      },
    },
    {
      name: 'wholesale (staff bearer)',
      url: '/wholesale/api/order/list',
      method: 'GET',
      headers: ['authorization'],
      async call(origin) {
        const reply = await api(t, 'GET', '/wholesale/api/order/list', { token: actors.staff, headers: { origin } });
        return { reply, ok: reply.status === 200 && reply.body.success === true };
      },
    },
  ];
}

async function signedInActors(t: TestApp) {
  const staff = await staffToken(t);
  return {
    member: (await createMember(t)).token,
    staff,
    yoshop: (await yoshopBuyer(t)).token,
    merchantApp: await createMerchantApp(t, staff),
  };
}

/** The mall's client signs in (a session cookie) and reads its user, both from `origin`. */
async function mallSession(t: TestApp, origin: string) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/mall/user/login',
    headers: { origin, 'content-type': 'application/json' },
    payload: { username: 'demo', password: DEMO.member.password },
  });
  const cookie = login.cookies.find((c) => c.name === 'MALL_SESSION');
  expect(cookie).toBeDefined();
  const user = await api(t, 'GET', '/mall/user', { headers: { origin, cookie: `MALL_SESSION=${cookie!.value}` } });
  expect(user.body).toMatchObject({ status: 0, data: { username: 'demo' } });
  return { login: { status: login.statusCode, headers: login.headers as ApiReply['headers'] }, user };
}

describe('CORS with no ORDO_CORS_ORIGINS', () => {
  let t: TestApp;
  let mounts: Mount[];
  beforeAll(async () => {
    t = await startTestApp();
    mounts = tokenMounts(t, await signedInActors(t));
  });
  afterAll(() => t.close());

  it("answers a preflight from any origin on every token mount, allowing that dialect's headers, cached, without credentials", async () => {
    for (const mount of mounts) {
      for (const origin of [STRANGER, 'http://192.168.1.20:8081']) {
        const reply = await preflight(t, mount.url, origin, mount.method, mount.headers);
        expect(reply.status, mount.name).toBe(204);
        expect(reply.headers['access-control-allow-origin'], mount.name).toBe('*');
        expect(reply.headers['access-control-allow-credentials'], mount.name).toBeUndefined();
        expect(allowed(reply, 'access-control-allow-methods'), mount.name).toContain(mount.method.toLowerCase());
        for (const header of mount.headers)
          expect(allowed(reply, 'access-control-allow-headers'), `${mount.name}: ${header}`).toContain(header);
        expect(reply.headers['access-control-max-age'], mount.name).toBe('600');
      }
    }
  });

  it('answers the signed-in request itself from any origin on every token mount, readable by the page', async () => {
    for (const mount of mounts) {
      const { reply, ok } = await mount.call(STRANGER);
      expect(ok, `${mount.name}: ${JSON.stringify(reply.body)}`).toBe(true);
      expect(reply.headers['access-control-allow-origin'], mount.name).toBe('*');
      expect(reply.headers['access-control-allow-credentials'], mount.name).toBeUndefined();
      expect(allowed(reply, 'access-control-expose-headers'), mount.name).toEqual(
        expect.arrayContaining(['x-request-id', 'retry-after']),
      );
    }
  });

  it('gives the mall (a cookie session) no CORS headers for any origin, refusing its preflight in the mall envelope and changing nothing', async () => {
    const before = await snapshotTables(t.ctx.db);
    const refused = await preflight(t, '/mall/carts', STRANGER, 'POST', ['content-type']);
    expect(refused.status).toBe(403);
    expect(DIALECT_ERROR.mall(refused)).toBe(true);
    expect(refused.body.msg).toContain(STRANGER);
    expect(corsHeaders(refused)).toEqual([]);
    expect(changedTables(before, await snapshotTables(t.ctx.db))).toEqual([]);
    // a request sent anyway (a simple one needs no preflight) is answered as before, unreadable by the other origin's page
    const { login, user } = await mallSession(t, STRANGER);
    expect(login.status).toBe(200);
    expect(corsHeaders(login as ApiReply)).toEqual([]);
    expect(corsHeaders(user)).toEqual([]);
  });

  it('answers an OPTIONS without an Origin as before: not found, in the mount envelope', async () => {
    expect(isCanonicalRefusal(await api(t, 'OPTIONS', '/v1/orders'))).toBe(true);
    const yoshop = await api(t, 'OPTIONS', '/yoshop/index.php');
    expect(yoshop.status).toBe(404);
    expect(DIALECT_ERROR.yoshop(yoshop)).toBe(true);
  });
});

describe('CORS with ORDO_CORS_ORIGINS', () => {
  let t: TestApp;
  let mounts: Mount[];
  beforeAll(async () => {
    t = await startTestApp({ corsOrigins: [LISTED, ALSO_LISTED] });
    mounts = tokenMounts(t, await signedInActors(t));
  });
  afterAll(() => t.close());

  it('lets a listed origin use the mall session with credentials, answering its exact origin (never *)', async () => {
    for (const origin of [LISTED, ALSO_LISTED]) {
      const reply = await preflight(t, '/mall/carts', origin, 'POST', ['content-type', 'x-requested-with']);
      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBe(origin);
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      expect(String(reply.headers.vary)).toMatch(/origin/i);
      expect(reply.headers['access-control-max-age']).toBe('600');

      const { login, user } = await mallSession(t, origin);
      expect(login.headers['access-control-allow-origin']).toBe(origin);
      expect(login.headers['access-control-allow-credentials']).toBe('true');
      expect(user.headers['access-control-allow-origin']).toBe(origin);
      expect(user.headers['access-control-allow-credentials']).toBe('true');
    }
  });

  it('narrows every token mount to the listed origins, still without credentials', async () => {
    for (const mount of mounts) {
      const reply = await preflight(t, mount.url, ALSO_LISTED, mount.method, mount.headers);
      expect(reply.status, mount.name).toBe(204);
      expect(reply.headers['access-control-allow-origin'], mount.name).toBe(ALSO_LISTED);
      expect(reply.headers['access-control-allow-credentials'], mount.name).toBeUndefined();
      const { reply: answer, ok } = await mount.call(LISTED);
      expect(ok, mount.name).toBe(true);
      expect(answer.headers['access-control-allow-origin'], mount.name).toBe(LISTED);
    }
  });

  it('gives an unlisted origin no CORS headers on any mount, and its refused preflights change nothing', async () => {
    const before = await snapshotTables(t.ctx.db);
    for (const mount of [...mounts, { name: 'mall', url: '/mall/carts', method: 'POST', headers: ['content-type'] }]) {
      const refused = await preflight(t, mount.url, STRANGER, mount.method, mount.headers);
      expect(refused.status, mount.name).toBe(403);
      expect(corsHeaders(refused), mount.name).toEqual([]);
    }
    expect(isCanonicalRefusal(await preflight(t, '/v1/orders', STRANGER, 'POST', ['authorization']))).toBe(true);
    for (const dialect of ['yoshop', 'xxpay', 'storefront', 'wholesale'] as const) {
      const url = mounts.find((m) => m.url.startsWith(`/${dialect}/`))!.url;
      expect(DIALECT_ERROR[dialect](await preflight(t, url, STRANGER, 'GET', [])), dialect).toBe(true);
    }
    expect(changedTables(before, await snapshotTables(t.ctx.db))).toEqual([]);
    for (const mount of mounts) {
      const { reply } = await mount.call(STRANGER);
      expect(corsHeaders(reply), mount.name).toEqual([]);
    }
  });
});

describe('CORS settings at start', () => {
  it('reads ORDO_CORS_ORIGINS as exact origins, the way browsers send them', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(
      loadConfig({
        ORDO_CORS_ORIGINS: ' https://Shop.Example.com/ , http://localhost:5173,https://shop.example.com:443',
      }).corsOrigins,
    ).toEqual(['https://shop.example.com', 'http://localhost:5173']);
    expect(loadConfig({}).corsMaxAgeSeconds).toBe(600);
    expect(loadConfig({ ORDO_CORS_MAX_AGE_SECONDS: '7200' }).corsMaxAgeSeconds).toBe(7200);
  });

  it('refuses a wildcard, a path, another scheme or a bare host, naming each', () => {
    for (const bad of [
      '*',
      'https://*.example.com',
      'https://shop.example.com/h5',
      'ftp://shop.example.com',
      'shop.example.com',
      'https://user@shop.example.com',
      'null',
    ]) {
      expect(configProblems({ ORDO_CORS_ORIGINS: `https://ok.example.com,${bad}` }), bad).toEqual([
        expect.stringContaining(`ORDO_CORS_ORIGINS must list origins such as https://shop.example.com`),
      ]);
      expect(configProblems({ ORDO_CORS_ORIGINS: bad })[0], bad).toContain(`got "${bad}"`);
    }
    expect(configProblems({ ORDO_CORS_MAX_AGE_SECONDS: 'a day' })).toEqual([
      'ORDO_CORS_MAX_AGE_SECONDS must be a whole number from 0 to 86400, got "a day"',
    ]);
  });
});
