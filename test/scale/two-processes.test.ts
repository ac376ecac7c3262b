import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { builtEntryArgs, type Entry } from '../../scripts/built-entry.ts';
import { READY_WAIT_MS } from '../ops/support/ordo-process.ts';
import { databaseUrlFor } from '../support/postgres-urls.ts';
import { eventReader } from '../support/event-stream.ts';

const repo = join(import.meta.dirname, '../..');
const serverUrl = process.env.DATABASE_URL;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Ordo {
  base: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a built entry as its own process (as `npm start` / `npm run serve` run it) and collects its output. */
function runOrdo(entry: Entry, args: string[], env: Record<string, string>): Omit<Ordo, 'base'> {
  let output = '';
  const child = spawn(process.execPath, [...builtEntryArgs(entry), ...args], {
    cwd: repo,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function startOrdo(env: Record<string, string>): Promise<Ordo> {
  const port = await freePort();
  const ordo = runOrdo('main', [], { ...env, PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_WAIT_MS;
  while (Date.now() < deadline) {
    if (ordo.child.exitCode !== null) throw new Error(`ordo exited with ${ordo.child.exitCode}:\n${ordo.output()}`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { ...ordo, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ordo did not become ready:\n${ordo.output()}`);
}

async function stop(ordo: Omit<Ordo, 'base'>): Promise<void> {
  if (ordo.child.exitCode === null) ordo.child.kill('SIGTERM');
  await ordo.exited;
}

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: await response.json() };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('ordo serve --workers on the embedded database', () => {
  it('refuses more than one worker on PGlite with a clear message and exit code 2, before touching the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ordo-serve-'));
    try {
      const serve = runOrdo('serve', ['--workers', '2'], {
        DATABASE_URL: '',
        ORDO_DATA_DIR: dataDir,
        PORT: String(await freePort()),
      });
      expect(await serve.exited).toBe(2);
      expect(serve.output()).toContain('--workers 2 needs PostgreSQL');
      expect(serve.output()).toContain('embedded PGlite database belongs to one process');
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a worker count that is not a whole number', async () => {
    const serve = runOrdo('serve', ['--workers', 'many'], {
      DATABASE_URL: '',
      ORDO_DATA_DIR: join(tmpdir(), 'ordo-serve-unused'),
    });
    expect(await serve.exited).toBe(2);
    expect(serve.output()).toContain('--workers must be a whole number');
    expect(existsSync(join(tmpdir(), 'ordo-serve-unused'))).toBe(false);
  });
});

// Two real processes need a database both can open: PostgreSQL. (The embedded PGlite is one process; the tests
// above prove that the several-process entry refuses it.)
if (serverUrl) {
  describe('two ordo processes on one PostgreSQL database', () => {
    const name = `ordo_scale_${process.pid}_${randomBytes(4).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'ordo-scale-'));
    let admin: DatabaseHandle;
    let db: DatabaseHandle;
    let a: Ordo;
    let b: Ordo;
    let receiver: Server;
    const received: string[] = [];
    let productId: number;
    let member: string;
    let staffToken: string;

    beforeAll(async () => {
      admin = await openDatabase({ databaseUrl: serverUrl, poolSize: 1 });
      await sql.raw(`create database ${name} template ${inject('pgTemplate')}`).execute(admin.db);
      const url = databaseUrlFor(serverUrl, name);
      db = await openDatabase({ databaseUrl: url, poolSize: 2 });
      const product = await db.db
        .insertInto('products')
        .values({
          merchant_id: DEMO.merchantId,
          store_id: DEMO.storeId,
          category_id: 100014,
          title: 'scale test socks',
          internal_title: 'socks',
          article_no: 'SOCKS',
          price: 100,
          list_price: 100,
          stock: 1000,
          cover_url: '',
          image_urls: JSON.stringify([]),
          detail: '',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      productId = product.id;

      receiver = createHttpServer((req, res) => {
        received.push(String(req.headers['x-ordo-event-id']));
        req.resume().on('end', () => res.end('ok'));
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

      // both processes share the master key (sealed app secrets) and the sandbox keys, as a deployment would
      writeFileSync(join(dataDir, 'sandbox-keys.json'), inject('sandboxKeys'));
      const env = {
        DATABASE_URL: url,
        ORDO_DATA_DIR: dataDir,
        ORDO_MASTER_KEY: randomBytes(32).toString('base64'),
        ORDO_EXPIRY_SWEEP_SECONDS: '1',
        ORDO_WEBHOOK_SECONDS: '1',
      };
      [a, b] = await Promise.all([startOrdo(env), startOrdo(env)]);

      const staff = await call(a.base, 'POST', '/v1/staff/login', {
        body: { username: 'admin', password: 'admin123' },
      });
      staffToken = staff.body.token;
      const app = await call(a.base, 'POST', '/v1/admin/apps', {
        token: staff.body.token,
        body: {
          name: 'webhook counter',
          webhookUrl: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`,
        },
      });
      expect(app.status).toBe(201);
      member = (
        await call(b.base, 'POST', '/v1/auth/login', {
          body: { username: DEMO.member.username, password: DEMO.member.password },
        })
      ).body.token;
    }, READY_WAIT_MS + 60_000);

    afterAll(async () => {
      await Promise.all([a && stop(a), b && stop(b)]);
      receiver?.close();
      await db?.close();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const placeOrder = async (base: string) => {
      const placed = await call(base, 'POST', '/v1/orders', {
        token: member,
        body: { lines: [{ productId, quantity: 1 }], delivery: 'pickup' },
      });
      expect(placed.status).toBe(201);
      return placed.body.orderNo as string;
    };
    const stock = async () =>
      (await db.db.selectFrom('products').select('stock').where('id', '=', productId).executeTakeFirstOrThrow()).stock;

    it('a client streaming from process A hears the payment made through process B', async () => {
      const orderNo = await placeOrder(a.base);
      const abort = new AbortController();
      const response = await fetch(`${a.base}/v1/orders/${orderNo}/stream?access_token=${member}`, {
        signal: abort.signal,
      });
      const next = eventReader(response.body!);
      expect(await next()).toEqual({ orderNo, status: 'pending_payment', paymentStatus: 'unpaid' });

      const paid = await call(b.base, 'POST', `/v1/orders/${orderNo}/payments`, {
        token: member,
        body: { method: 'balance', client: 'H5' },
      });
      expect(paid.status).toBe(200);
      expect(await next()).toEqual({ orderNo, status: 'paid', paymentStatus: 'paid' });
      abort.abort();
    });

    it("staff watching the merchant's orders on process A hear an order placed and paid through process B", async () => {
      const abort = new AbortController();
      const response = await fetch(`${a.base}/v1/admin/orders/stream?access_token=${staffToken}`, {
        signal: abort.signal,
      });
      const next = eventReader(response.body!);
      const orderNo = await placeOrder(b.base);
      expect(await next()).toEqual({ orderNo, status: 'pending_payment', paymentStatus: 'unpaid' });
      expect(
        (
          await call(b.base, 'POST', `/v1/orders/${orderNo}/payments`, {
            token: member,
            body: { method: 'balance', client: 'H5' },
          })
        ).status,
      ).toBe(200);
      expect(await next()).toEqual({ orderNo, status: 'paid', paymentStatus: 'paid' });
      abort.abort();
    });

    it('both processes sweep expired orders, and each order is closed once with its stock given back once', async () => {
      const before = await stock();
      const orderNos: string[] = [];
      for (let i = 0; i < 20; i++) orderNos.push(await placeOrder(i % 2 ? a.base : b.base));
      expect(await stock()).toBe(before - 20);

      await db.db
        .updateTable('orders')
        .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
        .where('order_no', 'in', orderNos)
        .execute();
      await eventually('every order closed', async () => {
        const open = await db.db
          .selectFrom('orders')
          .select('id')
          .where('order_no', 'in', orderNos)
          .where('status', '!=', 'closed')
          .execute();
        return open.length === 0 ? true : undefined;
      });
      const closings = await db.db
        .selectFrom('order_events')
        .innerJoin('orders', 'orders.id', 'order_events.order_id')
        .select(['orders.order_no', (eb) => eb.fn.countAll<number>().as('n')])
        .where('orders.order_no', 'in', orderNos)
        .where('order_events.to_status', '=', 'closed')
        .groupBy('orders.order_no')
        .execute();
      expect(closings).toHaveLength(20);
      expect(closings.every((c) => Number(c.n) === 1)).toBe(true);
      expect(await stock()).toBe(before);
    });

    it('both processes send webhooks, and every delivery reaches the receiver exactly once', async () => {
      const deliveries = await eventually('all deliveries sent', async () => {
        const rows = await db.db
          .selectFrom('webhook_deliveries')
          .select(['outbox_event_id', 'status', 'attempts'])
          .execute();
        return rows.length > 0 && rows.every((r) => r.status === 'delivered') ? rows : undefined;
      });
      // an event for the paid order and one for each of the 20 closed ones at least, sent by whichever process claims it
      expect(deliveries.length).toBeGreaterThanOrEqual(21);
      expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
      expect([...received].sort()).toEqual(deliveries.map((d) => String(d.outbox_event_id)).sort());
      expect(new Set(received).size).toBe(received.length);
    });

    it(
      'ordo serve --workers 2 serves the same database from two worker processes and stops cleanly',
      async () => {
        const port = await freePort();
        const serve = runOrdo('serve', ['--workers', '2'], {
          DATABASE_URL: databaseUrlFor(serverUrl, name),
          ORDO_DATA_DIR: dataDir,
          PORT: String(port),
          ORDO_MASTER_KEY: randomBytes(32).toString('base64'),
        });
        try {
          await eventually(
            'both workers ready',
            async () => ((serve.output().match(/ordo is ready/g) ?? []).length === 2 ? true : undefined),
            READY_WAIT_MS,
          );
          expect(serve.output()).toContain('ordo serve: 2 workers on port');
          const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
          expect(ready.status).toBe(200);
        } finally {
          serve.child.kill('SIGTERM');
        }
        expect(await serve.exited).toBe(0);
      },
      READY_WAIT_MS + 60_000,
    );
  });
}
