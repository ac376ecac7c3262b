import { randomBytes } from 'node:crypto';
import { signRequest } from '../../src/merchants/signed-requests.ts';
import { api, type ApiReply } from './api.ts';
import type { TestApp } from './test-app.ts';

export interface TestMerchantApp {
  appId: string;
  secret: string;
}

export async function createMerchantApp(t: TestApp, admin: string, webhookUrl?: string): Promise<TestMerchantApp> {
  const reply = await api(t, 'POST', '/v1/admin/apps', {
    token: admin,
    body: { name: 'till', ...(webhookUrl ? { webhookUrl } : {}) },
  });
  if (reply.status !== 201) throw new Error(`app create failed: ${JSON.stringify(reply.body)}`);
  return { appId: reply.body.appId, secret: reply.body.secret };
}

/** Headers of a correctly signed merchant API request (tests may change any of them afterwards). */
export function signedHeaders(
  t: TestApp,
  app: TestMerchantApp,
  method: string,
  url: string,
  body: string,
  overrides: { timestamp?: number; nonce?: string } = {},
) {
  const [path, query = ''] = url.split('?');
  const timestamp = String(overrides.timestamp ?? Math.floor(t.clock.now().getTime() / 1000));
  const nonce = overrides.nonce ?? randomBytes(12).toString('hex');
  return {
    'content-type': 'application/json',
    'x-ordo-app-id': app.appId,
    'x-ordo-timestamp': timestamp,
    'x-ordo-nonce': nonce,
    'x-ordo-signature': signRequest(app.secret, { method, path: path!, query, timestamp, nonce, body }),
  };
}

export async function merchantCall(
  t: TestApp,
  app: TestMerchantApp,
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiReply> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const { 'content-type': contentType, ...signed } = signedHeaders(t, app, method, url, text);
  return api(t, method, url, {
    body: body === undefined ? undefined : text,
    headers: body === undefined ? signed : { ...signed, 'content-type': contentType },
  });
}
