import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { eventReader } from '../support/event-stream.ts';
import { createRivalMerchant } from '../support/owned-data.ts';
import { ship } from '../support/after-sales.ts';
import { buyerPays, startPayment, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
const open: AbortController[] = [];
afterAll(async () => {
  for (const stream of open) stream.abort();
  await t.close();
});

async function openStream(token: string) {
  const abort = new AbortController();
  open.push(abort);
  const response = await fetch(`${base}/v1/admin/orders/stream?access_token=${token}`, { signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  return { next: eventReader(response.body!), close: () => abort.abort() };
}

describe("the console's stream of the merchant's orders", () => {
  it('tells staff of each order placed and of every step the buyer, staff and the gateway take, in order', async () => {
    const stream = await openStream(admin);
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const { orderNo } = order;
    expect(await stream.next()).toEqual({ orderNo, status: 'pending_payment', paymentStatus: 'unpaid' });

    const started = await startPayment(t, buyer.token, orderNo, { method: 'wechat', channel: 'native', client: 'PC' });
    await buyerPays(t, started.body.action.content);
    expect(await stream.next()).toEqual({ orderNo, status: 'paid', paymentStatus: 'paid' });

    expect((await ship(t, admin, orderNo)).status).toBe(201);
    expect(await stream.next()).toEqual({ orderNo, status: 'shipped', paymentStatus: 'paid' });

    expect((await api(t, 'POST', `/v1/orders/${orderNo}/receipt`, { token: buyer.token })).status).toBe(200);
    expect(await stream.next()).toEqual({ orderNo, status: 'received', paymentStatus: 'paid' });

    const lines = (await api(t, 'GET', `/v1/orders/${orderNo}`, { token: buyer.token })).body.lines;
    const asked = await api(t, 'POST', `/v1/orders/${orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '少了配件', lines: [{ lineId: lines[0].id, amount: 100 }] },
    });
    expect(asked.status).toBe(201);
    expect(await stream.next()).toEqual({ orderNo, status: 'received', paymentStatus: 'paid' });

    // staff approve; the money goes back through WeChat, whose notification finishes the refund: that is news too
    expect(
      (await api(t, 'POST', `/v1/admin/refunds/${asked.body.refundNo}/approve`, { token: admin, body: {} })).status,
    ).toBe(200);
    await t.sandbox.simulator.settle();
    expect(await stream.next()).toEqual({ orderNo, status: 'received', paymentStatus: 'paid' });
    expect((await api(t, 'GET', `/v1/orders/${orderNo}`, { token: admin })).body).toMatchObject({
      refundedAmount: 100,
      refundStatus: 'partially_refunded',
    });
    stream.close();
  });

  it('tells staff of an unpaid order cancelled by its buyer, of a cancel request and a refund request, and of their rejection', async () => {
    const stream = await openStream(admin);
    const buyer = await createMember(t);
    const unpaid = await unpaidOrder(t, admin, buyer.token);
    expect(await stream.next()).toMatchObject({ orderNo: unpaid.orderNo, status: 'pending_payment' });
    expect((await api(t, 'POST', `/v1/orders/${unpaid.orderNo}/cancel`, { token: buyer.token, body: {} })).status).toBe(
      200,
    );
    expect(await stream.next()).toEqual({ orderNo: unpaid.orderNo, status: 'cancelled', paymentStatus: 'unpaid' });

    const paid = await unpaidOrder(t, admin, buyer.token);
    expect(await stream.next()).toMatchObject({ orderNo: paid.orderNo, status: 'pending_payment' });
    await t.ctx.db.updateTable('members').set({ balance: paid.payable }).where('id', '=', buyer.memberId).execute();
    expect((await startPayment(t, buyer.token, paid.orderNo, { method: 'balance', client: 'H5' })).status).toBe(200);
    expect(await stream.next()).toEqual({ orderNo: paid.orderNo, status: 'paid', paymentStatus: 'paid' });
    expect(
      (
        await api(t, 'POST', `/v1/orders/${paid.orderNo}/cancel-request`, {
          token: buyer.token,
          body: { reason: '买错了' },
        })
      ).status,
    ).toBe(200);
    expect(await stream.next()).toEqual({ orderNo: paid.orderNo, status: 'paid', paymentStatus: 'paid' });

    // staff say no to the cancel and to a refund request: other open consoles hear that too
    expect(
      (
        await api(t, 'POST', `/v1/admin/orders/${paid.orderNo}/cancel-request/reject`, {
          token: admin,
          body: { reason: '已在打包' },
        })
      ).status,
    ).toBe(200);
    expect(await stream.next()).toEqual({ orderNo: paid.orderNo, status: 'paid', paymentStatus: 'paid' });
    const lineId = (await api(t, 'GET', `/v1/orders/${paid.orderNo}`, { token: buyer.token })).body.lines[0].id;
    const asked = await api(t, 'POST', `/v1/orders/${paid.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: '不想要了', lines: [{ lineId }] },
    });
    expect(await stream.next()).toEqual({ orderNo: paid.orderNo, status: 'paid', paymentStatus: 'paid' });
    expect(
      (
        await api(t, 'POST', `/v1/admin/refunds/${asked.body.refundNo}/reject`, {
          token: admin,
          body: { reason: '商品完好' },
        })
      ).status,
    ).toBe(200);
    expect(await stream.next()).toEqual({ orderNo: paid.orderNo, status: 'paid', paymentStatus: 'paid' });
    stream.close();
  });

  it("never tells another merchant's staff about these orders", async () => {
    const rival = await createRivalMerchant(t);
    const rivalStream = await openStream(rival.admin);
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    // a change of the rival's own, published after ours: the first event the rival hears must be this one
    t.ctx.orderUpdates.publish({
      orderNo: 'RIVAL-MARKER',
      merchantId: rival.merchantId,
      status: 'pending_payment',
      paymentStatus: 'unpaid',
    });
    expect(await rivalStream.next()).toEqual({
      orderNo: 'RIVAL-MARKER',
      status: 'pending_payment',
      paymentStatus: 'unpaid',
    });
    expect(order.orderNo).not.toBe('RIVAL-MARKER');
    rivalStream.close();
  });

  it('is for staff only: no token 401, a member 403, a revoked staff token 401', async () => {
    expect((await fetch(`${base}/v1/admin/orders/stream`)).status).toBe(401);
    const buyer = await createMember(t);
    const asMember = await fetch(`${base}/v1/admin/orders/stream?access_token=${buyer.token}`);
    expect(asMember.status).toBe(403);
    expect((await asMember.json()).error.code).toBe('forbidden');
    const revoked = await staffToken(t);
    expect((await api(t, 'POST', '/v1/staff/logout', { token: revoked })).status).toBeLessThan(300);
    expect((await fetch(`${base}/v1/admin/orders/stream?access_token=${revoked}`)).status).toBe(401);
  });
});
