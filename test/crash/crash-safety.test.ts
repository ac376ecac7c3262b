import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../support/empty-database.ts';
import { freePort, spawnOrdo, stopOrdo, waitForReady, type OrdoProcess } from '../ops/support/ordo-process.ts';
import { moneyViolations, takeBaseline } from './money-invariants.ts';
import { runShopLoad, type LoadCounts, type LoadTarget } from './shop-load.ts';

/**
 * Crash safety: a real ordo process (src/main.ts, as `npm start` runs it) under checkout + payment + refund load is
 * killed with SIGKILL at random moments, restarted on the same database and port, and finally left to let its
 * jobs catch up; then the money invariants must hold. On PostgreSQL the database survives each kill; on PGlite the
 * killed process is the database too, and the next start recovers the data folder from its write-ahead log.
 * A webhook receiver starts down and comes up after the second kill: every event must still arrive.
 */

const KILLS = 5;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-crash-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const json = async (base: string, method: string, path: string, token: string | null, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const out = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(out)}`);
  return out;
};

/** A webhook receiver on a fixed port, listening only once `up()` is called; it records the event ids it got. */
function webhookReceiver(port: number) {
  const received = new Set<number>();
  let server: Server | undefined;
  return {
    received,
    up: () =>
      new Promise<void>((resolve) => {
        server = createServer((request, response) => {
          let body = '';
          request.on('data', (chunk) => (body += chunk));
          request.on('end', () => {
            received.add(Number(JSON.parse(body).id));
            response.writeHead(200).end('ok');
          });
        }).listen(port, '127.0.0.1', () => resolve());
      }),
    down: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

describe('crash safety', () => {
  it(`keeps every money invariant through ${KILLS} SIGKILLs under checkout, payment and refund load`, { timeout: 240_000 }, async () => {
    const db = await emptyDatabase('crash');
    cleanups.push(() => db.drop());
    const port = await freePort();
    const receiverPort = await freePort();
    const receiver = webhookReceiver(receiverPort);
    cleanups.push(() => receiver.down());
    const env = {
      ...db.env,
      // keys and the master key live in the data folder (the PGlite database too, when there is no DATABASE_URL)
      ORDO_DATA_DIR: db.env.ORDO_DATA_DIR ?? dataDir(),
      LOG_LEVEL: 'warn',
      ORDO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ORDO_EXPIRY_SWEEP_SECONDS: '1',
      ORDO_RECONCILE_SECONDS: '1',
      ORDO_WEBHOOK_SECONDS: '1',
      ORDO_ORDER_TIMER_SECONDS: '1',
      ORDO_SIGN_IN_LIMIT_PER_IP: '100000',
      ORDO_PAYMENT_START_LIMIT_PER_IP: '100000',
      ORDO_PAYMENT_START_LIMIT_PER_ACCOUNT: '100000',
    };
    let ordo: OrdoProcess = await spawnOrdo(env, port);
    cleanups.push(() => stopOrdo(ordo));
    await waitForReady(ordo);
    const base = ordo.base;

    // Set-up through the API: two products (one with options), a merchant app whose webhooks go to the receiver.
    const admin = (await json(base, 'POST', '/v1/staff/login', null, { username: 'admin', password: 'admin123' })).token as string;
    const member = (await json(base, 'POST', '/v1/auth/login', null, { username: 'demo', password: 'demo123' })).token as string;
    const plain = await json(base, 'POST', '/v1/admin/products', admin, { title: 'Crash plain', categoryId: 100012, storeId: 10001, price: 37, stock: 100_000 });
    const optioned = await json(base, 'POST', '/v1/admin/products', admin, { title: 'Crash options', categoryId: 100012, storeId: 10001, price: 53, stock: 20_000, options: [{ title: 'S', stock: 10_000 }, { title: 'L', stock: 10_000 }] });
    await json(base, 'POST', '/v1/admin/apps', admin, { name: 'crash receiver', webhookUrl: `http://127.0.0.1:${receiverPort}/hook` });
    // the baseline is read with ordo stopped (an embedded database has one owner)
    ordo.child.kill('SIGTERM');
    await ordo.exited;
    const baseline = await (async () => {
      const handle = await db.open();
      try {
        return await takeBaseline(handle.db);
      } finally {
        await handle.close();
      }
    })();

    const target: LoadTarget = {
      base,
      memberToken: member,
      adminToken: admin,
      products: [
        { id: plain.id, optionIds: [] },
        { id: optioned.id, optionIds: [optioned.options[0].id] },
        { id: optioned.id, optionIds: [optioned.options[1].id] },
      ],
    };
    const counts: LoadCounts = { ordersPlaced: 0, paymentsStarted: 0, refundsApproved: 0, failedRequests: 0 };
    ordo = await spawnOrdo(env, port);
    await waitForReady(ordo);
    let stopped = false;
    const load = runShopLoad(target, 3, () => stopped, counts);
    let kills = 0;
    while (kills < KILLS) {
      await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 3_000));
      ordo.child.kill('SIGKILL');
      await ordo.exited;
      kills += 1;
      if (kills === 2) await receiver.up();
      ordo = await spawnOrdo(env, port);
      await waitForReady(ordo);
    }
    await new Promise((r) => setTimeout(r, 2_000)); // some load on the last process too
    stopped = true;
    await load;

    // Jobs catch up: every webhook delivery reaches the receiver (retries back off, so this can take a while).
    const deadline = Date.now() + 100_000;
    let pending = -1;
    while (Date.now() < deadline) {
      pending = (await json(base, 'GET', '/v1/admin/webhook-deliveries?status=pending&limit=200', admin)).items.length;
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    ordo.child.kill('SIGTERM');
    await ordo.exited;

    const handle = await db.open();
    const violations = await moneyViolations(handle.db, baseline, receiver.received).finally(() => handle.close());
    console.info(
      `crash safety (${db.env.ORDO_DATA_DIR ? 'PGlite' : 'PostgreSQL'}): ${kills} kills, ${counts.ordersPlaced} orders, ${counts.paymentsStarted} payments started, ${counts.refundsApproved} refunds approved, ${counts.failedRequests} requests lost to kills, ${receiver.received.size} events received; ${violations.length} violations`,
    );
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(counts.ordersPlaced).toBeGreaterThan(20);
    expect(counts.refundsApproved).toBeGreaterThan(0);
    expect(receiver.received.size).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });
});
