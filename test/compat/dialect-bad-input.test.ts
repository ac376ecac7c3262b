import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ApiReply } from '../support/api.ts';
import { createMember, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
let member: { memberId: number; token: string };
let cookie: string;
let orderNo: string;
let orderId: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  member = await createMember(t);
  await t.ctx.db.updateTable('members').set({ username: `bad${member.memberId}` }).where('id', '=', member.memberId).execute();
  const login = await t.app.inject({ method: 'POST', url: '/mall/user/login', payload: { username: `bad${member.memberId}`, password: 'secret123' } });
  cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const placed = await placeOrder(t, member.token, { lines: [{ productId: 10002, quantity: 1 }] });
  orderNo = placed.body.orderNo;
  orderId = placed.body.id;
});
afterAll(() => t.close());

async function fingerprint(): Promise<string> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely%' order by table_name`.execute(t.ctx.db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const { rows } = await sql<{ h: string }>`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${sql.table(table_name)} x`.execute(t.ctx.db);
    parts.push(`${table_name}:${rows[0]!.h}`);
  }
  return parts.join(',');
}

interface Case {
  label: string;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  auth?: 'session' | 'token' | 'staff' | 'none';
}

/** Each dialect's hostile requests and the test of its own error envelope. */
const DIALECTS: { name: string; isError: (reply: ApiReply) => boolean; cases: () => Case[] }[] = [
  {
    name: 'mall',
    isError: (r) => typeof r.body?.status === 'number' && r.body.status !== 0 && typeof r.body.msg === 'string',
    cases: () => [
      { label: 'malformed JSON', method: 'POST', url: '/mall/orders', body: '{"shippingId":', auth: 'session' },
      { label: 'shippingId as text', method: 'POST', url: '/mall/orders', body: '{"shippingId":"abc"}', auth: 'session' },
      { label: 'shippingId huge', method: 'POST', url: '/mall/orders', body: '{"shippingId":1e308}', auth: 'session' },
      { label: 'unknown shipping', method: 'POST', url: '/mall/orders', body: '{"shippingId":999999}', auth: 'session' },
      { label: 'mobile not 11 digits', method: 'POST', url: '/mall/shippings', body: '{"receiverName":"x","receiverMobile":"123","receiverProvince":"a","receiverCity":"b","receiverDistrict":"c","receiverAddress":"d"}', auth: 'session' },
      { label: 'cart product negative', method: 'POST', url: '/mall/carts', body: '{"productId":-1,"selected":true}', auth: 'session' },
      { label: 'cart quantity fractional', method: 'PUT', url: '/mall/carts/10002', body: '{"quantity":1.5,"selected":true}', auth: 'session' },
      { label: 'order number not a number', method: 'GET', url: "/mall/orders/' OR 1=1 --", auth: 'session' },
      { label: 'pay a missing order', method: 'POST', url: '/mall/pay', body: '{"orderId":"2099010100000001","payType":2}', auth: 'session' },
      { label: 'pay type unknown', method: 'POST', url: '/mall/pay', body: `{"orderId":"${orderNo}","payType":9}`, auth: 'session' },
      { label: 'form body', method: 'POST', url: '/mall/orders', body: 'shippingId=1', contentType: 'application/x-www-form-urlencoded', auth: 'session' },
      { label: 'not logged in', method: 'GET', url: '/mall/orders', auth: 'none' },
      { label: 'login without password', method: 'POST', url: '/mall/user/login', body: '{"username":"demo"}', auth: 'none' },
    ],
  },
  {
    name: 'storefront',
    isError: (r) => r.body?.status === 0 && typeof r.body.msg === 'string',
    cases: () => [
      { label: 'order_id as text', method: 'GET', url: '/storefront/api/order/detail?order_id=abc', auth: 'token' },
      { label: 'order_id missing', method: 'GET', url: '/storefront/api/order/detail', auth: 'token' },
      { label: 'order_id injection', method: 'GET', url: `/storefront/api/order/detail?order_id=${encodeURIComponent("1' OR '1'='1")}`, auth: 'token' },
      { label: 'order_id huge', method: 'GET', url: '/storefront/api/order/detail?order_id=99999999999999999999999', auth: 'token' },
      { label: 'lng out of range', method: 'GET', url: `/storefront/api/order/detail?order_id=${orderId}&lng=999&lat=22`, auth: 'token' },
      { label: 'lat alone', method: 'GET', url: `/storefront/api/order/detail?order_id=${orderId}&lat=22`, auth: 'token' },
      { label: 'no token', method: 'GET', url: `/storefront/api/order/detail?order_id=${orderId}`, auth: 'none' },
      { label: 'staff token', method: 'GET', url: `/storefront/api/order/detail?order_id=${orderId}`, auth: 'staff' },
      { label: 'list page zero', method: 'GET', url: '/storefront/api/order/list?page=0', auth: 'token' },
    ],
  },
  {
    name: 'wholesale',
    isError: (r) => r.body?.success === false && r.body.status === 1 && typeof r.body.message === 'string',
    cases: () => [
      { label: 'orderId missing', method: 'GET', url: '/wholesale/api/order/detail', auth: 'staff' },
      { label: 'orderId too long', method: 'GET', url: `/wholesale/api/order/detail?orderId=${'9'.repeat(200)}`, auth: 'staff' },
      { label: 'orderId injection', method: 'GET', url: `/wholesale/api/order/detail?orderId=${encodeURIComponent("' OR 1=1 --")}`, auth: 'staff' },
      { label: 'member token', method: 'GET', url: `/wholesale/api/order/detail?orderId=${orderNo}`, auth: 'token' },
      { label: 'no token', method: 'GET', url: `/wholesale/api/order/detail?orderId=${orderNo}`, auth: 'none' },
      { label: 'pageSize zero', method: 'GET', url: '/wholesale/api/order/list?pageSize=0', auth: 'staff' },
      { label: 'page not a number', method: 'GET', url: '/wholesale/api/order/list?page=abc', auth: 'staff' },
      { label: 'forged app signature', method: 'GET', url: `/wholesale/api/order/detail?orderId=${orderNo}`, auth: 'none' },
    ],
  },
];

describe('bad input to the dialects', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect.name}: every hostile request gets the dialect's own error envelope, never a 5xx, and changes nothing`, async () => {
      const before = await fingerprint();
      const problems: string[] = [];
      for (const c of dialect.cases()) {
        const headers: Record<string, string> = {};
        if (c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
        if (c.auth === 'session') headers.cookie = cookie;
        if (c.auth === 'token') headers.token = member.token;
        if (c.label === 'forged app signature') Object.assign(headers, { 'x-ordo-app-id': 'app_0000000000000000', 'x-ordo-timestamp': '1', 'x-ordo-nonce': 'nonce-123', 'x-ordo-signature': '0'.repeat(64) });
        const reply = await api(t, c.method, c.url, { body: c.body, headers, token: c.auth === 'staff' ? admin : undefined });
        if (reply.status >= 500) problems.push(`${c.label}: HTTP ${reply.status}`);
        else if (!dialect.isError(reply)) problems.push(`${c.label}: not the ${dialect.name} error envelope: ${JSON.stringify(reply.body).slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
      expect(await fingerprint()).toBe(before);
    });
  }
});
