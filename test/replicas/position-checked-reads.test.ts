import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { api } from '../support/api.ts';
import type { TestApp } from '../support/test-app.ts';
import { haveReplica, replicaSuite, startReplicaApp } from './replica-app.ts';

// With synchronous_commit=off a commit returns before its WAL is flushed, so pg_current_wal_lsn() (the flushed
// position) can stand before a write that has already answered; pg_current_wal_insert_lsn() cannot.
describe.skipIf(!haveReplica())(replicaSuite('position-checked reads after writes'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startReplicaApp();
  });
  afterAll(() => t?.close());

  it('200 orders placed with synchronous_commit=off, each read back with its position: none stale', async () => {
    const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(t.ctx.db);
    expect(rows[0]!.synchronous_commit, 'the primary runs with synchronous_commit=off, as .ci/run starts it').toBe(
      'off',
    );
    const buyer = await createMember(t);
    const product = await createProduct(t, await staffToken(t), { price: 100, stock: 1000 });
    const placed: { orderNo: string; position: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const reply = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
      expect(reply.status).toBe(201);
      placed.push({ orderNo: reply.body.orderNo, position: reply.headers['ordo-read-position'] as string });
    }
    const checks = t.ctx.replicas!.counts.positionChecks;
    const before = { ...checks };
    let stale = 0;
    for (const { orderNo, position } of placed) {
      const read = await api(t, 'GET', `/v1/orders/${orderNo}`, {
        token: buyer.token,
        headers: { 'ordo-read-position': position },
      });
      if (read.status !== 200 || read.body.orderNo !== orderNo) stale++;
    }
    expect(stale).toBe(0);
    // the early orders had been replayed by the time they were read: the replica really served some of them
    expect(checks.replica - before.replica).toBeGreaterThan(0);
    expect(checks.replica - before.replica + checks.primary - before.primary).toBe(200);
  });
});
