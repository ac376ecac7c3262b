import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createAddress, createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { buyerPays, startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
let buyer: { memberId: number; token: string };
const placed: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  const product = await createProduct(t, admin, { price: 1000, stock: 100 });
  buyer = await createMember(t);
  const addressId = await createAddress(t, buyer.token);
  for (let i = 0; i < 7; i++) {
    const reply = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }], addressId });
    placed.push(reply.body.orderNo);
    t.clock.advance(60_000);
  }
  await api(t, 'POST', `/v1/orders/${placed[2]}/cancel`, { token: buyer.token });
});
afterAll(() => t.close());

describe('order list', () => {
  it('pages newest first with a cursor, every order exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: any = await api(t, 'GET', `/v1/orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
        token: buyer.token,
      });
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...reply.body.items.map((o: any) => o.orderNo));
      cursor = reply.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...placed].reverse());
  });

  it('filters by status, created range, order number and receiver', async () => {
    const cancelled = await api(t, 'GET', '/v1/orders?status=cancelled', { token: buyer.token });
    expect(cancelled.body.items.map((o: any) => o.orderNo)).toEqual([placed[2]]);
    const both = await api(t, 'GET', '/v1/orders?status=cancelled&status=pending_payment&limit=100', {
      token: buyer.token,
    });
    expect(both.body.items).toHaveLength(7);

    const detail = await api(t, 'GET', `/v1/orders/${placed[3]}`, { token: buyer.token });
    const from = detail.body.createdAt;
    const to = new Date(new Date(from).getTime() + 2 * 60_000).toISOString();
    const ranged = await api(t, 'GET', `/v1/orders?createdFrom=${from}&createdTo=${to}`, { token: buyer.token });
    expect(ranged.body.items.map((o: any) => o.orderNo)).toEqual([placed[4], placed[3]]);

    const byNo = await api(t, 'GET', `/v1/orders?q=${placed[5]}`, { token: admin });
    expect(byNo.body.items.map((o: any) => o.orderNo)).toEqual([placed[5]]);
    const byMobile = await api(t, 'GET', `/v1/orders?q=18600000000&memberId=${buyer.memberId}&limit=100`, {
      token: admin,
    });
    expect(byMobile.body.items).toHaveLength(7);
    const byName = await api(
      t,
      'GET',
      `/v1/orders?q=${encodeURIComponent('李')}&memberId=${buyer.memberId}&limit=100`,
      { token: admin },
    );
    expect(byName.body.items).toHaveLength(7);
  });

  it('filters by the payment method that paid (staff): a started but unpaid attempt does not count', async () => {
    const paid = await startPayment(t, buyer.token, placed[0]!, { method: 'wechat', channel: 'native', client: 'PC' });
    expect((await buyerPays(t, paid.body.action.content)).status).toBe(200);
    const waiting = await startPayment(t, buyer.token, placed[1]!, {
      method: 'alipay',
      channel: 'precreate',
      client: 'PC',
    });
    expect(waiting.status).toBe(200);

    const byWechat = await api(t, 'GET', `/v1/orders?method=wechat&limit=100`, { token: admin });
    expect(byWechat.body.items.map((o: any) => o.orderNo)).toEqual([placed[0]]);
    const byAlipay = await api(t, 'GET', `/v1/orders?method=alipay&memberId=${buyer.memberId}&limit=100`, {
      token: admin,
    });
    expect(byAlipay.body.items).toEqual([]);
    const mine = await api(t, 'GET', '/v1/orders?method=wechat&status=paid', { token: buyer.token });
    expect(mine.body.items.map((o: any) => [o.orderNo, o.status])).toEqual([[placed[0], 'paid']]);
    const unknown = await api(t, 'GET', '/v1/orders?method=bitcoin', { token: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
  });

  it('refuses a forged cursor', async () => {
    const reply = await api(t, 'GET', `/v1/orders?cursor=${Buffer.from('yesterday|x').toString('base64url')}`, {
      token: buyer.token,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
  });

  it('shows the detail with the event timeline and order numbers that are 16 digits of the Shanghai date', async () => {
    const detail = await api(t, 'GET', `/v1/orders/${placed[2]}`, { token: buyer.token });
    expect(detail.body.events.map((e: any) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['place', null, 'pending_payment'],
      ['cancel', 'pending_payment', 'cancelled'],
    ]);
    for (const no of placed) expect(no).toMatch(/^\d{16}$/);
    expect(new Set(placed).size).toBe(placed.length);
    const shanghaiDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
      .format(new Date(detail.body.createdAt))
      .replaceAll('-', '');
    expect(placed[2]!.slice(0, 8)).toBe(shanghaiDate);
  });
});

describe('API documentation', () => {
  it('serves OpenAPI 3.1 with every canonical route and a docs page without a CDN', async () => {
    const spec = await api(t, 'GET', '/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/orders',
      '/v1/orders/{orderNo}',
      '/v1/checkout/preview',
      '/v1/cart/items',
      '/v1/auth/login',
      '/v1/staff/login',
      '/healthz',
      '/readyz',
    ]) {
      expect(Object.keys(spec.body.paths)).toContain(path);
    }
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
  });
});
