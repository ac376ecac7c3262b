import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport } from '../../src/providers/http-transport.ts';
import { deliverDueWebhooks } from '../../src/flows/deliver-webhooks.ts';
import { verifyWebhook } from '../../src/webhooks/verify-webhook.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { createMerchantApp, merchantCall, signedHeaders, type TestMerchantApp } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
let till: TestMerchantApp;
let receiver: Server;
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as { port: number };
  till = await createMerchantApp(t, admin, `http://127.0.0.1:${port}/hooks`);
  await api(t, 'PUT', '/v1/admin/fee-rates', { token: admin, body: { method: 'wechat', basisPoints: 60 } });
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await t.close();
});

const sale = (merchantOrderNo: string, extra: Record<string, unknown> = {}) => ({
  merchantOrderNo,
  tradeType: 'sale',
  storeId: 10001,
  lines: [
    { productId: null, title: '散装糖果', spec: '500g', listPrice: 3_000, price: 2_500, quantity: 2, discount: 500 },
    { productId: 10002, title: 'Redmi Note 13', listPrice: 119_900, price: 109_900, quantity: 1 },
  ],
  ...extra,
});

describe('a till sale through the signed merchant API', () => {
  it('no-barcode line → code pay (customer confirming, then paid) → success, income = amount − fee, webhook signed', async () => {
    const created = await merchantCall(
      t,
      till,
      'POST',
      '/v1/merchant/trade-orders',
      sale('T-1001', { device: 'POS-01', clientIp: '10.0.0.8' }),
    );
    expect(created.status).toBe(201);
    const tradeOrderNo = created.body.order.orderNo;
    expect(created.body.order).toMatchObject({
      payableAmount: 2 * 2_500 - 500 + 109_900,
      orderType: 'pos',
      status: 'pending_payment',
    });
    expect(created.body.order.lines[0]).toMatchObject({
      productId: null,
      title: '散装糖果',
      spec: '500g',
      listPrice: 3_000,
      unitPrice: 2_500,
      discountAmount: 500,
    });
    const again = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('T-1001'));
    expect(again.status).toBe(200);
    expect(again.body.order.orderNo).toBe(tradeOrderNo);

    t.sandbox.simulator.behaviour.userPaying = true;
    try {
      const pay = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${tradeOrderNo}/pay`, {
        method: 'code',
        authCode: '134567890123456789',
      });
      expect(pay.status).toBe(200);
      expect(pay.body.result).toBe('paying');
      const waiting = await merchantCall(t, till, 'GET', `/v1/merchant/trade-orders/${tradeOrderNo}`);
      expect(waiting.body.order.status).toBe('pending_payment');
      const confirmed = await api(t, 'POST', '/sandbox/confirm', {
        body: { outTradeNo: waiting.body.payment.outTradeNo },
      });
      expect(confirmed.status).toBe(200);
      await t.sandbox.simulator.settle();
    } finally {
      t.sandbox.simulator.behaviour.userPaying = false;
    }
    const done = await merchantCall(t, till, 'GET', `/v1/merchant/trade-orders/${tradeOrderNo}`);
    const amount = done.body.order.payableAmount as number;
    expect(done.body.order).toMatchObject({ status: 'paid', paidAmount: amount });
    expect(done.body.payment).toMatchObject({ method: 'wechat', channel: 'micropay', status: 'paid' });
    const fee = Math.floor((amount * 60 + 5_000) / 10_000);
    expect(done.body.order.merchantIncome).toBe(amount - fee);
    expect(done.body).toMatchObject({ device: 'POS-01', clientIp: '10.0.0.8', store: { id: 10001 } });

    expect(await deliverDueWebhooks(t.ctx, httpTransport())).toBeGreaterThan(0);
    const paidEvent = received.find(
      (r) => JSON.parse(r.body).topic === 'order.paid' && JSON.parse(r.body).aggregateId === tradeOrderNo,
    );
    expect(paidEvent).toBeDefined();
    expect(verifyWebhook(till.secret, paidEvent!.headers, paidEvent!.body, t.clock.now())).toMatchObject({ ok: true });
    expect(verifyWebhook('another-secret', paidEvent!.headers, paidEvent!.body, t.clock.now()).ok).toBe(false);
  });

  it('a refused code fails the attempt; the till can try again; a refund needs the operator’s refund password', async () => {
    const created = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('T-1002'));
    const no = created.body.order.orderNo;
    const refused = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/pay`, {
      method: 'code',
      authCode: '134567890123450000',
    });
    expect(refused.body.result).toBe('failed');
    const paid = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/pay`, {
      method: 'code',
      authCode: '284567890123456789',
    });
    expect(paid.body.result).toBe('paid');
    expect(paid.body.tradeOrder.payment.method).toBe('alipay');

    const cashier = await t.ctx.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'cashier')
      .executeTakeFirstOrThrow();
    await api(t, 'PUT', `/v1/admin/staff/${cashier.id}/refund-password`, {
      token: admin,
      body: { password: '888888' },
    });
    const wrong = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/refund`, {
      amount: 1_000,
      operatorId: cashier.id,
      refundPassword: '000000',
    });
    expect(wrong.status).toBe(403);
    const refund = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/refund`, {
      amount: 1_000,
      operatorId: cashier.id,
      refundPassword: '888888',
      reason: '找零',
    });
    expect(refund.status).toBe(200);
    await t.sandbox.simulator.settle();
    const after = await merchantCall(t, till, 'GET', `/v1/merchant/trade-orders/${no}`);
    expect(after.body.order).toMatchObject({ refundedAmount: 1_000, refundStatus: 'partially_refunded' });
    const tooMuch = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${no}/refund`, {
      amount: after.body.order.paidAmount,
      operatorId: cashier.id,
      refundPassword: '888888',
    });
    expect(tooMuch.status).toBe(422);
  });

  it('recharge at the till: paid by QR, duplicate notifications, the balance is credited once', async () => {
    const member = await createMember(t);
    const created = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', {
      merchantOrderNo: 'R-2001',
      tradeType: 'recharge',
      storeId: 10001,
      memberId: member.memberId,
      lines: [{ productId: null, title: '会员充值', listPrice: 50_000, price: 50_000, quantity: 1 }],
    });
    expect(created.body.order.orderType).toBe('recharge');
    const qr = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${created.body.order.orderNo}/pay`, {
      method: 'wechat',
    });
    expect(qr.body.qrContent).toMatch(/^weixin:\/\//);
    t.sandbox.simulator.behaviour.notifications = 'duplicate';
    t.sandbox.simulator.behaviour.duplicates = 5;
    try {
      await api(t, 'POST', '/sandbox/pay', { body: { content: qr.body.qrContent } });
      await t.sandbox.simulator.settle();
    } finally {
      t.sandbox.simulator.behaviour.notifications = 'deliver';
    }
    const row = await t.ctx.db
      .selectFrom('members')
      .select('balance')
      .where('id', '=', member.memberId)
      .executeTakeFirstOrThrow();
    expect(row.balance).toBe(50_000);
    const ledger = await t.ctx.db
      .selectFrom('member_ledger')
      .select(['delta', 'reason'])
      .where('member_id', '=', member.memberId)
      .execute();
    expect(ledger).toEqual([{ delta: 50_000, reason: 'recharge' }]);
  });
});

describe('other ways to collect, and closing', () => {
  it('cash by an operator, the member balance, and closing an unpaid trade order that gives its stock back', async () => {
    const cashier = await t.ctx.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'cashier')
      .executeTakeFirstOrThrow();
    const cash = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('T-4001'));
    const amount = cash.body.order.payableAmount;
    expect(
      (
        await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${cash.body.order.orderNo}/pay`, {
          method: 'cash',
          amount: amount - 1,
          operatorId: cashier.id,
        })
      ).status,
    ).toBe(400);
    const paidCash = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${cash.body.order.orderNo}/pay`, {
      method: 'cash',
      amount,
      operatorId: cashier.id,
    });
    expect(paidCash.body).toMatchObject({
      result: 'paid',
      tradeOrder: { payment: { method: 'cash' }, order: { status: 'paid', paidAmount: amount } },
    });

    const member = await createMember(t);
    const withMember = await merchantCall(
      t,
      till,
      'POST',
      '/v1/merchant/trade-orders',
      sale('T-4002', { memberId: member.memberId }),
    );
    const due = withMember.body.order.payableAmount;
    await t.ctx.db
      .updateTable('members')
      .set({ balance: due + 1 })
      .where('id', '=', member.memberId)
      .execute();
    const paidBalance = await merchantCall(
      t,
      till,
      'POST',
      `/v1/merchant/trade-orders/${withMember.body.order.orderNo}/pay`,
      { method: 'balance' },
    );
    expect(paidBalance.body).toMatchObject({
      result: 'paid',
      tradeOrder: { payment: { method: 'balance' }, member: { id: member.memberId } },
    });
    const after = await t.ctx.db
      .selectFrom('members')
      .select(['balance', 'points'])
      .where('id', '=', member.memberId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ balance: 1, points: Math.floor(due / 100) }); // a till sale earns its points when paid

    const stockOf = async () =>
      await t.ctx.db
        .selectFrom('products')
        .select(['stock', 'reserved'])
        .where('id', '=', 10002)
        .executeTakeFirstOrThrow();
    const before = await stockOf();
    const open = await merchantCall(t, till, 'POST', '/v1/merchant/trade-orders', sale('T-4003'));
    expect((await stockOf()).stock).toBe(before.stock - 1);
    const closed = await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${open.body.order.orderNo}/close`);
    expect(closed.body.order.status).toBe('cancelled');
    expect(await stockOf()).toEqual(before);
    expect(
      (
        await merchantCall(t, till, 'POST', `/v1/merchant/trade-orders/${open.body.order.orderNo}/pay`, {
          method: 'code',
          authCode: '134567890123456789',
        })
      ).status,
    ).toBe(409);
  });
});

describe('signed requests', () => {
  it('refuses a replayed nonce, a stale timestamp, a tampered body, a wrong key and no signature — and writes nothing', async () => {
    const orders = async () =>
      (
        await t.ctx.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await orders();
    const body = JSON.stringify(sale('T-3001'));
    const url = '/v1/merchant/trade-orders';
    const headers = signedHeaders(t, till, 'POST', url, body);
    expect((await api(t, 'POST', url, { body, headers })).status).toBe(201);
    const replay = await api(t, 'POST', url, { body, headers });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('unauthorized');

    const stale = signedHeaders(t, till, 'POST', url, JSON.stringify(sale('T-3002')), {
      timestamp: Math.floor(t.clock.now().getTime() / 1000) - 301,
    });
    expect((await api(t, 'POST', url, { body: JSON.stringify(sale('T-3002')), headers: stale })).status).toBe(401);
    const signedFor = JSON.stringify(sale('T-3003'));
    const tampered = signedHeaders(t, till, 'POST', url, signedFor);
    expect(
      (await api(t, 'POST', url, { body: signedFor.replace('"price":2500', '"price":1'), headers: tampered })).status,
    ).toBe(401);
    const forged = signedHeaders(t, { appId: till.appId, secret: 'not-the-secret' }, 'POST', url, signedFor);
    expect((await api(t, 'POST', url, { body: signedFor, headers: forged })).status).toBe(401);
    expect(
      (await api(t, 'POST', url, { body: signedFor, headers: { 'content-type': 'application/json' } })).status,
    ).toBe(401);
    expect(await orders()).toBe(Number(before) + 1);
  });
});
