import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { createAlipayProvider, type AlipayAccount } from '../../src/providers/alipay/alipay.ts';
import { verifyRequestParams } from '../../src/providers/alipay/signing.ts';
import { AlipayBusinessError } from '../../src/providers/alipay/transformers.ts';
import {
  NotificationRejected,
  type CreatePaymentRequest,
  type HttpRequest,
  type ParsedNotification,
  type ProviderEnvironment,
  type Transport,
} from '../../src/providers/provider.ts';
import { buildAlipayNotificationBody, createAlipayGateway } from '../../src/sandbox/alipay/gateway.ts';
import { generateSandboxKeys } from '../../src/secrets/sandbox-keys.ts';
import { DEFAULT_BEHAVIOUR, Simulator } from '../../src/sandbox/simulator.ts';

const keys = generateSandboxKeys();
const otherKeys = generateSandboxKeys();
const GATEWAY = 'http://127.0.0.1:8080/sandbox/alipay/gateway.do';
const NOTIFY = 'http://127.0.0.1:8080/v1/notify/alipay';
const START = new Date('2024-05-21T04:00:00Z');
const clock = new ManualClock(START);
const app = Fastify();

/** Reaches the gateway through app.inject: no network. */
const inject: Transport = async (request) => {
  const url = new URL(request.url);
  const res = await app.inject({
    method: request.method,
    url: url.pathname + url.search,
    headers: request.headers,
    payload: request.body,
  });
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body };
};

const account: AlipayAccount = {
  appId: keys.alipay.appId,
  sellerId: keys.alipay.sellerId,
  appPrivateKeyPem: keys.alipay.appPrivateKeyPem,
  alipayPublicKeyPem: keys.alipay.alipayPublicKeyPem,
  gatewayUrl: GATEWAY,
};
const env = (transport: Transport = inject): ProviderEnvironment => ({ transport, clock, nonce: () => 'nonce' });
const provider = createAlipayProvider(account, env());

/** ordo's notify endpoint, reduced to what the provider decides: verify → ack, anything else → nack. */
const received: { request: HttpRequest; parsed?: ParsedNotification; rejected?: NotificationRejected }[] = [];
const deliver: Transport = async (request) => {
  try {
    const parsed = provider.parseNotification({ headers: request.headers, rawBody: request.body ?? '' });
    received.push({ request, parsed });
    return provider.ack();
  } catch (error) {
    received.push({ request, rejected: error as NotificationRejected });
    return provider.nack('rejected');
  }
};
const sim = new Simulator(keys, clock, deliver);
const gateway = createAlipayGateway(sim);

beforeAll(async () => {
  await app.register(gateway.routes, { prefix: '/sandbox/alipay' });
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  clock.set(START);
  sim.behaviour = { ...DEFAULT_BEHAVIOUR };
  received.length = 0;
});

let seq = 0;
const order = (
  channel: CreatePaymentRequest['channel'],
  amount = 1234,
  description = '测试订单',
): CreatePaymentRequest => ({
  outTradeNo: `T${Date.now()}${++seq}`,
  amount,
  description,
  channel,
  expiresAt: new Date(clock.now().getTime() + 15 * 60_000),
  notifyUrl: NOTIFY,
  returnUrl: 'http://shop.test/return?a=1&b=2',
});

async function precreate(amount = 1234) {
  const request = order('precreate', amount);
  const { action } = await provider.create(request);
  if (action.kind !== 'qr') throw new Error(`expected a QR, got ${action.kind}`);
  return { request, qr: action.content };
}

const hiddenInputs = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
      m[1],
      (m[2] as string).replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
    ]),
  );

describe('precreate, query and payment notification', () => {
  it('hands out a QR the gateway owns; the trade does not exist until paid, then is paid', async () => {
    const { request, qr } = await precreate();
    expect(qr.startsWith('https://qr.alipay.com/')).toBe(true);
    expect(gateway.owns(qr)).toBe(true);
    expect(gateway.owns('https://qr.alipay.com/bax0unknown')).toBe(false);
    expect((await provider.query(request.outTradeNo)).state).toBe('not_found');

    clock.advance(30_000);
    expect(await gateway.pay(qr)).toEqual({ outTradeNo: request.outTradeNo, amount: 1234 });
    const paid = await provider.query(request.outTradeNo);
    expect(paid).toMatchObject({ state: 'paid', paidAmount: 1234, paidAt: clock.now() });
    expect(paid.providerTradeId).toMatch(/^2024052122001\d{15}$/);
    await expect(gateway.pay(qr)).rejects.toThrow(/already paid/);
  });

  it('sends a form-encoded notification that verifies and maps, acknowledged with "success"', async () => {
    const { request, qr } = await precreate(1);
    await gateway.pay(qr);
    await sim.settle();
    expect(received).toHaveLength(1);
    const [{ request: sent, parsed }] = received as [(typeof received)[number]];
    expect(sent.url).toBe(NOTIFY);
    expect(sent.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(sent.body);
    expect(form.get('fund_bill_list')).toBe('[{"amount":"0.01","fundChannel":"ALIPAYACCOUNT"}]');
    expect(form.get('sign_type')).toBe('RSA2');
    expect(parsed).toMatchObject({
      kind: 'payment',
      notificationId: form.get('notify_id'),
      outTradeNo: request.outTradeNo,
      providerTradeId: (await provider.query(request.outTradeNo)).providerTradeId,
      paid: true,
      amount: 1,
      paidAt: clock.now(),
      account: { merchantId: keys.alipay.sellerId, appId: keys.alipay.appId },
    });
    expect(sim.deliveries.at(-1)?.status).toBe(200);
    expect(provider.ack()).toMatchObject({ status: 200, body: 'success' });
    expect(provider.nack('x').body).not.toBe('success');
  });

  it('answers WAIT_BUYER_PAY (paying) once the buyer has scanned and not confirmed', async () => {
    const { request } = await precreate();
    sim.behaviour.userPaying = true;
    expect((await provider.query(request.outTradeNo)).state).toBe('paying');
  });

  it('refuses to pay after time_expire', async () => {
    const { qr } = await precreate();
    clock.advance(16 * 60_000);
    await expect(gateway.pay(qr)).rejects.toThrow(/closed/);
  });
});

describe('page, wap and app', () => {
  it('page: an auto-submitting form of signed, escaped parameters the gateway accepts', async () => {
    const request = {
      ...order('page', 1999, 'Tea "Oolong" <500g> & \'co\''),
      expiresAt: new Date('2024-05-21T16:30:00Z'),
    };
    const { action } = await provider.create(request);
    if (action.kind !== 'form') throw new Error(action.kind);
    expect(action.html).toContain(`action="${GATEWAY}"`);
    expect(action.html).toContain('.submit()');
    expect(action.html).not.toContain('<500g>');
    const params = hiddenInputs(action.html);
    expect(params.method).toBe('alipay.trade.page.pay');
    expect(params.timestamp).toBe('2024-05-21 12:00:00'); // UTC+8
    expect(JSON.parse(params.biz_content as string)).toEqual({
      out_trade_no: request.outTradeNo,
      total_amount: '19.99',
      subject: 'Tea "Oolong" <500g> & \'co\'',
      product_code: 'FAST_INSTANT_TRADE_PAY',
      time_expire: '2024-05-22 00:30:00',
    });
    expect(params.return_url).toBe('http://shop.test/return?a=1&b=2');

    const post = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/sandbox/alipay/gateway.do',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    const cashier = await post(params as Record<string, string>);
    expect(cashier.statusCode).toBe(200);
    expect(cashier.body).toContain('¥19.99');
    const tampered = await post({
      ...(params as Record<string, string>),
      biz_content: (params.biz_content as string).replace('19.99', '0.01'),
    });
    expect(tampered.statusCode).toBe(400);
    expect(tampered.body).toContain('isv.invalid-signature');
    expect(gateway.owns(action.html)).toBe(true);
  });

  it('wap: a signed gateway URL; the buyer pays from the cashier page and ordo is notified', async () => {
    const request = order('wap', 500);
    const { action } = await provider.create(request);
    if (action.kind !== 'redirect') throw new Error(action.kind);
    expect(action.url.startsWith(`${GATEWAY}?`)).toBe(true);
    const url = new URL(action.url);
    expect(JSON.parse(url.searchParams.get('biz_content') as string).product_code).toBe('QUICK_WAP_WAY');
    const cashier = await app.inject({ method: 'GET', url: url.pathname + url.search });
    expect(cashier.statusCode).toBe(200);
    expect(cashier.body).toContain('¥5.00');
    expect(cashier.body).toContain('action="pay"');

    url.searchParams.set('notify_url', 'http://evil.test/notify');
    expect((await app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode).toBe(400);

    const paid = await app.inject({
      method: 'POST',
      url: '/sandbox/alipay/pay',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `out_trade_no=${encodeURIComponent(request.outTradeNo)}`,
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.body).toContain('href="http://shop.test/return?a=1&#38;b=2"');
    await sim.settle();
    expect(received.map((r) => r.parsed?.outTradeNo)).toEqual([request.outTradeNo]);
    expect((await provider.query(request.outTradeNo)).state).toBe('paid');
  });

  it('app: an order string signed for the SDK that the gateway can be paid through', async () => {
    const request = order('app', 800);
    const { action } = await provider.create(request);
    if (action.kind !== 'sdk_params') throw new Error(action.kind);
    const orderString = action.params.orderString as string;
    const params = Object.fromEntries(new URLSearchParams(orderString));
    expect(params.method).toBe('alipay.trade.app.pay');
    expect(JSON.parse(params.biz_content as string).product_code).toBe('QUICK_MSECURITY_PAY');
    expect(verifyRequestParams(params, keys.alipay.appPublicKeyPem)).toBe(true);
    expect(verifyRequestParams({ ...params, notify_url: 'http://evil.test/' }, keys.alipay.appPublicKeyPem)).toBe(
      false,
    );
    expect(gateway.owns(orderString)).toBe(true);
    expect(gateway.owns(orderString.replace('8.00', '0.01'))).toBe(false);
    expect(await gateway.pay(orderString)).toEqual({ outTradeNo: request.outTradeNo, amount: 800 });
  });

  it('refuses channels Alipay does not have', async () => {
    await expect(provider.create(order('native'))).rejects.toThrow(/no native channel/);
  });
});

describe('close', () => {
  it('closes a waiting trade, which then cannot be paid', async () => {
    const { request, qr } = await precreate();
    sim.behaviour.userPaying = true;
    await provider.query(request.outTradeNo);
    expect(await provider.close(request.outTradeNo)).toEqual({ closed: true });
    expect((await provider.query(request.outTradeNo)).state).toBe('closed');
    await expect(gateway.pay(qr)).rejects.toThrow(/closed/);
    expect(received).toHaveLength(0);
  });

  it('reports already_paid, not_found for an unscanned precreate, and a system error', async () => {
    const paid = await precreate();
    await gateway.pay(paid.qr);
    expect(await provider.close(paid.request.outTradeNo)).toEqual({ closed: false, reason: 'already_paid' });
    const unscanned = await precreate();
    expect(await provider.close(unscanned.request.outTradeNo)).toEqual({ closed: false, reason: 'not_found' });
    sim.behaviour.failClose = true;
    expect(await provider.close(unscanned.request.outTradeNo)).toMatchObject({
      closed: false,
      reason: 'error',
      message: expect.stringContaining('ACQ.SYSTEM_ERROR'),
    });
  });
});

describe('refund', () => {
  it('is idempotent per out_request_no, never exceeds the payment, and is confirmed by query and notification', async () => {
    const { request, qr } = await precreate(1000);
    await gateway.pay(qr);
    await sim.settle();
    received.length = 0;
    const refund = (outRefundNo: string, refundAmount: number) =>
      provider.refund({
        outTradeNo: request.outTradeNo,
        outRefundNo,
        refundAmount,
        totalAmount: 1000,
        reason: '退货',
        notifyUrl: NOTIFY,
      });

    const first = await refund('R1', 300);
    expect(first.state).toBe('succeeded');
    expect(first.raw).toMatchObject({ fund_change: 'Y', refund_fee: '3.00' });
    const again = await refund('R1', 300);
    expect(again).toEqual(first);
    await expect(refund('R2', 701)).rejects.toMatchObject({ subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
    expect((await refund('R2', 700)).raw).toMatchObject({ refund_fee: '10.00' });
    await expect(refund('R3', 1)).rejects.toBeInstanceOf(AlipayBusinessError);

    expect(await provider.queryRefund('R1', request.outTradeNo)).toMatchObject({
      state: 'succeeded',
      raw: { refund_amount: '3.00' },
    });
    expect((await provider.queryRefund('R9', request.outTradeNo)).state).toBe('processing');
    expect((await provider.query(request.outTradeNo)).state).toBe('closed');

    await sim.settle();
    // One notification per refund that moved money, none for the retry; refund_fee is cumulative.
    expect(received.map((r) => r.parsed)).toEqual([
      expect.objectContaining({
        kind: 'refund',
        outTradeNo: request.outTradeNo,
        outRefundNo: 'R1',
        state: 'succeeded',
        amount: 300,
      }),
      expect.objectContaining({ kind: 'refund', outRefundNo: 'R2', amount: 1000 }),
    ]);
    expect(new URLSearchParams(received[1]?.request.body).get('trade_status')).toBe('TRADE_CLOSED');
  });

  it('is refused for a trade that was never paid', async () => {
    const { request } = await precreate();
    await expect(
      provider.refund({
        outTradeNo: request.outTradeNo,
        outRefundNo: 'R1',
        refundAmount: 1,
        totalAmount: 1234,
        reason: '',
        notifyUrl: NOTIFY,
      }),
    ).rejects.toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });
  });
});

describe('notifications ordo must not apply', () => {
  const parse = (rawBody: string) =>
    provider.parseNotification({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody });
  const rejection = (rawBody: string) => {
    try {
      parse(rawBody);
    } catch (error) {
      return (error as NotificationRejected).reason;
    }
    return 'accepted';
  };

  it('a genuine one parses; validly signed mismatches reach the core with their own amount and account', () => {
    expect(parse(buildAlipayNotificationBody(keys.alipay))).toMatchObject({
      kind: 'payment',
      amount: 1,
      outTradeNo: 'T202405210001',
    });
    expect(parse(buildAlipayNotificationBody(keys.alipay, { total_amount: '999.00' }))).toMatchObject({
      amount: 99900,
    });
    expect(parse(buildAlipayNotificationBody(keys.alipay, { app_id: otherKeys.alipay.appId }))).toMatchObject({
      account: { appId: otherKeys.alipay.appId },
    });
    expect(parse(buildAlipayNotificationBody(keys.alipay, { trade_status: 'WAIT_BUYER_PAY' }))).toMatchObject({
      kind: 'payment',
      paid: false,
    });
  });

  it('rejects tampered, forged, unsigned and malformed ones', () => {
    expect(
      rejection(buildAlipayNotificationBody(keys.alipay, {}, { tamperAfterSigning: { total_amount: '0.02' } })),
    ).toBe('bad_signature');
    expect(
      rejection(
        buildAlipayNotificationBody(keys.alipay, {}, { tamperAfterSigning: { app_id: otherKeys.alipay.appId } }),
      ),
    ).toBe('bad_signature');
    expect(
      rejection(buildAlipayNotificationBody(keys.alipay, {}, { signingKeyPem: otherKeys.alipay.alipayPrivateKeyPem })),
    ).toBe('bad_signature');
    expect(rejection(buildAlipayNotificationBody(keys.alipay, {}, { tamperAfterSigning: { sign: '' } }))).toBe(
      'bad_signature',
    );
    expect(rejection(buildAlipayNotificationBody(keys.alipay, {}, { tamperAfterSigning: { sign_type: 'RSA' } }))).toBe(
      'bad_signature',
    );
    expect(rejection(buildAlipayNotificationBody(keys.alipay, { notify_id: undefined }))).toBe('malformed');
    expect(rejection(buildAlipayNotificationBody(keys.alipay, { total_amount: '0.011' }))).toBe('malformed');
    expect(rejection(`${buildAlipayNotificationBody(keys.alipay)}&total_amount=0.01`)).toBe('malformed');
  });
});

describe('gateway answers and requests ordo must not trust', () => {
  it('rejects an answer whose signature does not match its text', async () => {
    const { request } = await precreate();
    const tampering: Transport = async (req) => {
      const res = await inject(req);
      return { ...res, body: res.body.replace('ACQ.TRADE_NOT_EXIST', 'ACQ.TRADE_NOT_EXIS') };
    };
    await expect(createAlipayProvider(account, env(tampering)).query(request.outTradeNo)).rejects.toThrow(/signature/);
    // Answers signed by another "Alipay" key are refused as well.
    const forged = createAlipayProvider({ ...account, alipayPublicKeyPem: otherKeys.alipay.alipayPublicKeyPem }, env());
    await expect(forged.query(request.outTradeNo)).rejects.toThrow(/signature/);
  });

  it('the gateway refuses a request signed with another key or for another app (signed error_response)', async () => {
    const wrongKey = createAlipayProvider({ ...account, appPrivateKeyPem: otherKeys.alipay.appPrivateKeyPem }, env());
    await expect(wrongKey.query('T1')).rejects.toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
    const wrongApp = createAlipayProvider({ ...account, appId: otherKeys.alipay.appId }, env());
    await expect(wrongApp.query('T1')).rejects.toMatchObject({ subCode: 'isv.invalid-app-id' });
  });

  it("works with bare base64 keys as Alipay's console shows them", async () => {
    const bare = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const bareProvider = createAlipayProvider(
      {
        ...account,
        appPrivateKeyPem: bare(account.appPrivateKeyPem),
        alipayPublicKeyPem: bare(account.alipayPublicKeyPem),
      },
      env(),
    );
    const { request } = await precreate();
    expect((await bareProvider.query(request.outTradeNo)).state).toBe('not_found');
  });
});
