import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import {
  buyerPays,
  eventsOf,
  multipartBody,
  orderRow,
  PNG_1X1,
  startPayment,
  unpaidOrder,
} from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

async function expectPaid(orderNo: string, amount: number, method: string) {
  const order = await orderRow(t, orderNo);
  expect(order).toMatchObject({ status: 'paid', payment_status: 'paid', paid_amount: amount });
  expect(order.paid_at).not.toBeNull();
  const payments = await t.ctx.db.selectFrom('payments').selectAll().where('order_id', '=', order.id).execute();
  expect(payments.filter((p) => p.status === 'paid')).toEqual([expect.objectContaining({ method, amount })]);
  const product = await t.ctx.db
    .selectFrom('order_lines as l')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .select(['p.reserved', 'p.sold'])
    .where('l.order_id', '=', order.id)
    .executeTakeFirst();
  if (product) expect(product).toEqual({ reserved: 0, sold: 1 });
  expect(await eventsOf(t, order.id, 'pay')).toHaveLength(1);
  const outbox = await t.ctx.db
    .selectFrom('outbox_events')
    .selectAll()
    .where('aggregate_id', '=', orderNo)
    .where('topic', '=', 'order.paid')
    .execute();
  expect(outbox).toHaveLength(1);
}

describe('paying through the simulator', () => {
  it('WeChat native: a weixin:// QR, the buyer pays, a signed encrypted notification marks the order paid', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const methods = await api(t, 'GET', `/v1/orders/${order.orderNo}/payment-methods?client=PC`, {
      token: buyer.token,
    });
    expect(methods.body[0]).toMatchObject({ method: 'wechat', channel: 'native', isDefault: true });

    const started = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    expect(started.status).toBe(200);
    expect(started.body.action.kind).toBe('qr');
    expect(started.body.action.content).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(started.body.payment).toMatchObject({ status: 'processing', amount: order.payable, method: 'wechat' });

    const again = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    expect(again.body.payment.outTradeNo).toBe(started.body.payment.outTradeNo);

    const png = await t.app.inject({
      method: 'GET',
      url: `/v1/payments/${started.body.payment.outTradeNo}/qr.png?access_token=${buyer.token}`,
    });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const svg = await t.app.inject({
      method: 'GET',
      url: `/v1/payments/${started.body.payment.outTradeNo}/qr.svg`,
      headers: { authorization: `Bearer ${buyer.token}` },
    });
    expect(svg.body).toContain('<svg');

    const paid = await buyerPays(t, started.body.action.content);
    expect(paid.status).toBe(200);
    const delivery = t.sandbox.simulator.deliveries.at(-1)!;
    expect(
      delivery.request.headers['wechatpay-signature'] ?? delivery.request.headers['Wechatpay-Signature'],
    ).toBeTruthy();
    expect(delivery.request.body).toContain('AEAD_AES_256_GCM');
    expect(delivery.status).toBeGreaterThanOrEqual(200);
    expect(delivery.status).toBeLessThan(300);
    await expectPaid(order.orderNo, order.payable, 'wechat');
    const status = await api(t, 'GET', `/v1/payments/${started.body.payment.outTradeNo}`, { token: buyer.token });
    expect(status.body).toMatchObject({ status: 'paid', action: null });
  });

  it('Alipay precreate: a qr.alipay.com QR, the buyer pays, the RSA2-signed notification marks the order paid', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 9_999);
    const started = await startPayment(t, buyer.token, order.orderNo, { method: 'alipay', client: 'PC' });
    expect(started.status).toBe(200);
    expect(started.body.action).toMatchObject({ kind: 'qr' });
    expect(started.body.action.content).toMatch(/^https:\/\/qr\.alipay\.com\//);
    await buyerPays(t, started.body.action.content);
    const delivery = t.sandbox.simulator.deliveries.at(-1)!;
    expect(delivery.request.body).toContain('sign=');
    await expectPaid(order.orderNo, order.payable, 'alipay');
  });

  it('balance: paid at once, the balance goes down by exactly the amount and the ledger says why', async () => {
    const buyer = await createMember(t);
    await t.ctx.db.updateTable('members').set({ balance: 50_000 }).where('id', '=', buyer.memberId).execute();
    const order = await unpaidOrder(t, admin, buyer.token, 12_345);
    const paid = await startPayment(t, buyer.token, order.orderNo, { method: 'balance', client: 'H5' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      action: null,
      payment: { status: 'paid', method: 'balance', amount: order.payable },
    });
    await expectPaid(order.orderNo, order.payable, 'balance');
    const member = await t.ctx.db
      .selectFrom('members')
      .select(['balance', 'pay_money'])
      .where('id', '=', buyer.memberId)
      .executeTakeFirstOrThrow();
    expect(member).toEqual({ balance: 50_000 - order.payable, pay_money: order.payable });
    const ledger = await api(t, 'GET', '/v1/me/ledger?account=balance', { token: buyer.token });
    expect(ledger.body).toEqual([
      expect.objectContaining({ delta: -order.payable, balanceAfter: 50_000 - order.payable, reason: 'order_payment' }),
    ]);
  });

  it('offline voucher: the buyer uploads proof, staff reject with a reason, the buyer uploads again, staff approve', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 50_000);
    const upload = (count: number) => {
      const body = multipartBody(
        { method: 'voucher_bank', client: 'PC', note: '已转账' },
        Array.from({ length: count }, (_, i) => ({
          name: 'images',
          filename: `proof${i}.png`,
          type: 'image/png',
          data: PNG_1X1,
        })),
      );
      return t.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.orderNo}/vouchers`,
        payload: body.payload,
        headers: { 'content-type': body.contentType, authorization: `Bearer ${buyer.token}` },
      });
    };
    const first = await upload(2);
    expect(first.statusCode).toBe(201);
    const firstPayment = first.json();
    expect((await orderRow(t, order.orderNo)).status).toBe('payment_review');
    expect((await startPayment(t, buyer.token, order.orderNo, { method: 'wechat', client: 'PC' })).status).toBe(409);

    const images = await api(t, 'GET', `/v1/payments/${firstPayment.outTradeNo}/vouchers`, { token: admin });
    expect(images.body).toHaveLength(2);
    const image = await t.app.inject({
      method: 'GET',
      url: `/v1/payments/${firstPayment.outTradeNo}/vouchers/${images.body[0].id}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(PNG_1X1)).toBe(true);

    const rejected = await api(t, 'POST', `/v1/admin/payments/${firstPayment.outTradeNo}/reject`, {
      token: admin,
      body: { reason: '未收到款项' },
    });
    expect(rejected.status).toBe(200);
    expect((await orderRow(t, order.orderNo)).status).toBe('pending_payment');
    expect(
      (await api(t, 'GET', `/v1/payments/${firstPayment.outTradeNo}/vouchers`, { token: admin })).body,
    ).toHaveLength(2);
    const history = await api(t, 'GET', `/v1/orders/${order.orderNo}/payments`, { token: buyer.token });
    expect(history.body[0]).toMatchObject({ status: 'failed', reviewNote: '未收到款项' });

    const second = await upload(1);
    expect(second.statusCode).toBe(201);
    const approved = await api(t, 'POST', `/v1/admin/payments/${second.json().outTradeNo}/approve`, {
      token: admin,
      body: {},
    });
    expect(approved.status).toBe(200);
    await expectPaid(order.orderNo, order.payable, 'voucher_bank');
    expect((await orderRow(t, order.orderNo)).payment_reviewed_at).not.toBeNull();
    const twice = await api(t, 'POST', `/v1/admin/payments/${second.json().outTradeNo}/approve`, {
      token: admin,
      body: {},
    });
    expect(twice.status).toBe(409);
  });

  it('refuses voucher files that are not pictures, and more than 9', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const send = async (files: { data: Buffer; type: string }[]) => {
      const body = multipartBody(
        { method: 'voucher_alipay', client: 'PC' },
        files.map((f, i) => ({ name: 'images', filename: `f${i}`, type: f.type, data: f.data })),
      );
      return t.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.orderNo}/vouchers`,
        payload: body.payload,
        headers: { 'content-type': body.contentType, authorization: `Bearer ${buyer.token}` },
      });
    };
    expect((await send([{ data: Buffer.from('<script>alert(1)</script>'), type: 'image/png' }])).statusCode).toBe(400);
    expect((await send(Array.from({ length: 10 }, () => ({ data: PNG_1X1, type: 'image/png' })))).statusCode).toBe(413);
    expect((await orderRow(t, order.orderNo)).status).toBe('pending_payment');
    expect(
      await t.ctx.db.selectFrom('payments').select('id').where('order_id', '=', order.orderId).execute(),
    ).toHaveLength(0);
  });

  it('cash at the till: an operator records it and the order is paid', async () => {
    const cashier = await staffToken(t, 'cashier');
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 2_000);
    expect(
      (
        await api(t, 'POST', `/v1/admin/orders/${order.orderNo}/cash`, {
          token: cashier,
          body: { amount: order.payable - 1 },
        })
      ).status,
    ).toBe(400);
    const paid = await api(t, 'POST', `/v1/admin/orders/${order.orderNo}/cash`, {
      token: cashier,
      body: { amount: order.payable },
    });
    expect(paid.status).toBe(201);
    await expectPaid(order.orderNo, order.payable, 'cash');
  });

  it('paying again with another method closes the earlier attempt first, and the old QR can no longer be paid', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token);
    const wechat = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    const alipay = await startPayment(t, buyer.token, order.orderNo, { method: 'alipay', client: 'PC' });
    expect(alipay.status).toBe(200);
    const attempts = await api(t, 'GET', `/v1/orders/${order.orderNo}/payments`, { token: buyer.token });
    expect(attempts.body.map((p: any) => [p.method, p.status])).toEqual([
      ['wechat', 'closed'],
      ['alipay', 'processing'],
    ]);
    const oldQr = await buyerPays(t, wechat.body.action.content);
    expect(oldQr.status).toBe(422);
    await buyerPays(t, alipay.body.action.content);
    await expectPaid(order.orderNo, order.payable, 'alipay');
  });

  it('tops up the balance with a recharge order paid by WeChat', async () => {
    const buyer = await createMember(t);
    const recharge = await api(t, 'POST', '/v1/recharges', { token: buyer.token, body: { amount: 20_000 } });
    expect(recharge.status).toBe(201);
    const methods = await api(t, 'GET', `/v1/orders/${recharge.body.orderNo}/payment-methods?client=PC`, {
      token: buyer.token,
    });
    expect(methods.body.map((m: any) => m.method).sort()).toEqual(['alipay', 'wechat']);
    expect(
      (await startPayment(t, buyer.token, recharge.body.orderNo, { method: 'balance', client: 'PC' })).status,
    ).toBe(422);
    const started = await startPayment(t, buyer.token, recharge.body.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    await buyerPays(t, started.body.action.content);
    const member = await t.ctx.db
      .selectFrom('members')
      .select('balance')
      .where('id', '=', buyer.memberId)
      .executeTakeFirstOrThrow();
    expect(member.balance).toBe(20_000);
    const ledger = await api(t, 'GET', '/v1/me/ledger?account=balance', { token: buyer.token });
    expect(ledger.body).toEqual([expect.objectContaining({ delta: 20_000, balanceAfter: 20_000, reason: 'recharge' })]);
  });
});

describe('the sandbox page', () => {
  it('lists QR payments waiting to be paid, with their content and amount, until they are paid', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 6_600);
    const wechat = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    const before = await t.app.inject({ method: 'GET', url: '/sandbox/' });
    expect(before.headers['content-type']).toContain('text/html');
    expect(before.body).toContain(wechat.body.action.content);
    expect(before.body).toContain('¥76.00'); // 66 yuan + 10 yuan shipping
    await buyerPays(t, wechat.body.action.content);
    const after = await t.app.inject({ method: 'GET', url: '/sandbox/' });
    expect(after.body).not.toContain(wechat.body.action.content);
  });
});
