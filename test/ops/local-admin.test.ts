import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ADMIN_PATH, localAdminFile } from '../../src/cli/local-admin.ts';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { buildApp } from '../../src/http/app.ts';
import { createContext } from '../../src/boot/create-context.ts';
import { openConfiguredDatabase } from '../../src/boot/open-database.ts';

/**
 * The route the CLI uses while ordo holds a PGlite folder. It exists only in a process that holds one, so this test
 * holds a folder of its own; on PostgreSQL the CLI opens the database itself and there is no such route.
 */
describe.skipIf(!!process.env.DATABASE_URL)(
  'the local admin route (PGlite only: on PostgreSQL the CLI needs no server)',
  () => {
    let dataDir: string;
    let handle: DatabaseHandle;
    let app: FastifyInstance;
    let token: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'ordo-local-admin-'));
      const config = { ...loadConfig({}), dataDir, logLevel: 'silent', trustProxy: true, seedDemo: false };
      handle = await openConfiguredDatabase(config);
      app = await buildApp(createContext(config, handle));
      await app.listen({ port: 0, host: '127.0.0.1' });
      token = (JSON.parse(readFileSync(localAdminFile(dataDir), 'utf8')) as { token: string }).token;
    }, 300_000);
    afterAll(async () => {
      await app?.close();
      await handle?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }, 120_000);

    const send = (options: {
      token?: string;
      remoteAddress?: string;
      headers?: Record<string, string>;
      command?: string;
    }) =>
      app.inject({
        method: 'POST',
        url: LOCAL_ADMIN_PATH,
        remoteAddress: options.remoteAddress ?? '127.0.0.1',
        headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
        payload: { command: options.command ?? 'merchant create', options: { name: '本机' } },
      });
    const merchants = async () => (await handle.db.selectFrom('merchants').select('id').execute()).length;

    it('writes its pid, loopback URL and token for the CLI, readable by its user only', () => {
      const file = localAdminFile(dataDir);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const written = JSON.parse(readFileSync(file, 'utf8'));
      expect(written).toMatchObject({
        pid: process.pid,
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        token: expect.stringMatching(/^[\w-]{43}$/),
      });
    });

    it('refuses a missing or wrong token, and any caller not on loopback — X-Forwarded-For cannot make one look local — changing nothing', async () => {
      const before = await merchants();
      for (const attempt of [
        {},
        { token: 'wrong' },
        { token: `${token}x` },
        { token, remoteAddress: '10.0.0.5' },
        { token, remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '127.0.0.1' } },
      ]) {
        const reply = await send(attempt);
        expect({ attempt, status: reply.statusCode, code: reply.json().error.code }).toEqual({
          attempt,
          status: 403,
          code: 'forbidden',
        });
      }
      expect(await merchants()).toBe(before);
    });

    it('runs a CLI command with the token from loopback, IPv4 or IPv6', async () => {
      const before = await merchants();
      const reply = await send({ token });
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toMatchObject({
        exitCode: 0,
        output: expect.stringMatching(/^merchant \d+, store \d+, admin admin\d+ \/ \S+ \(shown once\)$/),
      });
      expect((await send({ token, remoteAddress: '::1' })).json()).toMatchObject({ exitCode: 0 });
      expect(await merchants()).toBe(before + 2);
      expect((await send({ token, command: 'drop everything' })).statusCode).toBe(404);
    });

    it('is not in the public API document', async () => {
      expect(JSON.stringify((await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths)).not.toContain(
        'local-admin',
      );
    });
  },
);
