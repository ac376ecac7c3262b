import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { api } from '../support/api.ts';
import { configProblems } from '../support/config-problems.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const PRIMARY = 'postgres://ordo@db-primary:5432/ordo';

describe('read replica settings', () => {
  it('reads one or more replicas, the lag limit and the pool size', () => {
    const config = loadConfig({
      DATABASE_URL: PRIMARY,
      DATABASE_READ_URL: 'postgres://ordo@db-r1:5432/ordo, postgres://ordo@db-r2:5432/ordo',
      ORDO_READ_MAX_LAG_MS: '500',
      ORDO_READ_POOL_SIZE: '4',
    });
    expect(config).toMatchObject({
      readDatabaseUrls: ['postgres://ordo@db-r1:5432/ordo', 'postgres://ordo@db-r2:5432/ordo'],
      readMaxLagMs: 500,
      readPoolSize: 4,
    });
    expect(loadConfig({}).readDatabaseUrls).toEqual([]);
  });

  it('refuses replicas with the embedded database, and bad values, naming each', () => {
    expect(configProblems({ DATABASE_READ_URL: 'postgres://ordo@db-r1/ordo' })).toEqual([
      expect.stringContaining('DATABASE_READ_URL needs DATABASE_URL'),
    ]);
    expect(
      configProblems({
        DATABASE_URL: PRIMARY,
        DATABASE_READ_URL: 'mysql://db-r1/ordo',
        ORDO_READ_MAX_LAG_MS: 'soon',
        ORDO_READ_POOL_SIZE: '0',
      }),
    ).toEqual([
      expect.stringContaining('ORDO_READ_MAX_LAG_MS'),
      expect.stringContaining('DATABASE_READ_URL must be one or more postgres:// URLs'),
      expect.stringContaining('ORDO_READ_POOL_SIZE must be at least 1'),
    ]);
  });
});

describe('without replicas', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reads use the primary itself, and answers carry no read position', async () => {
    expect(t.ctx.replicas).toBeNull();
    expect(t.ctx.readDb).toBe(t.ctx.db);
    const buyer = await createMember(t);
    const product = await createProduct(t, await staffToken(t), { price: 100, stock: 5 });
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
    expect(placed.status).toBe(201);
    expect(placed.headers).not.toHaveProperty('ordo-read-position');
    const read = await api(t, 'GET', `/v1/orders/${placed.body.orderNo}`, {
      token: buyer.token,
      headers: { 'ordo-read-position': '0/0' },
    });
    expect(read.body.status).toBe('pending_payment');
  });

  it('documents the read position in the OpenAPI document: sent with order reads, answered by order writes', async () => {
    const document = (await api(t, 'GET', '/openapi.json')).body;
    const parameters = document.paths['/v1/orders/{orderNo}'].get.parameters as { name: string; in: string }[];
    expect(parameters).toContainEqual(expect.objectContaining({ name: 'ordo-read-position', in: 'header' }));
    expect(document.paths['/v1/orders'].post.responses['201'].headers).toHaveProperty('ordo-read-position');
    expect(document.paths['/v1/orders/{orderNo}/payments'].post.responses['200'].headers).toHaveProperty(
      'ordo-read-position',
    );
  });
});
