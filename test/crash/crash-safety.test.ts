import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { emptyDatabase, type EmptyDatabase } from '../support/empty-database.ts';
import {
  freePort,
  READY_WAIT_MS,
  spawnOrdo,
  stopOrdo,
  waitForReady,
  type OrdoProcess,
} from '../ops/support/ordo-process.ts';
import { moneyViolations, takeBaseline } from './money-invariants.ts';
import { runShopLoad, type LoadCounts, type LoadTarget } from './shop-load.ts';

/**
 * Crash safety: a real ordo process (src/main.ts, as `npm start` runs it) under checkout + payment + refund load is
 * killed with SIGKILL at random moments, restarted on the same database and port, and finally left to let its
 * jobs catch up; then the money invariants must hold. On PostgreSQL the database survives each kill; on PGlite the
 * killed process is the database too, and the next start recovers the data folder from its write-ahead log.
 * A webhook receiver starts down and comes up after the second kill: every event must still arrive.
 * Nothing here is timed for a quiet machine: a process is killed once the load has placed orders on it, and the
 * checker runs once the jobs have caught up, each wait bounded generously enough for a machine busy with other work.
 */

const KILLS = 5;
/** orders the load places on each process before it is killed (a few seconds' work on a quiet machine) */
const ORDERS_PER_PROCESS = 5;
/** how long one process may take to place them */
const PROGRESS_WAIT_MS = 60_000;
/** a kill lands at a random moment up to this long after that */
const KILL_JITTER_MS = 3_000;
/** how long the shoppers may take to finish their requests in flight once told to stop (each gives up after 10 s) */
const LOAD_STOP_MS = 60_000;
/**
 * How long the jobs get to deliver every webhook after the load: a retry after the receiver was down waits 10 s, 20 s,
 * 40 s, 80 s…, and a delivery whose attempt a kill interrupted waits out its lease (a minute).
 */
const CATCH_UP_MS = 300_000;
/** starts of ordo after the load, to deliver what appeared just as the previous one stopped (see the catch-up below) */
const CATCH_UP_STARTS = 3;
const STARTS = 2 + KILLS + CATCH_UP_STARTS;
const TEST_TIMEOUT_MS =
  STARTS * READY_WAIT_MS + (KILLS + 1) * (PROGRESS_WAIT_MS + KILL_JITTER_MS) + LOAD_STOP_MS + CATCH_UP_MS + 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls `condition` until it holds (true) or `ms` have passed (false). */
async function until(condition: () => boolean | Promise<boolean>, ms: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-crash-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens the database from the test, while no ordo runs on it (an embedded database has one owner). */
async function withDatabase<T>(db: EmptyDatabase, use: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await db.open();
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

const json = async (base: string, method: string, path: string, token: string | null, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
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
  it(
    `keeps every money invariant through ${KILLS} SIGKILLs under checkout, payment and refund load`,
    { timeout: TEST_TIMEOUT_MS },
    async () => {
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
      const admin = (await json(base, 'POST', '/v1/staff/login', null, { username: 'admin', password: 'admin123' }))
        .token as string;
      const member = (await json(base, 'POST', '/v1/auth/login', null, { username: 'demo', password: 'demo123' }))
        .token as string;
      const plain = await json(base, 'POST', '/v1/admin/products', admin, {
        title: 'Crash plain',
        categoryId: 100012,
        storeId: 10001,
        price: 37,
        stock: 100_000,
      });
      const optioned = await json(base, 'POST', '/v1/admin/products', admin, {
        title: 'Crash options',
        categoryId: 100012,
        storeId: 10001,
        price: 53,
        stock: 20_000,
        options: [
          { title: 'S', stock: 10_000 },
          { title: 'L', stock: 10_000 },
        ],
      });
      await json(base, 'POST', '/v1/admin/apps', admin, {
        name: 'crash receiver',
        webhookUrl: `http://127.0.0.1:${receiverPort}/hook`,
      });
      // the baseline is read with ordo stopped (an embedded database has one owner)
      ordo.child.kill('SIGTERM');
      await ordo.exited;
      const baseline = await withDatabase(db, (handle) => takeBaseline(handle.db));

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
      /** lets the load place ORDERS_PER_PROCESS orders on the running process (and meet `also`, when given) */
      const loadProgresses = async (where: string, also: () => boolean = () => true) => {
        const from = counts.ordersPlaced;
        if (!(await until(() => counts.ordersPlaced >= from + ORDERS_PER_PROCESS && also(), PROGRESS_WAIT_MS))) {
          throw new Error(
            `the load made too little progress ${where} in ${PROGRESS_WAIT_MS / 1000} s: ${JSON.stringify(counts)}\n${ordo.output()}`,
          );
        }
      };
      let kills = 0;
      while (kills < KILLS) {
        await loadProgresses(`before kill ${kills + 1}`);
        await sleep(Math.random() * KILL_JITTER_MS);
        ordo.child.kill('SIGKILL');
        await ordo.exited;
        kills += 1;
        if (kills === 2) await receiver.up();
        ordo = await spawnOrdo(env, port);
        await waitForReady(ordo);
      }
      await loadProgresses('on the last process', () => counts.refundsApproved > 0);
      stopped = true;
      await load;

      // Jobs catch up: every webhook delivery reaches the receiver (retries back off, so this can take a while).
      // Caught up is judged on what the checker reads, the database once ordo has stopped, because events still appear
      // after the last request: reconciliation settles a payment whose notification a kill lost at its next check
      // (5 s, 15 s, 30 s, 60 s… after the one before), and a delivery made for it just as ordo stops stays pending.
      // So while a delivery is pending once ordo has stopped, ordo starts again to deliver it; one that never goes out
      // is reported by the checker.
      const catchUpBy = Date.now() + CATCH_UP_MS;
      const pendingAtStops: number[] = [];
      for (let starts = 0; ; starts++) {
        await until(
          async () =>
            (await json(base, 'GET', '/v1/admin/webhook-deliveries?status=pending&limit=1', admin)).items.length === 0,
          catchUpBy - Date.now(),
          500,
        );
        ordo.child.kill('SIGTERM');
        await ordo.exited;
        const pending = await withDatabase(db, (handle) =>
          handle.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').execute(),
        );
        pendingAtStops.push(pending.length);
        if (pending.length === 0 || starts === CATCH_UP_STARTS || Date.now() >= catchUpBy) break;
        ordo = await spawnOrdo(env, port);
        await waitForReady(ordo);
      }

      const { violations, undelivered } = await withDatabase(db, async (handle) => ({
        violations: await moneyViolations(handle.db, baseline, receiver.received),
        // what tells a delivery that stays stuck from one made late, should this fail
        undelivered: await handle.db
          .selectFrom('webhook_deliveries as d')
          .innerJoin('outbox_events as e', 'e.id', 'd.outbox_event_id')
          .select([
            'd.id',
            'e.topic',
            'e.aggregate_id',
            'd.created_at',
            'd.attempts',
            'd.last_error',
            'd.next_attempt_at',
          ])
          .where('d.status', '<>', 'delivered')
          .execute(),
      }));
      console.info(
        `crash safety (${db.env.ORDO_DATA_DIR ? 'PGlite' : 'PostgreSQL'}): ${kills} kills, ${counts.ordersPlaced} orders, ${counts.paymentsStarted} payments started, ${counts.refundsApproved} refunds approved, ${counts.failedRequests} requests lost to kills, ${receiver.received.size} events received, deliveries pending at each stop after the load: ${pendingAtStops.join(', ')}; ${violations.length} violations`,
      );
      expect(kills).toBeGreaterThanOrEqual(5);
      expect(counts.ordersPlaced).toBeGreaterThan(20);
      expect(counts.refundsApproved).toBeGreaterThan(0);
      expect(receiver.received.size).toBeGreaterThan(0);
      expect(violations, `not delivered at ${new Date().toISOString()}: ${JSON.stringify(undelivered)}`).toEqual([]);
    },
  );
});
