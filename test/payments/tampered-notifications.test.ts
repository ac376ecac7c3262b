import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fenToYuanString } from '../../src/domain/money.ts';
import { buildAlipayNotificationBody } from '../../src/sandbox/alipay/gateway.ts';
import type { WechatPayGateway } from '../../src/sandbox/wechatpay/gateway.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { buyerPays, eventsOf, orderRow, startPayment, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

async function paidAtGatewayOnly(method: 'wechat' | 'alipay') {
  const buyer = await createMember(t);
  const order = await unpaidOrder(t, admin, buyer.token, 8_800);
  const started = await startPayment(
    t,
    buyer.token,
    order.orderNo,
    method === 'wechat' ? { method, channel: 'native', client: 'PC' } : { method, client: 'PC' },
  );
  t.sandbox.simulator.behaviour.notifications = 'drop';
  try {
    await buyerPays(t, started.body.action.content);
  } finally {
    t.sandbox.simulator.behaviour.notifications = 'deliver';
  }
  const notifyUrl = new URL(t.sandbox.simulator.deliveries.at(-1)!.url).pathname;
  return { ...order, outTradeNo: started.body.payment.outTradeNo as string, notifyUrl };
}

async function expectUnchanged(order: { orderNo: string; orderId: number; outTradeNo: string }) {
  expect((await orderRow(t, order.orderNo)).status).toBe('pending_payment');
  const payment = await t.ctx.db
    .selectFrom('payments')
    .select(['status', 'paid_at'])
    .where('out_trade_no', '=', order.outTradeNo)
    .executeTakeFirstOrThrow();
  expect(payment).toEqual({ status: 'processing', paid_at: null });
  expect(await eventsOf(t, order.orderId, 'pay')).toHaveLength(0);
}

describe('tampered WeChat Pay notifications change nothing', () => {
  it('rejects a bad signature, a stale timestamp, an unknown serial, a SIGNTEST probe and a wrong APIv3 key; flags a wrong amount or merchant', async () => {
    const order = await paidAtGatewayOnly('wechat');
    const gateway = t.sandbox.wechatpay as WechatPayGateway;
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const rejected = {
      'bad signature': { signingKeyPem: strangerKey },
      'stale timestamp': { timestamp: now - 301 },
      'unknown serial': { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' },
      'SIGNTEST probe': { signature: 'WECHATPAY/SIGNTEST/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      'wrong APIv3 key': { apiV3Key: 'ffffffffffffffffffffffffffffffff' },
    };
    for (const [label, overrides] of Object.entries(rejected)) {
      const n = gateway.buildPaymentNotification(order.outTradeNo, overrides);
      const reply = await t.app.inject({ method: 'POST', url: order.notifyUrl, headers: n.headers, payload: n.body });
      expect(reply.statusCode, label).toBeGreaterThanOrEqual(400);
      expect(reply.statusCode, label).toBeLessThan(500);
      expect(JSON.parse(reply.body), label).toMatchObject({ code: 'FAIL' });
    }
    expect(
      await t.ctx.db
        .selectFrom('payment_notifications')
        .select('id')
        .where('out_trade_no', '=', order.outTradeNo)
        .execute(),
    ).toHaveLength(0);
    await expectUnchanged(order);

    const flagged = {
      'wrong amount': { resource: { amount: { total: 1, payer_total: 1, currency: 'CNY' } } },
      'other merchant': { resource: { mchid: '1900000109' } },
      'other app': { resource: { appid: 'wx0000000000000000' } },
    };
    for (const [label, overrides] of Object.entries(flagged)) {
      const n = gateway.buildPaymentNotification(order.outTradeNo, overrides);
      const reply = await t.app.inject({ method: 'POST', url: order.notifyUrl, headers: n.headers, payload: n.body });
      expect(reply.statusCode, label).toBe(204);
    }
    const stored = await t.ctx.db
      .selectFrom('payment_notifications')
      .select(['outcome', 'reason'])
      .where('out_trade_no', '=', order.outTradeNo)
      .execute();
    expect(stored.map((s) => s.outcome)).toEqual(['flagged', 'flagged', 'flagged']);
    await expectUnchanged(order);

    // the genuine one still works afterwards
    const genuine = gateway.buildPaymentNotification(order.outTradeNo);
    expect(
      (await t.app.inject({ method: 'POST', url: order.notifyUrl, headers: genuine.headers, payload: genuine.body }))
        .statusCode,
    ).toBe(204);
    expect((await orderRow(t, order.orderNo)).status).toBe('paid');
  });
});

describe('tampered Alipay notifications change nothing', () => {
  it('rejects a forged or altered signature; flags a wrong amount, app or seller', async () => {
    const order = await paidAtGatewayOnly('alipay');
    const keys = t.sandbox.simulator.keys.alipay;
    const amount = fenToYuanString(order.payable);
    const base = {
      out_trade_no: order.outTradeNo,
      total_amount: amount,
      receipt_amount: amount,
      buyer_pay_amount: amount,
    };
    const send = (body: string) =>
      t.app.inject({
        method: 'POST',
        url: order.notifyUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        payload: body,
      });

    for (const body of [
      buildAlipayNotificationBody(keys, base, { signingKeyPem: strangerKey }),
      buildAlipayNotificationBody(keys, base, { tamperAfterSigning: { total_amount: '0.01' } }),
    ]) {
      const reply = await send(body);
      expect(reply.body).not.toBe('success');
    }
    await expectUnchanged(order);
    for (const overrides of [
      { total_amount: '0.01' },
      { app_id: '2021000000000000' },
      { seller_id: '2088000000000000' },
    ]) {
      expect((await send(buildAlipayNotificationBody(keys, { ...base, ...overrides }))).body).toBe('success');
    }
    const stored = await t.ctx.db
      .selectFrom('payment_notifications')
      .select('outcome')
      .where('out_trade_no', '=', order.outTradeNo)
      .execute();
    expect(stored.map((s) => s.outcome)).toEqual(['flagged', 'flagged', 'flagged']);
    await expectUnchanged(order);
    expect((await send(buildAlipayNotificationBody(keys, base))).body).toBe('success');
    expect((await orderRow(t, order.orderNo)).status).toBe('paid');
  });
});
