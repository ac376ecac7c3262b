import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { startTestApp } from '../support/test-app.ts';

describe('logs', () => {
  it('carry a request id and never a token or a password', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const t = await startTestApp();
    try {
      const app = await buildApp({ ...t.ctx, log: createLogger('info', sink) });
      await app.inject({ method: 'GET', url: '/v1/orders/2026010100000001/stream?access_token=SECRET-QUERY-TOKEN' });
      await app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: 'Bearer SECRET-BEARER-TOKEN', 'x-request-id': 'req-42' },
      });
      await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: 'demo', password: 'SECRET-PASSWORD' },
      });
      await app.close();
    } finally {
      await t.close();
    }
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(4);
    expect(log).not.toContain('SECRET');
    expect(log).toContain('access_token=[redacted]');
    expect(lines.filter((l) => l.includes('/v1/me')).every((l) => JSON.parse(l).reqId === 'req-42')).toBe(true);
  });
});

describe('health probes', () => {
  const probeLines = async (level: 'info' | 'debug') => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const t = await startTestApp();
    try {
      const app = await buildApp({
        ...t.ctx,
        config: { ...t.ctx.config, logLevel: level },
        log: createLogger(level, sink),
      });
      for (const url of ['/healthz', '/readyz', '/healthz'])
        expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
      await app.inject({ method: 'GET', url: '/v1/products' });
      await app.close();
    } finally {
      await t.close();
    }
    return lines;
  };

  it('write no request lines at info (a poll every few seconds would drown the log), and do at debug', async () => {
    const atInfo = await probeLines('info');
    expect(atInfo.some((l) => l.includes('/v1/products'))).toBe(true);
    expect(atInfo.filter((l) => /\/(healthz|readyz)/.test(l))).toEqual([]);
    const atDebug = await probeLines('debug');
    expect(atDebug.filter((l) => /\/(healthz|readyz)/.test(l)).length).toBeGreaterThanOrEqual(3);
  });
});
