import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { principalResolver } from '../../src/http/authenticate.ts';
import { installErrorReplies } from '../../src/http/error-reply.ts';
import { webhookAdminRoutes } from '../../src/http/routes/webhooks.ts';
import { installValidators } from '../../src/http/validation.ts';
import { ErrorResponse } from '../../src/http/schemas.ts';
import { createApp } from '../../src/merchants/apps.ts';
import { emitEvent } from '../../src/events/outbox.ts';
import { httpTransport } from '../../src/providers/http-transport.ts';
import {
  deliverDueWebhooks,
  MAX_ATTEMPTS,
  MAX_RETRY_SECONDS,
  retryDelaySeconds,
} from '../../src/flows/deliver-webhooks.ts';
import { redeliver } from '../../src/webhooks/redeliver.ts';
import { signWebhook, verifyWebhook } from '../../src/webhooks/verify-webhook.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: FastifyInstance;
const transport = httpTransport(5_000);
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await startTestApp();
  // The admin routes on their own Fastify instance, with the canonical validation, auth and error envelope.
  admin = Fastify();
  installValidators(admin);
  installErrorReplies(admin);
  admin.addSchema(ErrorResponse);
  admin.decorateRequest('principal', null);
  admin.addHook('onRequest', principalResolver(t.ctx));
  await admin.register(webhookAdminRoutes(t.ctx));
  await admin.ready();
});
afterEach(async () => {
  // what a test left pending must not be sent to the next test's receivers
  await t.ctx.db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('status', '=', 'pending').execute();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await admin?.close();
  await t?.close();
});

// ---- a real receiver on a local port --------------------------------------------------------------------

type Answer = number | 'hang';
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answer: Answer;
}
interface Receiver {
  url: string;
  requests: Received[];
  /** answers for the next requests, in order; afterwards `otherwise` */
  script: Answer[];
  otherwise: Answer;
  delayMs: number;
  /** bodies (parsed) of the requests answered 2xx, in arrival order */
  delivered(): { id: number; topic: string; aggregateId: string; createdAt: string; data: Record<string, unknown> }[];
  /** refuses connections until `start` */
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  let port = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = receiver.script.shift() ?? receiver.otherwise;
      receiver.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answer });
      if (answer === 'hang') return;
      setTimeout(
        () => res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? 'receiver says no' : 'ok'),
        receiver.delayMs,
      );
    });
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  await listen();
  port = (server.address() as AddressInfo).port;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/ordo`,
    requests: [],
    script: [],
    otherwise: 200,
    delayMs: 0,
    delivered: () =>
      receiver.requests.filter((r) => typeof r.answer === 'number' && r.answer < 300).map((r) => JSON.parse(r.body)),
    async stop() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    start: listen,
  };
  receivers.push(receiver);
  return receiver;
}

// ---- helpers ------------------------------------------------------------------------------------------------

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;

/** A merchant of its own per test (so only its app gets deliveries), with one app pointing at `url`. */
async function merchantWithApp(url: string): Promise<{ merchantId: number; appRowId: number; secret: string }> {
  const merchant = await t.ctx.db
    .insertInto('merchants')
    .values({ name: unique('webhook merchant') })
    .returning('id')
    .executeTakeFirstOrThrow();
  const app = await createApp(t.ctx, merchant.id, { name: 'shop backend', webhookUrl: url });
  const row = await t.ctx.db.selectFrom('apps').select('id').where('app_id', '=', app.appId).executeTakeFirstOrThrow();
  return { merchantId: merchant.id, appRowId: row.id, secret: app.secret };
}

async function emit(merchantId: number, topic: string, aggregateId: string, payload: Record<string, unknown>) {
  await t.ctx.db
    .transaction()
    .execute((trx) => emitEvent(trx, { merchantId, topic, aggregateId, payload, now: t.clock.now() }));
  return t.ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outbox_events as e', 'e.id', 'd.outbox_event_id')
    .select(['d.id', 'e.id as eventId'])
    .where('e.merchant_id', '=', merchantId)
    .orderBy('d.id', 'desc')
    .executeTakeFirstOrThrow();
}

const delivery = (id: number) =>
  t.ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const attemptsOf = (id: number) =>
  t.ctx.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('id').execute();
const pass = (ctx: AppContext = t.ctx, batchSize = 50) => deliverDueWebhooks(ctx, transport, batchSize);

async function staffTokenOf(merchantId: number): Promise<string> {
  const staff = await t.ctx.db
    .insertInto('staff')
    .values({
      merchant_id: merchantId,
      username: unique('hooks-admin'),
      password_hash: 'unused',
      role: 'admin',
      last_login_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await issueToken(t.ctx.db, { kind: 'staff', id: staff.id, merchantId }, t.clock.now(), 1)).token;
}

async function adminApi(method: 'GET' | 'POST', url: string, token: string) {
  const reply = await admin.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  return { status: reply.statusCode, body: JSON.parse(reply.body) };
}

// ---- the tests ------------------------------------------------------------------------------------------------

describe('webhook delivery', () => {
  it('an event emitted in a transaction is POSTed once, signed, with the documented body and headers', async () => {
    const receiver = await startReceiver();
    const { merchantId, secret } = await merchantWithApp(receiver.url);
    const aggregateId = unique('order');
    const { id: deliveryId, eventId } = await emit(merchantId, 'order.paid', aggregateId, {
      orderNo: aggregateId,
      paidAmount: 12_345,
      note: '已付款',
    });

    // an event whose transaction rolls back is never announced
    await t.ctx.db
      .transaction()
      .execute(async (trx) => {
        await emitEvent(trx, {
          merchantId,
          topic: 'order.paid',
          aggregateId: unique('rolled-back'),
          payload: {},
          now: t.clock.now(),
        });
        throw new Error('roll back');
      })
      .catch(() => {});

    expect(await pass()).toBe(1);
    expect(await pass()).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const event = await t.ctx.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(request!.body)).toEqual({
      id: eventId,
      topic: 'order.paid',
      aggregateId,
      createdAt: event.created_at.toISOString(),
      data: { orderNo: aggregateId, paidAmount: 12_345, note: '已付款' },
    });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-ordo-event-id']).toBe(String(eventId));
    expect(request!.headers['x-ordo-timestamp']).toBe(String(Math.floor(t.clock.now().getTime() / 1000)));
    expect(request!.headers['x-ordo-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, request!.headers, request!.body, t.clock.now())).toEqual({
      ok: true,
      timestamp: Number(request!.headers['x-ordo-timestamp']),
    });
    expect(verifyWebhook('another secret', request!.headers, request!.body, t.clock.now()).ok).toBe(false);

    expect(await delivery(deliveryId)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status: 200,
      last_error: '',
      delivered_at: t.clock.now(),
    });
    const attempts = await attemptsOf(deliveryId);
    expect(attempts).toEqual([expect.objectContaining({ status_code: 200, error: '', at: t.clock.now() })]);
    expect(attempts[0]!.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('retries a failing receiver with growing delays, delivers exactly once when it is back; fails after the limit; staff redeliver', async () => {
    const receiver = await startReceiver();
    const { merchantId } = await merchantWithApp(receiver.url);
    const { id: deliveryId, eventId } = await emit(merchantId, 'payment.succeeded', unique('payment'), { amount: 100 });

    // 500, 500, then the receiver is down (connection refused) for two attempts, then it is back
    receiver.script.push(500, 503);
    const delays: number[] = [];
    for (let i = 1; i <= 4; i++) {
      if (i === 3) await receiver.stop();
      expect(await pass()).toBe(1);
      expect(await pass()).toBe(0); // not due again yet
      const row = await delivery(deliveryId);
      expect(row).toMatchObject({ status: 'pending', attempts: i });
      delays.push((row.next_attempt_at.getTime() - t.clock.now().getTime()) / 1000);
      t.clock.set(row.next_attempt_at);
    }
    expect(delays).toEqual([10, 20, 40, 80]);
    const failures = await attemptsOf(deliveryId);
    expect(failures.map((a) => a.status_code)).toEqual([500, 503, null, null]);
    expect(failures[0]!.error).toContain('HTTP 500');
    expect(failures[2]!.error).toMatch(/fetch failed|ECONNREFUSED/);
    expect((await delivery(deliveryId)).last_error).toMatch(/fetch failed|ECONNREFUSED/);

    await receiver.start();
    expect(await pass()).toBe(1);
    expect(await delivery(deliveryId)).toMatchObject({
      status: 'delivered',
      attempts: 5,
      last_status: 200,
      last_error: '',
    });
    t.clock.advance(3_600_000);
    expect(await pass()).toBe(0);
    expect(receiver.delivered().map((b) => b.id)).toEqual([eventId]);
    expect(receiver.requests).toHaveLength(3); // two 500s and the success; the refused ones never arrived

    // a receiver that never says yes: after MAX_ATTEMPTS the delivery is failed
    const { id: doomedId, eventId: doomedEvent } = await emit(merchantId, 'refund.succeeded', unique('refund'), {
      amount: 50,
    });
    receiver.otherwise = 500;
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      expect(await pass()).toBe(1);
      const row = await delivery(doomedId);
      if (i < MAX_ATTEMPTS) {
        expect(row).toMatchObject({ status: 'pending', attempts: i });
        expect(row.next_attempt_at.getTime() - t.clock.now().getTime()).toBe(retryDelaySeconds(i) * 1000);
        t.clock.set(row.next_attempt_at);
      } else {
        expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_status: 500 });
      }
    }
    expect(retryDelaySeconds(MAX_ATTEMPTS - 1)).toBe(MAX_RETRY_SECONDS);
    expect(await attemptsOf(doomedId)).toHaveLength(MAX_ATTEMPTS);
    t.clock.advance(24 * 3_600_000);
    expect(await pass()).toBe(0);

    // staff redeliver it through the admin API: pending now, attempts kept, then delivered
    receiver.otherwise = 200;
    const token = await staffTokenOf(merchantId);
    const failedList = await adminApi('GET', '/v1/admin/webhook-deliveries?status=failed', token);
    expect(failedList.status).toBe(200);
    expect(failedList.body.items).toEqual([
      expect.objectContaining({
        id: doomedId,
        eventId: doomedEvent,
        topic: 'refund.succeeded',
        status: 'failed',
        attempts: MAX_ATTEMPTS,
        lastStatus: 500,
        nextAttemptAt: null,
        deliveredAt: null,
      }),
    ]);
    const history = await adminApi('GET', `/v1/admin/webhook-deliveries/${doomedId}/attempts`, token);
    expect(history.body).toHaveLength(MAX_ATTEMPTS);
    expect(history.body[0]).toMatchObject({
      statusCode: 500,
      error: expect.stringContaining('HTTP 500'),
      durationMs: expect.any(Number),
    });

    const again = await adminApi('POST', `/v1/admin/webhook-deliveries/${doomedId}/redeliver`, token);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: doomedId,
      status: 'pending',
      attempts: MAX_ATTEMPTS,
      nextAttemptAt: t.clock.now().toISOString(),
    });
    expect((await adminApi('POST', `/v1/admin/webhook-deliveries/${doomedId}/redeliver`, token)).status).toBe(409);
    expect(await pass()).toBe(1);
    expect(await delivery(doomedId)).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 1 });
    expect(receiver.delivered().map((b) => b.id)).toEqual([eventId, doomedEvent]);

    // a delivered one can be sent again too (the receiver deduplicates on the event id)
    const redone = await redeliver(t.ctx, merchantId, deliveryId);
    expect(redone).toMatchObject({ status: 'pending', attempts: 5, deliveredAt: null });
    expect(await pass()).toBe(1);
    expect(receiver.delivered().map((b) => b.id)).toEqual([eventId, doomedEvent, eventId]);

    const list = await adminApi('GET', '/v1/admin/webhook-deliveries?limit=1', token);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].id).toBe(doomedId);
    const next = await adminApi('GET', `/v1/admin/webhook-deliveries?limit=1&cursor=${list.body.nextCursor}`, token);
    expect(next.body).toEqual({
      items: [expect.objectContaining({ id: deliveryId, status: 'delivered' })],
      nextCursor: null,
    });
  });

  it('another merchant cannot see or redeliver a delivery; staff only', async () => {
    const receiver = await startReceiver();
    const { merchantId } = await merchantWithApp(receiver.url);
    const { id: deliveryId } = await emit(merchantId, 'order.shipped', unique('order'), {});
    await pass();
    const rival = await staffTokenOf(
      (
        await t.ctx.db
          .insertInto('merchants')
          .values({ name: unique('rival') })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
    const post = await adminApi('POST', `/v1/admin/webhook-deliveries/${deliveryId}/redeliver`, rival);
    expect(post).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'webhook delivery not found', details: { deliveryId } } },
    });
    expect((await adminApi('GET', `/v1/admin/webhook-deliveries/${deliveryId}/attempts`, rival)).status).toBe(404);
    expect((await adminApi('GET', '/v1/admin/webhook-deliveries', rival)).body.items).toEqual([]);
    await expect(redeliver(t.ctx, merchantId + 1_000_000, deliveryId)).rejects.toMatchObject({ code: 'not_found' });
    expect((await delivery(deliveryId)).status).toBe('delivered');

    const anonymous = await admin.inject({ method: 'GET', url: '/v1/admin/webhook-deliveries' });
    expect(anonymous.statusCode).toBe(401);
    expect(JSON.parse(anonymous.body).error.code).toBe('unauthorized');
    const bad = await adminApi('GET', '/v1/admin/webhook-deliveries?status=lost', await staffTokenOf(merchantId));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('a receiver that does not answer in time counts as a failed attempt', async () => {
    const receiver = await startReceiver();
    const { merchantId } = await merchantWithApp(receiver.url);
    const { id: deliveryId } = await emit(merchantId, 'order.paid', unique('order'), {});
    receiver.script.push('hang');
    expect(await deliverDueWebhooks(t.ctx, transport, 50, { timeoutMs: 200 })).toBe(1);
    expect(await delivery(deliveryId)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: null,
      last_error: 'no answer within 200 ms',
    });
    const [attempt] = await attemptsOf(deliveryId);
    expect(attempt!.duration_ms).toBeGreaterThanOrEqual(190);
  });

  it('no event is lost after an ordo restart: another process delivers what was emitted', async () => {
    const receiver = await startReceiver();
    const { merchantId, secret } = await merchantWithApp(receiver.url);
    const { id: deliveryId, eventId } = await emit(merchantId, 'order.paid', unique('order'), { restart: true });
    // "ordo stops" before its job ran; a fresh process (its own pool on PostgreSQL) starts and runs the job
    const second = await t.openSecondContext();
    try {
      expect(await deliverDueWebhooks(second.ctx, httpTransport(), 50)).toBe(1);
    } finally {
      await second.close();
    }
    expect(receiver.delivered().map((b) => b.id)).toEqual([eventId]);
    expect(verifyWebhook(secret, receiver.requests[0]!.headers, receiver.requests[0]!.body, t.clock.now()).ok).toBe(
      true,
    );
    expect((await delivery(deliveryId)).status).toBe('delivered');
  });

  it("one order's events arrive in order: a failing first one holds the later ones back", async () => {
    const receiver = await startReceiver();
    const { merchantId } = await merchantWithApp(receiver.url);
    const order = unique('order');
    const other = unique('order');
    const first = await emit(merchantId, 'order.created', order, { n: 1 });
    const second = await emit(merchantId, 'order.paid', order, { n: 2 });
    const third = await emit(merchantId, 'order.shipped', order, { n: 3 });
    const unrelated = await emit(merchantId, 'order.created', other, { n: 'other' });

    receiver.script.push(500);
    expect(await pass()).toBe(2); // the order's first event (fails) and the other order's event
    expect(receiver.requests.map((r) => JSON.parse(r.body).id)).toEqual([first.eventId, unrelated.eventId]);
    expect((await delivery(second.id)).attempts).toBe(0);
    expect(await pass()).toBe(0); // 2 and 3 wait behind 1, which is not due yet

    t.clock.set((await delivery(first.id)).next_attempt_at);
    expect(await pass()).toBe(3); // 1 succeeds, then 2, then 3, in one pass
    expect(
      receiver
        .delivered()
        .filter((b) => b.aggregateId === order)
        .map((b) => b.data.n),
    ).toEqual([1, 2, 3]);
    for (const d of [first, second, third, unrelated]) expect((await delivery(d.id)).status).toBe('delivered');

    // a failed earlier delivery also holds later ones back until staff redeliver it
    const a = await emit(merchantId, 'order.paid', other, { n: 'a' });
    await t.ctx.db
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', attempts: MAX_ATTEMPTS })
      .where('id', '=', a.id)
      .execute();
    const b = await emit(merchantId, 'order.shipped', other, { n: 'b' });
    expect(await pass()).toBe(0);
    await redeliver(t.ctx, merchantId, a.id);
    expect(await pass()).toBe(2);
    expect(
      receiver
        .delivered()
        .slice(-2)
        .map((x) => x.data.n),
    ).toEqual(['a', 'b']);
    expect((await delivery(b.id)).status).toBe('delivered');
  });

  it('two concurrent passes (two processes) never send one delivery twice', async () => {
    const receiver = await startReceiver();
    receiver.delayMs = 15;
    const { merchantId } = await merchantWithApp(receiver.url);
    const emitted: number[] = [];
    for (let i = 0; i < 24; i++)
      emitted.push((await emit(merchantId, 'order.paid', unique(`order-${i % 8}`), { i })).eventId);
    // a few orders with several events, too
    const shared = unique('busy-order');
    for (let i = 0; i < 6; i++) emitted.push((await emit(merchantId, 'order.updated', shared, { i })).eventId);

    const second = await t.openSecondContext();
    const drain = async (ctx: AppContext) => {
      let total = 0;
      for (
        let handled = await deliverDueWebhooks(ctx, transport, 4);
        handled > 0;
        handled = await deliverDueWebhooks(ctx, transport, 4)
      )
        total += handled;
      return total;
    };
    let handled: number[];
    try {
      handled = await Promise.all([drain(t.ctx), drain(second.ctx), drain(t.ctx)]);
      // one last look (there should be nothing left: whoever sent an order's event also sends its followers)
      handled.push(await pass());
    } finally {
      await second.close();
    }
    const ids = receiver.delivered().map((b) => b.id);
    expect(ids).toHaveLength(emitted.length);
    expect(new Set(ids)).toEqual(new Set(emitted));
    expect(handled.reduce((sum, n) => sum + n, 0)).toBe(emitted.length);
    expect(handled.at(-1)).toBe(0);
    expect(
      receiver
        .delivered()
        .filter((b) => b.aggregateId === shared)
        .map((b) => b.data.i),
    ).toEqual([0, 1, 2, 3, 4, 5]);
    const attempts = await t.ctx.db
      .selectFrom('webhook_attempts as a')
      .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
      .innerJoin('apps', 'apps.id', 'd.app_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('apps.merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow();
    expect(Number(attempts.n)).toBe(emitted.length);
  });
});

describe('verifyWebhook', () => {
  const secret = 'whsec_test_secret';
  const body = JSON.stringify({
    id: 7,
    topic: 'order.paid',
    aggregateId: '2024010100000001',
    createdAt: '2024-01-01T00:00:00.000Z',
    data: { amount: 100 },
  });
  const now = new Date('2024-01-01T00:00:10Z');
  const timestamp = Math.floor(now.getTime() / 1000) - 5;
  const headers = { 'x-ordo-timestamp': String(timestamp), 'x-ordo-signature': signWebhook(secret, timestamp, body) };

  it('accepts the signed body, also through fetch Headers, and with several signatures', () => {
    expect(verifyWebhook(secret, headers, body, now)).toEqual({ ok: true, timestamp });
    expect(verifyWebhook(secret, new Headers(headers), body, now).ok).toBe(true);
    expect(
      verifyWebhook(
        secret,
        { ...headers, 'x-ordo-signature': `v1=${'0'.repeat(64)}, ${headers['x-ordo-signature']}` },
        body,
        now,
      ).ok,
    ).toBe(true);
  });

  it('rejects a tampered body, a stale or future timestamp, a moved timestamp, a wrong secret, missing headers', () => {
    expect(verifyWebhook(secret, headers, body.replace('100', '10000'), now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhook(secret, headers, `${body} `, now).ok).toBe(false);
    expect(verifyWebhook(secret, headers, body, new Date(now.getTime() + 301_000))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyWebhook(secret, headers, body, new Date(now.getTime() - 320_000))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyWebhook(secret, headers, body, new Date(now.getTime() + 60_000), 30)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyWebhook(secret, { ...headers, 'x-ordo-timestamp': String(timestamp + 1) }, body, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhook(secret, { ...headers, 'x-ordo-timestamp': 'yesterday' }, body, now)).toEqual({
      ok: false,
      reason: 'bad_timestamp',
    });
    expect(verifyWebhook('another secret', headers, body, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook(secret, { 'x-ordo-timestamp': String(timestamp) }, body, now)).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(verifyWebhook(secret, { ...headers, 'x-ordo-signature': 'v1=short' }, body, now).ok).toBe(false);
  });
});
