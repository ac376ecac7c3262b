import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { api } from '../support/api.ts';
import { eventReader } from '../support/event-stream.ts';
import type { TestApp } from '../support/test-app.ts';
import { haveReplica, replicaSuite, startReplicaApp, statementsServed } from './replica-app.ts';

// The replica replays with recovery_min_apply_delay (300 ms in .ci/run), so whatever is read from it at once after a
// write is the state before the write: that is how these tests see which server answered.
describe.skipIf(!haveReplica())(replicaSuite('reads from a delayed streaming replica'), () => {
  let t: TestApp;
  let admin: string;
  let base: string;

  beforeAll(async () => {
    t = await startReplicaApp();
    admin = await staffToken(t);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  /** Reads `url` (no position) until the replica shows what `ready` wants: it has replayed the set-up. */
  async function untilReplicaShows(url: string, ready: (body: any) => boolean): Promise<void> {
    while (!ready((await api(t, 'GET', url)).body));
  }

  it('serves a catalogue read right after a price change from the replica (the old price); with the position, the new one', async () => {
    const product = await createProduct(t, admin, { price: 1000, stock: 5 });
    await untilReplicaShows(`/v1/products/${product.id}`, (p) => p?.price === 1000);

    const before = statementsServed(t);
    const changed = await api(t, 'PATCH', `/v1/admin/products/${product.id}`, { token: admin, body: { price: 2000 } });
    expect(changed.status).toBe(200);
    const position = changed.headers['ordo-read-position'] as string;
    expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

    expect((await api(t, 'GET', `/v1/products/${product.id}`)).body.price).toBe(1000);
    expect(statementsServed(t).replica).toBeGreaterThan(before.replica);
    const seen = await api(t, 'GET', `/v1/products/${product.id}`, { headers: { 'ordo-read-position': position } });
    expect(seen.body.price).toBe(2000);
  });

  it('the cashier flow — place, pay from the balance, live update, re-read with its position — shows paid every time', async () => {
    const product = await createProduct(t, admin, { price: 500, stock: 100 });
    const buyer = await createMember(t);
    await t.ctx.db.updateTable('members').set({ balance: 100_000 }).where('id', '=', buyer.memberId).execute();
    for (let round = 0; round < 10; round++) {
      const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
      expect(placed.status).toBe(201);
      expect(placed.headers['ordo-read-position']).toBeTruthy();
      const orderNo = placed.body.orderNo as string;

      const abort = new AbortController();
      const stream = await fetch(`${base}/v1/orders/${orderNo}/stream?access_token=${buyer.token}`, {
        signal: abort.signal,
      });
      const next = eventReader(stream.body!);
      expect((await next()).status).toBe('pending_payment');
      const paid = await api(t, 'POST', `/v1/orders/${orderNo}/payments`, {
        token: buyer.token,
        body: { method: 'balance', client: 'H5' },
      });
      expect(paid.status).toBe(200);
      const update = await next();
      abort.abort();
      expect(update).toMatchObject({ orderNo, status: 'paid' });
      expect(update.readPosition).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

      const reread = await api(t, 'GET', `/v1/orders/${orderNo}`, {
        token: buyer.token,
        headers: { 'ordo-read-position': update.readPosition },
      });
      expect(reread.body).toMatchObject({ status: 'paid', paymentStatus: 'paid' });
      const payments = await api(t, 'GET', `/v1/orders/${orderNo}/payments`, {
        token: buyer.token,
        headers: { 'ordo-read-position': update.readPosition },
      });
      expect(payments.body.map((p: { status: string }) => p.status)).toEqual(['paid']);
      // without a position the order page reads the primary: paid too, though the replica still has it unpaid
      const unpositioned = await api(t, 'GET', `/v1/orders/${orderNo}`, { token: buyer.token });
      expect(unpositioned.body.status).toBe('paid');
    }
  });

  it('a position the replica has replayed is served by the replica', async () => {
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: 300, stock: 10 });
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
    const position = placed.headers['ordo-read-position'] as string;
    const checks = t.ctx.replicas!.counts.positionChecks;
    const servedByReplica = checks.replica;
    let reread;
    do {
      reread = await api(t, 'GET', `/v1/orders/${placed.body.orderNo}`, {
        token: buyer.token,
        headers: { 'ordo-read-position': position },
      });
      expect(reread.status).toBe(200);
    } while (checks.replica === servedByReplica);
    expect(reread.body.orderNo).toBe(placed.body.orderNo);
  });

  it('a new token works, and a sign-out takes effect, on the very next request', async () => {
    const member = await createMember(t);
    const { username } = await t.ctx.db
      .selectFrom('members')
      .select('username')
      .where('id', '=', member.memberId)
      .executeTakeFirstOrThrow();
    for (let round = 0; round < 5; round++) {
      const login = await api(t, 'POST', '/v1/auth/login', {
        body: { merchantId: DEMO.merchantId, username, password: 'secret123' },
      });
      expect(login.status).toBe(200);
      const token = login.body.token as string;
      expect((await api(t, 'GET', '/v1/me', { token })).status).toBe(200);
      expect((await api(t, 'GET', '/v1/orders', { token })).status).toBe(200);
      expect((await api(t, 'POST', '/v1/auth/logout', { token })).status).toBe(204);
      expect((await api(t, 'GET', '/v1/me', { token })).status).toBe(401);
      expect((await api(t, 'GET', '/v1/orders', { token })).status).toBe(401);
    }
  });

  it('a malformed position is refused with 400, not read anywhere', async () => {
    const reply = await api(t, 'GET', '/v1/products', { headers: { 'ordo-read-position': 'yesterday' } });
    expect(reply.status).toBe(400);
  });
});
