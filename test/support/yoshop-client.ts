import { expect } from 'vitest';
import { createMember } from './actors.ts';
import type { TestApp } from './test-app.ts';

export interface YoshopOptions {
  token?: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /** a body sent as is (malformed JSON) */
  raw?: string;
  /** the `storeId` header, sent when the client is configured for a store (the dialect's default is 10001) */
  storeId?: number;
}

/** A call as the YoShop uniapp makes it: `index.php?s=/api/<route>&k=v`, `platform` and `Access-Token` headers. */
export async function yoshopCall(
  t: TestApp,
  method: 'GET' | 'POST',
  route: string,
  options: YoshopOptions = {},
): Promise<{ http: number; body: any }> {
  const qs = Object.entries(options.query ?? {})
    .map(([k, v]) => `&${k}=${encodeURIComponent(String(v))}`)
    .join('');
  const response = await t.app.inject({
    method,
    url: `/yoshop/index.php?s=/api/${route}${qs}`,
    headers: {
      platform: 'H5',
      'access-token': options.token ?? 'false',
      'content-type': 'application/json;charset=utf-8',
      ...(options.storeId === undefined ? {} : { storeid: String(options.storeId) }),
    },
    ...(options.raw !== undefined
      ? { payload: options.raw }
      : options.body === undefined
        ? {}
        : { payload: JSON.stringify(options.body) }),
  });
  return { http: response.statusCode, body: response.json() };
}

/** The same call, asserting the dialect's rule that every answer is HTTP 200; returns the envelope. */
export async function yoshop(
  t: TestApp,
  method: 'GET' | 'POST',
  route: string,
  options: YoshopOptions = {},
): Promise<any> {
  const reply = await yoshopCall(t, method, route, options);
  expect(reply.http).toBe(200);
  return reply.body;
}

/** The address form pages/address/create sends: the region as the picker's three `{label, value}`. */
export const ADDRESS_FORM = {
  name: '张三',
  phone: '13800001111',
  region: [
    { label: '北京市', value: 1 },
    { label: '北京市', value: 2 },
    { label: '昌平区', value: 110114 },
  ],
  detail: '回龙观 1 号',
};

let mobileCounter = 0;

/** A member with a unique mobile number and some balance, signed in through passport/login, with one address. */
export async function yoshopBuyer(t: TestApp, balanceFen = 0, mobilePrefix = '139') {
  const member = await createMember(t);
  const mobile = `${mobilePrefix}${String(process.pid % 10000).padStart(4, '0')}${String(++mobileCounter).padStart(4, '0')}`;
  await t.ctx.db
    .updateTable('members')
    .set({ mobile, balance: balanceFen })
    .where('id', '=', member.memberId)
    .execute();
  const login = await yoshop(t, 'POST', 'passport/login', { body: { form: { mobile, password: 'secret123' } } });
  expect(login.status).toBe(200);
  const token = login.data.token as string;
  const added = await yoshop(t, 'POST', 'address/add', { token, body: { form: ADDRESS_FORM } });
  expect(added.status).toBe(200);
  return { ...member, token, mobile };
}
