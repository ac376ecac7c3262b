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

  it("records every changing staff request — who, which route on what, the outcome and the request id — and shows it to the merchant's admins", async () => {
    const admin = await staffToken(t, 'admin');
    const cashier = await staffToken(t, 'cashier');
    const product = await createProduct(t, admin, { price: 1_000, stock: 5 });
    const changed = await t.app.inject({ method: 'PATCH', url: `/v1/admin/products/${product.id}`, headers: { authorization: `Bearer ${admin}`, 'x-request-id': 'audit-req-1' }, payload: { price: 1_200 } });
    expect(changed.statusCode).toBe(200);
    // a refused action is part of the trail too
    const refused = await api(t, 'PATCH', `/v1/admin/products/${product.id}`, { token: cashier, body: { price: 1 } });
    expect(refused.status).toBe(403);
    // the xxpay console is staff acting as well
    await t.app.inject({ method: 'POST', url: '/xxpay/api/memberPay/cash', headers: { authorization: cashier }, payload: { tradeOrderId: '1' } });
    // reads and members' requests are not staff actions
    await api(t, 'GET', '/v1/admin/products', { token: admin });
    const member = await createMember(t);
    await api(t, 'POST', '/v1/addresses', { token: member.token, body: {} });

    const trail = await api(t, 'GET', '/v1/admin/audit-log?pageSize=10', { token: admin });
    expect(trail.status).toBe(200);
    const [xxpay, refusal, patch, create] = trail.body.items;
    expect(trail.body.total).toBe(4);
    expect(create).toMatchObject({ method: 'POST', route: '/v1/admin/products', statusCode: 201, staffName: '店长' });
    expect(patch).toMatchObject({ method: 'PATCH', route: '/v1/admin/products/:productId', params: { productId: String(product.id) }, statusCode: 200, requestId: 'audit-req-1' });
    expect(refusal).toMatchObject({ route: '/v1/admin/products/:productId', statusCode: 403, staffName: '收银员' });
    expect(xxpay).toMatchObject({ method: 'POST', route: '/xxpay/api/memberPay/cash' });
    expect(changed.headers['x-request-id']).toBe('audit-req-1');

    const byCashier = await api(t, 'GET', `/v1/admin/audit-log?staffId=${refusal.staffId}`, { token: admin });
    expect(byCashier.body.items.map((e: { staffName: string }) => e.staffName)).toEqual(['收银员', '收银员']);
    expect((await api(t, 'GET', '/v1/admin/audit-log', { token: cashier })).status).toBe(403);
    expect((await api(t, 'GET', '/v1/admin/audit-log', { token: member.token })).status).toBe(403);
    expect((await api(t, 'GET', '/v1/admin/audit-log')).status).toBe(401);
  });
});
