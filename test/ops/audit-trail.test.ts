import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('the staff audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("records every accepted changing staff request — who, which route on what, the request id — and shows it to the merchant's admins", async () => {
    const admin = await staffToken(t, 'admin');
    const cashier = await staffToken(t, 'cashier');
    const product = await createProduct(t, admin, { price: 1_000, stock: 5 });
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/products/${product.id}`,
      headers: { authorization: `Bearer ${admin}`, 'x-request-id': 'audit-req-1' },
      payload: { price: 1_200 },
    });
    expect(changed.statusCode).toBe(200);
    // refused actions changed nothing: no entry (in the canonical API or a dialect that answers 200 with an error)
    const refused = await api(t, 'PATCH', `/v1/admin/products/${product.id}`, { token: cashier, body: { price: 1 } });
    expect(refused.status).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/xxpay/api/memberPay/cash',
          headers: { authorization: cashier },
          payload: { tradeOrderId: 'x' },
        })
      ).json().code,
    ).not.toBe(0);
    // signing out is a staff action too
    const signOut = await t.app.inject({
      method: 'POST',
      url: '/v1/staff/logout',
      headers: { authorization: `Bearer ${cashier}` },
    });
    expect(signOut.statusCode).toBe(204);
    // reads and members' requests are not staff actions
    await api(t, 'GET', '/v1/admin/products', { token: admin });
    const member = await createMember(t);
    await api(t, 'POST', '/v1/addresses', { token: member.token, body: {} });

    const trail = await api(t, 'GET', '/v1/admin/audit-log?pageSize=10', { token: admin });
    expect(trail.status).toBe(200);
    const [logout, patch, create] = trail.body.items;
    expect(trail.body.total).toBe(3);
    expect(create).toMatchObject({ method: 'POST', route: '/v1/admin/products', statusCode: 201, staffName: '店长' });
    expect(patch).toMatchObject({
      method: 'PATCH',
      route: '/v1/admin/products/:productId',
      params: { productId: String(product.id) },
      statusCode: 200,
      requestId: 'audit-req-1',
    });
    expect(logout).toMatchObject({ method: 'POST', route: '/v1/staff/logout', statusCode: 204, staffName: '收银员' });
    expect(changed.headers['x-request-id']).toBe('audit-req-1');

    const byCashier = await api(t, 'GET', `/v1/admin/audit-log?staffId=${logout.staffId}`, { token: admin });
    expect(byCashier.body.items.map((e: { route: string }) => e.route)).toEqual(['/v1/staff/logout']);
    expect((await api(t, 'GET', '/v1/admin/audit-log', { token: await staffToken(t, 'cashier') })).status).toBe(403);
    expect((await api(t, 'GET', '/v1/admin/audit-log', { token: member.token })).status).toBe(403);
    expect((await api(t, 'GET', '/v1/admin/audit-log')).status).toBe(401);
  });

  it('records a CSV export of orders — customer data leaving the system — with its filters, though it is a read', async () => {
    const cashier = await staffToken(t, 'cashier');
    const before = (await api(t, 'GET', '/v1/admin/audit-log', { token: await staffToken(t, 'admin') })).body.total;
    const exported = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/orders/export.csv?status=paid&q=13800138000',
      headers: { authorization: `Bearer ${cashier}`, 'x-request-id': 'audit-export-1' },
    });
    expect(exported.statusCode).toBe(200);
    // a refused export sent nothing and is not an entry
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/admin/orders/export.csv?status=nonsense',
          headers: { authorization: `Bearer ${cashier}` },
        })
      ).statusCode,
    ).toBe(400);

    const trail = (await api(t, 'GET', '/v1/admin/audit-log', { token: await staffToken(t, 'admin') })).body;
    expect(trail.total).toBe(before + 1);
    expect(trail.items[0]).toMatchObject({
      method: 'GET',
      route: '/v1/admin/orders/export.csv',
      params: { query: 'status=paid&q=13800138000' },
      statusCode: 200,
      requestId: 'audit-export-1',
      staffName: '收银员',
    });
  });
});
