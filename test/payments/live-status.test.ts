import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, staffToken } from '../support/actors.ts';
import { buyerPays, startPayment, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventReader } from '../support/event-stream.ts';

let t: TestApp;
let admin: string;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

describe('live order status over server-sent events', () => {
  it('sends the status at once and again when the payment lands, without polling', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    const abort = new AbortController();
    const response = await fetch(`${base}/v1/orders/${order.orderNo}/stream?access_token=${buyer.token}`, {
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const next = eventReader(response.body!);
    expect(await next()).toEqual({ orderNo: order.orderNo, status: 'pending_payment', paymentStatus: 'unpaid' });

    await buyerPays(t, started.body.action.content);
    expect(await next()).toEqual({ orderNo: order.orderNo, status: 'paid', paymentStatus: 'paid' });
    abort.abort();
  });

  it('refuses a stream without a token or for another member’s order', async () => {
    const buyer = await createMember(t);
    const stranger = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    expect((await fetch(`${base}/v1/orders/${order.orderNo}/stream`)).status).toBe(401);
    expect((await fetch(`${base}/v1/orders/${order.orderNo}/stream?access_token=${stranger.token}`)).status).toBe(404);
  });
});
