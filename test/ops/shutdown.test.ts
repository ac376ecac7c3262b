import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { emptyDatabase } from '../support/empty-database.ts';
import { READY_WAIT_MS, spawnOrdo, stopOrdo, waitForReady, type OrdoProcess } from './support/ordo-process.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A raw HTTP/1.1 connection: the test decides when each byte of the request goes out. */
function rawConnection(base: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => resolve({ socket, received: () => received, closed }));
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('data', (d) => (received += d));
    socket.on('error', reject);
  });
}

const logLines = (ordo: OrdoProcess) =>
  ordo
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** long enough that a busy machine never cuts the sign-in still in flight */
const SHUTDOWN_TIMEOUT_SECONDS = 60;

describe('SIGTERM', () => {
  it(
    'stops accepting, finishes the request in flight and the live streams, closes the database and exits 0',
    async () => {
      const db = await emptyDatabase('shutdown');
      cleanups.push(() => db.drop());
      const ordo = await spawnOrdo({ ...db.env, ORDO_SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS) });
      cleanups.push(() => stopOrdo(ordo));
      await waitForReady(ordo);

      // a live event stream of an order (it never ends by itself)
      const login = (await (
        await fetch(`${ordo.base}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'demo', password: DEMO.member.password }),
        })
      ).json()) as { token: string };
      const placed = (await (
        await fetch(`${ordo.base}/v1/orders`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${login.token}`,
            'idempotency-key': 'shutdown-1',
          },
          body: JSON.stringify({ lines: [{ productId: 10002, quantity: 1 }], delivery: 'pickup' }),
        })
      ).json()) as { orderNo: string };
      const stream = await rawConnection(ordo.base);
      stream.socket.write(
        `GET /v1/orders/${placed.orderNo}/stream?access_token=${login.token} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`,
      );
      await expect.poll(() => stream.received(), { timeout: 30_000 }).toContain('event: status');

      // a sign-in whose body is still on its way when the signal comes
      const body = JSON.stringify({ username: 'demo', password: DEMO.member.password });
      const slow = await rawConnection(ordo.base);
      slow.socket.write(
        `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      // ordo has read its headers (the first sign-in was the demo's above)
      await expect
        .poll(
          () =>
            logLines(ordo).filter(
              (l) => l.msg === 'incoming request' && (l.req as { url?: string } | undefined)?.url === '/v1/auth/login',
            ).length,
        )
        .toBe(2);

      ordo.child.kill('SIGTERM');
      await expect
        .poll(() => logLines(ordo).some((l) => String(l.msg).startsWith('shutting down')), { timeout: 30_000 })
        .toBe(true);
      // no new connections
      await expect(fetch(`${ordo.base}/healthz`)).rejects.toThrow();
      // the live stream was ended, not left hanging
      await stream.closed;
      expect(ordo.child.exitCode).toBeNull(); // still waiting for the sign-in

      slow.socket.write(body.slice(10));
      await slow.closed;
      expect(slow.received()).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(slow.received()).toContain('"token":"');

      expect(await ordo.exited).toBe(0);
      const stopped = logLines(ordo).find((l) => l.msg === 'stopped');
      expect(stopped).toMatchObject({ forced: false });
      // the database was closed cleanly: it opens again, and the order is there
      const reopened = await db.open();
      try {
        expect(
          await reopened.db
            .selectFrom('orders')
            .select('status')
            .where('order_no', '=', placed.orderNo)
            .executeTakeFirst(),
        ).toEqual({ status: 'pending_payment' });
      } finally {
        await reopened.close();
      }
    },
    READY_WAIT_MS + SHUTDOWN_TIMEOUT_SECONDS * 1000 + 60_000,
  );
});
