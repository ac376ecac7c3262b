import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMember, staffToken } from '../support/actors.ts';
import { eventReader } from '../support/event-stream.ts';
import { multipartBody, PNG_1X1, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

// The live bus said paymentStatus 'processing' for a voucher under review, while the order (and the stream's first
// event on reconnect) said 'unpaid': the order's payment status is unpaid until an attempt settles.
it('a voucher sent for review is told live as payment_review with the order still unpaid, as a reconnect reads it', async () => {
  const buyer = await createMember(t);
  const order = await unpaidOrder(t, admin, buyer.token);
  const abort = new AbortController();
  const stream = async () =>
    eventReader(
      (await fetch(`${base}/v1/orders/${order.orderNo}/stream?access_token=${buyer.token}`, { signal: abort.signal }))
        .body!,
    );
  const next = await stream();
  expect(await next()).toEqual({ orderNo: order.orderNo, status: 'pending_payment', paymentStatus: 'unpaid' });

  const form = multipartBody({ method: 'voucher_bank', client: 'PC' }, [
    { name: 'images', filename: 'p.png', type: 'image/png', data: PNG_1X1 },
  ]);
  const uploaded = await t.app.inject({
    method: 'POST',
    url: `/v1/orders/${order.orderNo}/vouchers`,
    payload: form.payload,
    headers: { 'content-type': form.contentType, authorization: `Bearer ${buyer.token}` },
  });
  expect(uploaded.statusCode).toBe(201);
  expect(await next()).toEqual({ orderNo: order.orderNo, status: 'payment_review', paymentStatus: 'unpaid' });
  expect(await (await stream())()).toEqual({
    orderNo: order.orderNo,
    status: 'payment_review',
    paymentStatus: 'unpaid',
  });
  abort.abort();
});
