import { expect } from 'vitest';
import { answerHash } from '../../../src/auth/captchas.ts';
import { api } from '../../support/api.ts';
import type { TestApp } from '../../support/test-app.ts';

/**
 * Calls as the layui console makes them: jQuery GETs with a query string (POST: a form), the token in the
 * `Authorization` header; every answer is HTTP 200 with `{code, msg, data, count?}`.
 */
export async function consoleCall(
  t: TestApp,
  route: string,
  params: Record<string, string | number> = {},
  token: string | null = null,
  method: 'GET' | 'POST' = 'GET',
) {
  const form = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = token;
  if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  const url = `/xxpay/api/${route}${method === 'GET' && form ? `?${form}` : ''}`;
  const reply = await api(t, method, url, { headers, ...(method === 'POST' ? { body: form } : {}) });
  expect(reply.status).toBe(200);
  return reply.body;
}

/** Tests cannot read the picture: they give the stored captcha a known answer, as the picture would show it. */
export async function answerKnownToTest(t: TestApp, key: string, answer: string) {
  await t.ctx.db
    .updateTable('captchas')
    .set({ answer_hash: answerHash('xxpay-console', key, answer.toLowerCase()) })
    .where('scope', '=', 'xxpay-console')
    .where('key', '=', key)
    .execute();
}

/** The console's web login: the picture for a fresh key, then `auth` with it (GET, as jQuery sends it). */
export async function consoleLogin(t: TestApp, username: string, password: string): Promise<string> {
  const key = `Ab3dEf${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  const picture = await api(t, 'GET', `/xxpay/api/auth/vercode?vercodeRandomStr=${key}`);
  expect(picture.status).toBe(200);
  await answerKnownToTest(t, key, 'w7Xk');
  const login = await consoleCall(t, 'auth', {
    username,
    password,
    vercode: 'w7xk',
    vercodeRandomStr: key,
    loginType: 'web',
  });
  expect(login.code).toBe(0);
  return login.data.access_token;
}
