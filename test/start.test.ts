import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { signRequest } from '../src/merchants/signed-requests.ts';
import { READY_WAIT_MS } from './ops/support/ordo-process.ts';
import { emptyDatabase } from './support/empty-database.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** npm start builds first: the build's time on top of a start */
const START_WAIT_MS = READY_WAIT_MS + 60_000;
/** how long the gateway's notification may take to turn the order paid */
const PAID_WAIT_MS = 60_000;

async function waitForReady(base: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_WAIT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ordo exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ordo did not become ready:\n${output()}`);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Runs `npm start` the way the README says, on an empty database, and returns its base URL. */
async function startOrdo(env: Record<string, string>): Promise<{ base: string; output: () => string }> {
  const port = await freePort();
  let output = '';
  const child = spawn('npm', ['start'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(-child.pid!, 'SIGTERM');
      }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(base, child, () => output);
  return { base, output: () => output };
}

describe('npm start', () => {
  it(
    'serves ordo with demo data on an empty database, on the port from PORT',
    { timeout: START_WAIT_MS + PAID_WAIT_MS + 60_000 },
    async () => {
      const db = await emptyDatabase('start');
      cleanups.push(() => db.drop());
      const env = db.env;
      const { base, output } = await startOrdo(env);

      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(output()).toContain(`${base.replace('127.0.0.1', 'localhost')}/docs`);

      const login = await fetch(`${base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo', password: 'demo123' }),
      });
      expect(login.status).toBe(200);
      const byMobile = await fetch(`${base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mobile: '13800138000', password: 'demo123' }),
      });
      expect(byMobile.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const me = (await (await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        balance: number;
        points: number;
      };
      expect(me.balance).toBeGreaterThan(0);
      expect(me.points).toBeGreaterThan(0);

      for (const [username, password] of [
        ['admin', 'admin123'],
        ['cashier', 'cashier123'],
      ]) {
        const staff = await fetch(`${base}/v1/staff/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
        expect(staff.status).toBe(200);
      }

      const stores = (await (await fetch(`${base}/v1/stores`)).json()) as {
        id: number;
        logoUrl: string;
        phone: string;
        latitude: string;
      }[];
      expect(stores[0]).toMatchObject({ id: 10001 });
      expect(stores[0]!.logoUrl && stores[0]!.phone && stores[0]!.latitude).toBeTruthy();
      const phones = (await (await fetch(`${base}/v1/products?categoryId=100012`)).json()) as {
        total: number;
        items: { coverUrl: string; stock: number }[];
      };
      expect(phones.total).toBeGreaterThan(0);
      const image = await fetch(`${base}${phones.items[0]!.coverUrl}`);
      expect(image.headers.get('content-type')).toBe('image/svg+xml');
      const all = (await (await fetch(`${base}/v1/products?pageSize=100`)).json()) as {
        items: { options: unknown[]; stock: number }[];
      };
      expect(all.items.some((p) => p.options.length > 0 && p.stock > 0)).toBe(true);

      // Sandbox mode over real HTTP: ordo calls the simulated gateway on its own port, the gateway notifies back.
      const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const placed = (await (
        await fetch(`${base}/v1/orders`, {
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'start-test-1' },
          body: JSON.stringify({ lines: [{ productId: 10002, quantity: 1 }], delivery: 'pickup' }),
        })
      ).json()) as { orderNo: string };
      const started = (await (
        await fetch(`${base}/v1/orders/${placed.orderNo}/payments`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ method: 'wechat', channel: 'native', client: 'PC' }),
        })
      ).json()) as { action: { content: string } };
      expect(started.action.content).toMatch(/^weixin:\/\/wxpay\/bizpayurl/);
      const paid = await fetch(`${base}/sandbox/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: started.action.content }),
      });
      expect(paid.status).toBe(200);
      await expect
        .poll(
          async () =>
            (
              (await (await fetch(`${base}/v1/orders/${placed.orderNo}`, { headers: json })).json()) as {
                status: string;
              }
            ).status,
          { timeout: PAID_WAIT_MS },
        )
        .toBe('paid');

      // the demo app's credentials are printed once, and they sign merchant API calls
      const [, appId, secret] = output().match(/demo app +(app_[0-9a-f]{16}) +secret (\S+)/)!;
      const url = '/v1/merchant/trade-orders/2099010100000001';
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = signRequest(secret!, {
        method: 'GET',
        path: url,
        query: '',
        timestamp,
        nonce: 'start-test-nonce',
        body: '',
      });
      const signed = await fetch(`${base}${url}`, {
        headers: {
          'x-ordo-app-id': appId!,
          'x-ordo-timestamp': timestamp,
          'x-ordo-nonce': 'start-test-nonce',
          'x-ordo-signature': signature,
        },
      });
      expect(signed.status).toBe(404); // signed correctly: the trade order simply does not exist

      expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
      expect((await fetch(`${base}/docs`, { redirect: 'follow' })).status).toBe(200);
    },
  );
});
