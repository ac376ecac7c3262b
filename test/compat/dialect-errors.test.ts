import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { codedRefusal, installDialectErrors } from '../../src/compat/dialect-errors.ts';
import { AppError } from '../../src/errors.ts';

/** A dialect's plugin with one route per kind of failure, answering through the shared helper. */
async function probe(policy: { unhandledStatus: 200 | 500; notFoundStatus: 200 | 404 }) {
  const logged: unknown[] = [];
  const app = Fastify({
    logger: { level: 'error', stream: { write: (line: string) => logged.push(JSON.parse(line)) } },
  });
  await app.register(
    async (dialect) => {
      installDialectErrors(dialect, {
        name: 'probe',
        refusal: codedRefusal((code, message) => ({ ok: false, code, message })),
        failure: (message) => ({ ok: false, code: null, message }),
        busyMessage: '系统繁忙',
        unhandledStatus: policy.unhandledStatus,
        notFound: { status: policy.notFoundStatus, message: (method, path) => `接口不存在：${method} ${path}` },
      });
      dialect.get('/app-error', async () => {
        throw new AppError('not_found', 'order not found');
      });
      dialect.get('/bug', async () => {
        throw new TypeError('x is undefined');
      });
      dialect.get(
        '/needs',
        { schema: { querystring: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } },
        async () => ({}),
      );
      dialect.post('/body', async () => ({}));
    },
    { prefix: '/d' },
  );
  return { app, logged };
}

describe('installDialectErrors: one order of checks and one log line for the five dialects', () => {
  it('answers what the dialect refuses in its envelope with HTTP 200, and logs nothing', async () => {
    const { app, logged } = await probe({ unhandledStatus: 500, notFoundStatus: 404 });
    const appError = await app.inject({ method: 'GET', url: '/d/app-error' });
    expect([appError.statusCode, appError.json()]).toEqual([
      200,
      { ok: false, code: 'not_found', message: '订单不存在' },
    ]);
    const missing = await app.inject({ method: 'GET', url: '/d/needs' });
    expect([missing.statusCode, missing.json()]).toEqual([200, { ok: false, code: null, message: '缺少参数：id' }]);
    const badBody = await app.inject({
      method: 'POST',
      url: '/d/body',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(badBody.statusCode).toBe(200);
    expect(badBody.json().message).toBe('请求数据格式有误');
    expect(logged).toEqual([]);
    await app.close();
  });

  it('logs an error nobody meant under the dialect name and answers the busy message with the dialect status', async () => {
    for (const unhandledStatus of [200, 500] as const) {
      const { app, logged } = await probe({ unhandledStatus, notFoundStatus: 404 });
      const bug = await app.inject({ method: 'GET', url: '/d/bug' });
      expect([bug.statusCode, bug.json()]).toEqual([unhandledStatus, { ok: false, code: null, message: '系统繁忙' }]);
      expect(logged).toMatchObject([
        { msg: 'unhandled error in the probe dialect', err: { message: 'x is undefined' } },
      ]);
      await app.close();
    }
  });

  it('answers a route the dialect does not have in its envelope, with its status and the path without the query', async () => {
    for (const notFoundStatus of [200, 404] as const) {
      const { app } = await probe({ unhandledStatus: 500, notFoundStatus });
      const unknown = await app.inject({ method: 'GET', url: '/d/nowhere?secret=1' });
      expect([unknown.statusCode, unknown.json()]).toEqual([
        notFoundStatus,
        { ok: false, code: null, message: '接口不存在：GET /d/nowhere' },
      ]);
      await app.close();
    }
  });
});
