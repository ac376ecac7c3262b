import { generateKeyPairSync, verify } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import {
  NotificationRejected,
  type CreatePaymentRequest,
  type HttpRequest,
  type PaymentProvider,
  type Transport,
} from '../../src/providers/provider.ts';
import {
  createWechatPayProvider,
  WechatPayError,
  type WechatPayAccount,
} from '../../src/providers/wechatpay/wechatpay.ts';
import {
  createWechatPayGateway,
  type SignedNotification,
  type WechatPayGateway,
} from '../../src/sandbox/wechatpay/gateway.ts';
import { generateSandboxKeys, type SandboxKeys } from '../../src/secrets/sandbox-keys.ts';
import { DEFAULT_BEHAVIOUR, Simulator } from '../../src/sandbox/simulator.ts';

const BASE_URL = 'http://127.0.0.1:8080/sandbox/wechatpay';
const PAY_NOTIFY = 'http://127.0.0.1:8080/notify/wechatpay';
const REFUND_NOTIFY = 'http://127.0.0.1:8080/notify/wechatpay/refund';

let keys: SandboxKeys;
let clock: ManualClock;
let sim: Simulator;
let gateway: WechatPayGateway;
let app: FastifyInstance;
let transport: Transport;
let account: WechatPayAccount;
let provider: PaymentProvider;
/** what the simulator delivered to "ordo" */
let delivered: HttpRequest[];
let sequence = 0;

/** The gateway in a bare Fastify instance, reached through app.inject: the whole HTTP path without a socket. */
function injectTransport(server: FastifyInstance): Transport {
  return async (request) => {
    const url = new URL(request.url);
    const response = await server.inject({
      method: request.method,
      url: url.pathname + url.search,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    });
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
    );
    return { status: response.statusCode, headers, body: response.body };
  };
}

const providerWith = (overrides: Partial<WechatPayAccount> = {}, via: Transport = transport) =>
  createWechatPayProvider({ ...account, ...overrides }, { transport: via, clock, nonce: () => `NONCE${++sequence}` });

const order = (overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest => ({
  outTradeNo: `T${Date.now()}${++sequence}`,
  amount: 100,
  description: 'ordo test order',
  channel: 'native',
  expiresAt: new Date(clock.now().getTime() + 15 * 60_000),
  notifyUrl: PAY_NOTIFY,
  ...overrides,
});

const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
const incoming = (n: SignedNotification | HttpRequest) => ({ headers: n.headers, rawBody: n.body ?? '' });

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof NotificationRejected ? e.reason : `not a NotificationRejected: ${String(e)}`;
  }
  return 'accepted';
}

async function paidNativeOrder(amount = 100) {
  const request = order({ amount });
  const created = await provider.create(request);
  if (created.action.kind !== 'qr') throw new Error('expected a QR');
  await gateway.pay(created.action.content);
  await sim.settle();
  return request;
}

beforeAll(async () => {
  keys = generateSandboxKeys();
  clock = new ManualClock(new Date('2024-05-01T02:00:00Z'));
  sim = new Simulator(keys, clock, async (request) => {
    delivered.push(request);
    return { status: 204, headers: {}, body: '' };
  });
  gateway = createWechatPayGateway(sim);
  app = Fastify();
  await app.register(gateway.routes, { prefix: '/sandbox/wechatpay' });
  transport = injectTransport(app);
  const w = keys.wechat;
  account = {
    mchid: w.mchid,
    appid: w.appid,
    merchantSerialNo: w.merchantSerialNo,
    merchantPrivateKeyPem: w.merchantPrivateKeyPem,
    apiV3Key: w.apiV3Key,
    platformKeys: { [w.platformKeyId]: w.platformPublicKeyPem },
    baseUrl: BASE_URL,
  };
  provider = providerWith();
});

afterAll(() => app.close());

beforeEach(() => {
  delivered = [];
  sim.behaviour = { ...DEFAULT_BEHAVIOUR };
});

describe('creating payments', () => {
  it('native: a weixin:// QR the gateway owns; query before and after the buyer pays', async () => {
    const request = order({ amount: 1234 });
    const created = await provider.create(request);
    expect(created.action.kind).toBe('qr');
    const content = created.action.kind === 'qr' ? created.action.content : '';
    expect(content).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=\w+$/);
    expect(gateway.owns(content)).toBe(true);
    expect(gateway.owns('weixin://wxpay/bizpayurl?pr=someoneelse')).toBe(false);

    const before = await provider.query(request.outTradeNo);
    expect(before).toMatchObject({ state: 'unpaid' });
    expect(before.paidAmount).toBeUndefined();

    clock.advance(60_000);
    expect(await gateway.pay(content)).toEqual({ outTradeNo: request.outTradeNo, amount: 1234 });
    const after = await provider.query(request.outTradeNo);
    expect(after).toMatchObject({ state: 'paid', paidAmount: 1234, paidAt: clock.now() });
    expect(after.providerTradeId).toMatch(/^4200\d{24}$/);
  });

  it('sends the order body WeChat expects: Beijing-time time_expire, fen, CNY', async () => {
    const seen: HttpRequest[] = [];
    const spying = providerWith({}, (r) => (seen.push(r), transport(r)));
    await spying.create(order({ outTradeNo: 'ORDO-BODY-1', amount: 5, expiresAt: new Date('2024-05-01T02:15:00Z') }));
    expect(seen[0]!.url).toBe(`${BASE_URL}/v3/pay/transactions/native`);
    expect(JSON.parse(seen[0]!.body!)).toEqual({
      appid: account.appid,
      mchid: account.mchid,
      description: 'ordo test order',
      out_trade_no: 'ORDO-BODY-1',
      time_expire: '2024-05-01T10:15:00+08:00',
      notify_url: PAY_NOTIFY,
      amount: { total: 5, currency: 'CNY' },
    });
    expect(seen[0]!.headers.Authorization).toMatch(
      new RegExp(
        `^WECHATPAY2-SHA256-RSA2048 mchid="${account.mchid}",nonce_str="NONCE\\d+",timestamp="${nowSeconds()}",serial_no="${account.merchantSerialNo}",signature="`,
      ),
    );
  });

  it.each(['jsapi', 'mini'] as const)(
    '%s: sdk_params with a paySign that verifies with the merchant key',
    async (channel) => {
      const request = order({ channel, openId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
      const created = await provider.create(request);
      if (created.action.kind !== 'sdk_params') throw new Error(`expected sdk_params, got ${created.action.kind}`);
      const p = created.action.params;
      expect(p).toMatchObject({ appId: account.appid, timeStamp: String(nowSeconds()), signType: 'RSA' });
      expect(p.package).toMatch(/^prepay_id=wx\d{14}[0-9a-f]{20}$/);
      const message = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
      expect(
        verify('RSA-SHA256', Buffer.from(message), keys.wechat.merchantPublicKeyPem, Buffer.from(p.paySign!, 'base64')),
      ).toBe(true);
      expect(gateway.trade(request.outTradeNo)).toMatchObject({
        trade_type: 'JSAPI',
        openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      });
      // the sandbox page pays a jsapi trade by its package
      expect(gateway.owns(p.package!)).toBe(true);
      await gateway.pay(p.package!);
      expect(await provider.query(request.outTradeNo)).toMatchObject({ state: 'paid', paidAmount: 100 });
    },
  );

  it('jsapi without an openid is refused before anything is sent', async () => {
    await expect(provider.create(order({ channel: 'jsapi' }))).rejects.toThrow(/openid/);
  });

  it('h5: a redirect to the h5_url (with the return URL) the gateway owns', async () => {
    const created = await provider.create(
      order({ channel: 'h5', clientIp: '203.0.113.7', returnUrl: 'https://shop.example/orders/1?paid=1' }),
    );
    if (created.action.kind !== 'redirect') throw new Error('expected a redirect');
    expect(created.action.url).toMatch(
      /^https:\/\/wx\.tenpay\.com\/cgi-bin\/mmpayweb-bin\/checkmweb\?prepay_id=wx\w+&package=\d+&redirect_url=https%3A%2F%2Fshop\.example%2Forders%2F1%3Fpaid%3D1$/,
    );
    expect(gateway.owns(created.action.url)).toBe(true);
    await expect(provider.create(order({ channel: 'h5' }))).rejects.toThrow(/client IP/);
  });

  it('app: sdk_params whose sign verifies over appid, timestamp, noncestr, prepayid', async () => {
    const created = await provider.create(order({ channel: 'app' }));
    if (created.action.kind !== 'sdk_params') throw new Error('expected sdk_params');
    const p = created.action.params;
    expect(p).toMatchObject({ appid: account.appid, partnerid: account.mchid, package: 'Sign=WXPay' });
    const message = `${p.appid}\n${p.timestamp}\n${p.noncestr}\n${p.prepayid}\n`;
    expect(
      verify('RSA-SHA256', Buffer.from(message), keys.wechat.merchantPublicKeyPem, Buffer.from(p.sign!, 'base64')),
    ).toBe(true);
  });

  it('the same out_trade_no again: same answer; with another amount: INVALID_REQUEST', async () => {
    const request = order();
    const first = await provider.create(request);
    expect((await provider.create(request)).action).toEqual(first.action);
    await expect(provider.create({ ...request, amount: 101 })).rejects.toMatchObject({
      name: 'WechatPayError',
      status: 400,
      code: 'INVALID_REQUEST',
    });
  });

  it('query: USERPAYING while the buyer is confirming, not_found for an unknown trade', async () => {
    const request = order();
    await provider.create(request);
    sim.behaviour.userPaying = true;
    expect(await provider.query(request.outTradeNo)).toMatchObject({ state: 'paying' });
    expect(await provider.query('NOSUCHTRADE1')).toMatchObject({ state: 'not_found' });
  });
});

describe('the payment notification', () => {
  it('is what pay() sends, and parses into the payment', async () => {
    const request = await paidNativeOrder(2500);
    expect(delivered).toHaveLength(1);
    const sent = delivered[0]!;
    expect(sent).toMatchObject({ method: 'POST', url: PAY_NOTIFY });
    const envelope = JSON.parse(sent.body!);
    expect(envelope).toMatchObject({
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
      resource: { algorithm: 'AEAD_AES_256_GCM' },
    });
    expect(sent.body).not.toContain(request.outTradeNo); // the resource is encrypted

    const parsed = provider.parseNotification(incoming(sent));
    const trade = gateway.trade(request.outTradeNo)!;
    expect(parsed).toMatchObject({
      kind: 'payment',
      notificationId: envelope.id,
      outTradeNo: request.outTradeNo,
      providerTradeId: trade.transaction_id,
      paid: true,
      amount: 2500,
      paidAt: clock.now(),
      account: { merchantId: account.mchid, appId: account.appid },
    });
  });

  it('is sent again while ordo does not acknowledge, and not at all when dropped', async () => {
    const nacking = new Simulator(
      keys,
      clock,
      async (r) => (delivered.push(r), { status: 500, headers: {}, body: '' }),
    );
    const g = createWechatPayGateway(nacking);
    const server = Fastify();
    await server.register(g.routes, { prefix: '/sandbox/wechatpay' });
    const p = providerWith({}, injectTransport(server));
    const created = await p.create(order());
    await g.pay(created.action.kind === 'qr' ? created.action.content : '');
    await nacking.settle();
    expect(delivered).toHaveLength(DEFAULT_BEHAVIOUR.maxAttempts);
    expect(new Set(delivered.map((d) => JSON.parse(d.body!).id)).size).toBe(1); // one notification id across retries
    await server.close();

    delivered = [];
    sim.behaviour.notifications = 'drop';
    await paidNativeOrder();
    expect(delivered).toHaveLength(0);
  });

  it('rejects forged and probing notifications with the right reason', async () => {
    const { outTradeNo } = await paidNativeOrder();
    const now = nowSeconds();
    const good = gateway.buildPaymentNotification(outTradeNo);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(rejection(() => provider.parseNotification(incoming(good)))).toBe('accepted');

    const cases: [string, SignedNotification, string][] = [
      [
        'body altered after signing',
        { ...good, body: good.body.replace('"encrypt-resource"', '"encrypt-resource" ') },
        'bad_signature',
      ],
      [
        'signed with another key',
        gateway.buildPaymentNotification(outTradeNo, { signingKeyPem: otherKey }),
        'bad_signature',
      ],
      ['stale by 301 s', gateway.buildPaymentNotification(outTradeNo, { timestamp: now - 301 }), 'stale'],
      [
        'a SIGNTEST probe',
        gateway.buildPaymentNotification(outTradeNo, { signature: 'WECHATPAY/SIGNTEST/rD8LTPdX4ZXUVX9DA==' }),
        'probe',
      ],
      [
        'an unknown serial',
        gateway.buildPaymentNotification(outTradeNo, { serial: 'PUB_KEY_ID_0100000000000000000000000000000000' }),
        'unknown_key',
      ],
      [
        'encrypted with another APIv3 key',
        gateway.buildPaymentNotification(outTradeNo, { apiV3Key: 'x'.repeat(32) }),
        'decrypt_failed',
      ],
      [
        'an unexpected event type',
        gateway.buildPaymentNotification(outTradeNo, { eventType: 'TRANSACTION.SOMETHING' }),
        'malformed',
      ],
    ];
    for (const [name, notification, reason] of cases) {
      expect({ name, reason: rejection(() => provider.parseNotification(incoming(notification))) }).toEqual({
        name,
        reason,
      });
    }
  });

  it('reports a validly signed notification as the gateway wrote it, so the core can flag a wrong amount or account', async () => {
    const { outTradeNo } = await paidNativeOrder(100);
    const wrongAmount = provider.parseNotification(
      incoming(
        gateway.buildPaymentNotification(outTradeNo, {
          resource: { amount: { total: 1, payer_total: 1, currency: 'CNY' } },
        }),
      ),
    );
    expect(wrongAmount).toMatchObject({ kind: 'payment', outTradeNo, amount: 1 });
    const otherMerchant = provider.parseNotification(
      incoming(gateway.buildPaymentNotification(outTradeNo, { resource: { mchid: '1900000999', appid: 'wxother' } })),
    );
    expect(otherMerchant).toMatchObject({ kind: 'payment', account: { merchantId: '1900000999', appId: 'wxother' } });
  });

  it('answers WeChat with 204 to acknowledge and a FAIL body to ask for a retry', () => {
    expect(provider.ack()).toEqual({ status: 204, headers: {}, body: '' });
    const nack = provider.nack('busy');
    expect(nack.status).toBe(500);
    expect(JSON.parse(nack.body)).toEqual({ code: 'FAIL', message: 'busy' });
  });
});

describe('closing', () => {
  it('closes an unpaid trade, which can then no longer be paid', async () => {
    const request = order();
    const created = await provider.create(request);
    expect(await provider.close(request.outTradeNo)).toEqual({ closed: true });
    expect(await provider.query(request.outTradeNo)).toMatchObject({ state: 'closed' });
    await expect(gateway.pay(created.action.kind === 'qr' ? created.action.content : '')).rejects.toThrow(/closed/);
    expect(await provider.close(request.outTradeNo)).toEqual({ closed: true }); // again: still fine
  });

  it('reports already_paid when the buyer paid first', async () => {
    const request = await paidNativeOrder();
    expect(await provider.close(request.outTradeNo)).toEqual({ closed: false, reason: 'already_paid' });
  });

  it('reports an error when the gateway fails, and the trade stays open', async () => {
    const request = order();
    await provider.create(request);
    sim.behaviour.failClose = true;
    expect(await provider.close(request.outTradeNo)).toMatchObject({
      closed: false,
      reason: 'error',
      message: expect.stringContaining('SYSTEM_ERROR'),
    });
    expect(await provider.query(request.outTradeNo)).toMatchObject({ state: 'unpaid' });
  });

  it('lets a buyer pay after ordo’s expiry when the trade was never closed (a late payment)', async () => {
    const request = order({ expiresAt: new Date(clock.now().getTime() + 60_000) });
    const created = await provider.create(request);
    clock.advance(10 * 60_000);
    await gateway.pay(created.action.kind === 'qr' ? created.action.content : '');
    await sim.settle();
    expect(provider.parseNotification(incoming(delivered[0]!))).toMatchObject({
      kind: 'payment',
      outTradeNo: request.outTradeNo,
    });
  });
});

describe('refunds', () => {
  it('accepts a refund as processing, completes it, and notifies its own notify_url', async () => {
    const request = await paidNativeOrder(1000);
    delivered = [];
    const refund = {
      outTradeNo: request.outTradeNo,
      outRefundNo: `R${++sequence}xyz`,
      refundAmount: 300,
      totalAmount: 1000,
      reason: 'damaged',
      notifyUrl: REFUND_NOTIFY,
    };
    const accepted = await provider.refund(refund);
    expect(accepted.state).toBe('processing');
    expect(accepted.providerRefundId).toMatch(/^50\d{30}$/);
    await sim.settle();

    expect(delivered.map((d) => d.url)).toEqual([REFUND_NOTIFY]);
    const parsed = provider.parseNotification(incoming(delivered[0]!));
    expect(parsed).toMatchObject({
      kind: 'refund',
      notificationId: JSON.parse(delivered[0]!.body!).id,
      outTradeNo: request.outTradeNo,
      outRefundNo: refund.outRefundNo,
      state: 'succeeded',
      amount: 300,
      account: { merchantId: account.mchid, appId: account.appid },
    });
    expect(await provider.queryRefund(refund.outRefundNo, refund.outTradeNo)).toMatchObject({
      state: 'succeeded',
      providerRefundId: accepted.providerRefundId,
    });
    expect(await provider.query(request.outTradeNo)).toMatchObject({ state: 'refunded', paidAmount: 1000 });

    // a retry of the same refund is answered, not doubled; more than what is left is refused
    expect(await provider.refund(refund)).toMatchObject({
      state: 'succeeded',
      providerRefundId: accepted.providerRefundId,
    });
    await expect(
      provider.refund({ ...refund, outRefundNo: `R${++sequence}big`, refundAmount: 701 }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await provider.refund({ ...refund, outRefundNo: `R${++sequence}rest`, refundAmount: 700 })).toMatchObject({
      state: 'processing',
    });
  });

  it('refuses to refund an unpaid trade', async () => {
    const request = order();
    await provider.create(request);
    await expect(
      provider.refund({
        outTradeNo: request.outTradeNo,
        outRefundNo: 'R-unpaid-1',
        refundAmount: 1,
        totalAmount: 100,
        reason: 'x',
        notifyUrl: REFUND_NOTIFY,
      }),
    ).rejects.toBeInstanceOf(WechatPayError);
  });
});

describe('signatures between ordo and the gateway', () => {
  it('rejects a gateway answer whose body was altered or whose signature is wrong', async () => {
    const altered: Transport = async (r) => {
      const res = await transport(r);
      return { ...res, body: res.body.replace('bizpayurl?pr=', 'bizpayurl?pr=evil') };
    };
    await expect(providerWith({}, altered).create(order())).rejects.toThrow(/failed verification \(bad_signature/);

    const badSignature: Transport = async (r) => {
      const res = await transport(r);
      return { ...res, headers: { ...res.headers, 'wechatpay-signature': Buffer.alloc(256, 1).toString('base64') } };
    };
    await expect(providerWith({}, badSignature).query('NOSUCHTRADE1')).rejects.toThrow(/failed verification/);

    const unsigned: Transport = async (r) => ({
      ...(await transport(r)),
      headers: { 'content-type': 'application/json' },
    });
    await expect(providerWith({}, unsigned).close('NOSUCHTRADE1')).rejects.toThrow(/failed verification \(malformed/);
  });

  it('rejects answers signed by a platform key it does not hold', async () => {
    const stranger = providerWith({
      platformKeys: { PUB_KEY_ID_0100000000000000000000000000000000: keys.wechat.platformPublicKeyPem },
    });
    await expect(stranger.query('NOSUCHTRADE1')).rejects.toThrow(/unknown_key/);
  });

  it('the gateway refuses requests ordo did not sign, or signed for another path', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expect(providerWith({ merchantPrivateKeyPem: otherKey }).create(order())).rejects.toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
    });
    await expect(providerWith({ merchantSerialNo: 'ABCDEF' }).query('NOSUCHTRADE1')).rejects.toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
    });
    // signed without the /sandbox/wechatpay prefix, sent with it: the path is part of the signature
    const prefixing: Transport = (r) =>
      transport({ ...r, url: r.url.replace('8080/v3/', '8080/sandbox/wechatpay/v3/') });
    await expect(
      providerWith({ baseUrl: 'http://127.0.0.1:8080' }, prefixing).query('NOSUCHTRADE1'),
    ).rejects.toMatchObject({ code: 'SIGN_ERROR' });
    // a body changed after signing
    const tampering: Transport = (r) => transport({ ...r, body: r.body?.replace('"total":100', '"total":1') });
    await expect(providerWith({}, tampering).create(order())).rejects.toMatchObject({ code: 'SIGN_ERROR' });
    // and a request from 6 minutes ago
    const late = createWechatPayProvider(account, {
      transport,
      clock: new ManualClock(new Date(clock.now().getTime() - 360_000)),
      nonce: () => 'n',
    });
    await expect(late.query('NOSUCHTRADE1')).rejects.toThrow(/SIGN_ERROR|stale/);
  });

  it('the gateway validates fields and the merchant', async () => {
    await expect(providerWith({ appid: 'wx0000000000000000' }).create(order())).rejects.toMatchObject({
      status: 400,
      code: 'APPID_MCHID_NOT_MATCH',
    });
    await expect(providerWith().create(order({ notifyUrl: 'not a url' }))).rejects.toMatchObject({
      status: 400,
      code: 'PARAM_ERROR',
    });
  });
});
