import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/api.ts';
import type { TestApp } from '../support/test-app.ts';
import { haveReplica, replicaSuite, replicaUsable, startReplicaApp, statementsServed } from './replica-app.ts';

/** A TCP relay in front of the replica that the test can cut (every connection dropped, nothing listening) and restore. */
class CuttableRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server!;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe.skipIf(!haveReplica())(replicaSuite('a replica that goes away mid-test'), () => {
  let t: TestApp;
  let relay: CuttableRelay;

  beforeAll(async () => {
    const replica = new URL(inject('readReplicaUrl'));
    relay = new CuttableRelay({ host: replica.hostname, port: Number(replica.port || 5432) });
    await relay.open();
    t = await startReplicaApp((url) => {
      const relayed = new URL(url);
      relayed.hostname = '127.0.0.1';
      relayed.port = String(relay.port);
      return relayed.toString();
    });
  });
  afterAll(async () => {
    await t?.close();
    await relay?.cut().catch(() => {});
  });

  /** A burst of catalogue and admin reads, every one of which must succeed. */
  async function reads(): Promise<void> {
    for (const url of ['/v1/products', '/v1/categories', '/v1/stores', '/metrics'])
      expect((await api(t, 'GET', url)).status, url).toBe(200);
  }
  const metrics = async () => (await api(t, 'GET', '/metrics')).body as string;

  it('fails no request: reads move to the primary within one probe and come back after it returns; the metrics say so', async () => {
    let served = statementsServed(t);
    await reads();
    expect(statementsServed(t).replica).toBeGreaterThan(served.replica);
    expect(await metrics()).toMatch(/^ordo_read_replica_usable\{replica="[^"]+"\} 1$/m);
    expect(await metrics()).toMatch(/^ordo_read_replica_lag_seconds\{replica="[^"]+"\} [0-9.e-]+$/m);

    await relay.cut();
    await reads(); // the pool's connections are gone: each read is run again on the primary
    await t.ctx.replicas!.probe();
    expect(t.ctx.replicas!.states()).toEqual([expect.objectContaining({ reachable: false, usable: false })]);
    served = statementsServed(t);
    await reads();
    expect(statementsServed(t)).toMatchObject({ replica: served.replica });
    expect(statementsServed(t).primary).toBeGreaterThan(served.primary);
    const down = await metrics();
    expect(down).toMatch(/^ordo_read_replica_usable\{replica="[^"]+"\} 0$/m);
    expect(down).not.toMatch(/^ordo_read_replica_lag_seconds\{/m);

    await relay.open();
    await replicaUsable(t);
    served = statementsServed(t);
    await reads();
    expect(statementsServed(t).replica).toBeGreaterThan(served.replica);
    expect(await metrics()).toMatch(/^ordo_read_replica_lag_seconds\{replica="[^"]+"\} [0-9.e-]+$/m);
  });
});
