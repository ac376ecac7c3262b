/**
 * Barcode (payment code, 付款码) payments end to end: each provider's payWithCode against its simulated gateway,
 * over signed HTTP through app.inject. Both gateways follow the same simulator rules, so the same scenarios run
 * against both:
 * - a code must look real (WeChat 18 digits starting 10–15, Alipay 16–24 digits starting 25–30); any other string
 *   is refused as an invalid code, which the provider reports as `failed` (decision: the gateway, not ordo, judges
 *   codes; the till shows "scan again" either way);
 * - a code ending in 0000 is refused for insufficient funds → `failed`;
 * - a refused code opens no trade; under `behaviour.userPaying` the trade waits (`paying`) until `confirm`, which
 *   pays it and notifies; otherwise it is paid at once and not notified.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { SandboxSmsOutbox } from '../../src/sandbox/sms-outbox.ts';
import { installErrorReplies } from '../../src/http/error-reply.ts';
import { installValidators } from '../../src/http/validation.ts';
import { createAlipayProvider } from '../../src/providers/alipay/alipay.ts';
import { verifyRequestParams } from '../../src/providers/alipay/signing.ts';
import { toCodePayResult } from '../../src/providers/alipay/transformers.ts';
import type {
  CodePaymentRequest,
  HttpRequest,
  PaymentProvider,
  ProviderEnvironment,
  Transport,
} from '../../src/providers/provider.ts';
import { toCodePayOutcome } from '../../src/providers/wechatpay/transformers.ts';
import { createWechatPayProvider } from '../../src/providers/wechatpay/wechatpay.ts';
import { createAlipayGateway } from '../../src/sandbox/alipay/gateway.ts';
import { sandboxRoutes } from '../../src/sandbox/sandbox-routes.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { generateSandboxKeys } from '../../src/secrets/sandbox-keys.ts';
import { DEFAULT_BEHAVIOUR, Simulator, type SimulatedGateway } from '../../src/sandbox/simulator.ts';
import { createWechatPayGateway } from '../../src/sandbox/wechatpay/gateway.ts';

const keys = generateSandboxKeys();
const otherKeys = generateSandboxKeys();
const START = new Date('2024-05-21T04:00:00Z');
const clock = new ManualClock(START);
const ORIGIN = 'http://127.0.0.1:8080';
const WECHAT_NOTIFY = `${ORIGIN}/v1/payments/notify/wechatpay`;
const ALIPAY_NOTIFY = `${ORIGIN}/v1/payments/notify/alipay`;

/** Everything the simulator delivered to "ordo", acknowledged as the gateway expects. */
const delivered: HttpRequest[] = [];
const sim = new Simulator(keys, clock, async (request) => {
  delivered.push(request);
  return request.url === ALIPAY_NOTIFY
    ? { status: 200, headers: {}, body: 'success' }
    : { status: 204, headers: {}, body: '' };
});
const wechatGateway = createWechatPayGateway(sim);
const alipayGateway = createAlipayGateway(sim);
const sandbox: Sandbox = {
  simulator: sim,
  wechatpay: wechatGateway,
  alipay: alipayGateway,
  sms: new SandboxSmsOutbox(),
};

/** The gateways as ordo mounts them (with /sandbox/confirm and the canonical error envelope). */
const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
installValidators(app);
installErrorReplies(app);

const inject: Transport = async (request) => {
  const url = new URL(request.url);
  const res = await app.inject({
    method: request.method,
    url: url.pathname + url.search,
    headers: request.headers,
    ...(request.body === undefined ? {} : { payload: request.body }),
  });
  const headers = Object.fromEntries(
    Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  );
  return { status: res.statusCode, headers, body: res.body };
};

let sequence = 0;
const env = (transport: Transport = inject): ProviderEnvironment => ({
  transport,
  clock,
  nonce: () => `NONCE${++sequence}`,
});

const wechatAccount = {
  mchid: keys.wechat.mchid,
  appid: keys.wechat.appid,
  merchantSerialNo: keys.wechat.merchantSerialNo,
  merchantPrivateKeyPem: keys.wechat.merchantPrivateKeyPem,
  apiV3Key: keys.wechat.apiV3Key,
  platformKeys: { [keys.wechat.platformKeyId]: keys.wechat.platformPublicKeyPem },
  baseUrl: `${ORIGIN}/sandbox/wechatpay`,
};
const alipayAccount = {
  appId: keys.alipay.appId,
  sellerId: keys.alipay.sellerId,
  appPrivateKeyPem: keys.alipay.appPrivateKeyPem,
  alipayPublicKeyPem: keys.alipay.alipayPublicKeyPem,
  gatewayUrl: `${ORIGIN}/sandbox/alipay/gateway.do`,
};

/** The Alipay form body with biz_content changed after signing. */
function tamperAlipayBody(body: string): string {
  const form = new URLSearchParams(body);
  const biz = JSON.parse(form.get('biz_content')!) as Record<string, string>;
  form.set('biz_content', JSON.stringify({ ...biz, total_amount: '0.01' }));
  return form.toString();
}

interface Case {
  name: 'wechatpay' | 'alipay';
  provider: (transport?: Transport) => PaymentProvider;
  /** the same provider signing with a key the gateway does not know */
  stranger: () => PaymentProvider;
  gateway: SimulatedGateway;
  notifyUrl: string;
  goodCode: string;
  brokeCode: string;
  /** the first and last codes each rule accepts */
  edgeCodes: string[];
  malformedCodes: string[];
  invalidError: string;
  brokeError: string;
  /** the gateway's error code in a failed result's raw answer */
  errorCode: (raw: unknown) => unknown;
  tradeId: RegExp;
  /** what the gateway answers a codepay call whose signature does not verify */
  badSignature: Record<string, unknown>;
  /** what the provider throws for another code on an out_trade_no already charged */
  conflict: Record<string, unknown>;
  tamper: (request: HttpRequest) => HttpRequest;
  /** turns a signed "waiting" answer into a "paid" one */
  forgePaid: (body: string) => string;
  /** a QR trade at this gateway, which is not a code payment */
  qrTrade: () => Promise<string>;
}

const cases: Case[] = [
  {
    name: 'wechatpay',
    provider: (transport) => createWechatPayProvider(wechatAccount, env(transport)),
    stranger: () =>
      createWechatPayProvider(
        { ...wechatAccount, merchantPrivateKeyPem: otherKeys.wechat.merchantPrivateKeyPem },
        env(),
      ),
    gateway: wechatGateway,
    notifyUrl: WECHAT_NOTIFY,
    goodCode: '134567890123456789',
    brokeCode: '134567890123450000',
    edgeCodes: ['100000000000000001', '159999999999999999'],
    malformedCodes: [
      '160000000000000001',
      '091234567890123456',
      '13456789012345678',
      '1345678901234567890',
      '13456789012345678a',
      '',
      '281234567890123456',
    ],
    invalidError: 'AUTH_CODE_INVALID',
    brokeError: 'NOTENOUGH',
    errorCode: (raw) => (raw as { code?: unknown }).code,
    tradeId: /^4200\d{24}$/,
    badSignature: { name: 'WechatPayError', status: 401, code: 'SIGN_ERROR' },
    conflict: { name: 'WechatPayError', status: 400, code: 'INVALID_REQUEST' },
    tamper: (r) => ({ ...r, body: r.body!.replace('"total":1234', '"total":1') }),
    forgePaid: (body) => body.replace('"trade_state":"USERPAYING"', '"trade_state":"SUCCESS"'),
    qrTrade: async () => {
      const outTradeNo = nextTradeNo();
      await createWechatPayProvider(wechatAccount, env()).create({
        outTradeNo,
        amount: 100,
        description: 'qr',
        channel: 'native',
        expiresAt: new Date(clock.now().getTime() + 900_000),
        notifyUrl: WECHAT_NOTIFY,
      });
      return outTradeNo;
    },
  },
  {
    name: 'alipay',
    provider: (transport) => createAlipayProvider(alipayAccount, env(transport)),
    stranger: () =>
      createAlipayProvider({ ...alipayAccount, appPrivateKeyPem: otherKeys.alipay.appPrivateKeyPem }, env()),
    gateway: alipayGateway,
    notifyUrl: ALIPAY_NOTIFY,
    goodCode: '281234567890123456',
    brokeCode: '281234567890120000',
    edgeCodes: ['2500000000000001', '300000000000000000000001'],
    malformedCodes: [
      '2412345678901234',
      '3112345678901234',
      '251234567890123',
      '2512345678901234567890123',
      '28123456789012345x',
      '',
      '134567890123456789',
    ],
    invalidError: 'ACQ.PAYMENT_AUTH_CODE_INVALID',
    brokeError: 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
    errorCode: (raw) => (raw as { sub_code?: unknown }).sub_code,
    tradeId: /^2024052122001\d{15}$/,
    badSignature: { name: 'AlipayBusinessError', code: '40002', subCode: 'isv.invalid-signature' },
    conflict: { name: 'AlipayBusinessError', subCode: 'ACQ.CONTEXT_INCONSISTENT' },
    tamper: (r) => ({ ...r, body: tamperAlipayBody(r.body!) }),
    forgePaid: (body) => body.replace('"code":"10003"', '"code":"10000"'),
    qrTrade: async () => {
      const outTradeNo = nextTradeNo();
      const provider = createAlipayProvider(alipayAccount, env());
      const created = await provider.create({
        outTradeNo,
        amount: 100,
        description: 'qr',
        channel: 'precreate',
        expiresAt: new Date(clock.now().getTime() + 900_000),
        notifyUrl: ALIPAY_NOTIFY,
      });
      if (created.action.kind !== 'qr') throw new Error('expected a QR');
      return outTradeNo;
    },
  },
];

const nextTradeNo = () => `CODE${Date.now()}${++sequence}`;

beforeAll(async () => {
  await app.register(sandboxRoutes(sandbox));
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  clock.set(START);
  sim.behaviour = { ...DEFAULT_BEHAVIOUR };
  delivered.length = 0;
});

describe.each(cases)('$name payWithCode against the simulated gateway', (c) => {
  const provider = c.provider();
  const codeRequest = (overrides: Partial<CodePaymentRequest> = {}): CodePaymentRequest => ({
    outTradeNo: nextTradeNo(),
    amount: 1234,
    description: '收银台 till sale',
    authCode: c.goodCode,
    notifyUrl: c.notifyUrl,
    ...overrides,
  });

  it('a good code is paid at once: trade id, amount and time; query agrees; no notification', async () => {
    const request = codeRequest();
    clock.advance(5_000);
    const paid = await provider.payWithCode(request);
    expect(paid).toMatchObject({ state: 'paid', paidAmount: 1234, paidAt: clock.now() });
    expect(paid.providerTradeId).toMatch(c.tradeId);
    expect(await provider.query(request.outTradeNo)).toMatchObject({
      state: 'paid',
      providerTradeId: paid.providerTradeId,
      paidAmount: 1234,
    });
    expect(c.gateway.hasTrade(request.outTradeNo)).toBe(true);
    expect(c.gateway.hasTrade('NOSUCHTRADE1')).toBe(false);
    await sim.settle();
    expect(delivered).toEqual([]);
    // nothing is waiting, so the customer has nothing to confirm
    await expect(c.gateway.confirm(request.outTradeNo)).rejects.toThrow(/not waiting|already paid/);
  });

  it('the till retries: a paid trade answers paid with the same trade id; another code on that number is refused', async () => {
    const request = codeRequest();
    const first = await provider.payWithCode(request);
    expect(first.state).toBe('paid');
    const again = await provider.payWithCode(request);
    expect(again).toMatchObject({ state: 'paid', providerTradeId: first.providerTradeId, paidAmount: 1234 });
    await expect(provider.payWithCode({ ...request, authCode: c.edgeCodes[0]! })).rejects.toMatchObject(c.conflict);
  });

  it('userPaying: paying (answer and query) until the customer confirms; then paid, and the notification parses', async () => {
    sim.behaviour.userPaying = true;
    const request = codeRequest({ amount: 888 });
    const waiting = await provider.payWithCode(request);
    expect(waiting.state).toBe('paying');
    expect(waiting.paidAmount).toBeUndefined();
    expect(await provider.query(request.outTradeNo)).toMatchObject({ state: 'paying' });
    // a retried till call while the customer is still typing the password: still paying
    expect((await provider.payWithCode(request)).state).toBe('paying');
    // the waiting is the trade's own state, not the behaviour flag
    sim.behaviour.userPaying = false;
    expect((await provider.query(request.outTradeNo)).state).toBe('paying');
    await sim.settle();
    expect(delivered).toEqual([]);

    clock.advance(20_000);
    expect(await c.gateway.confirm(request.outTradeNo)).toEqual({ outTradeNo: request.outTradeNo, amount: 888 });
    await sim.settle();
    const paid = await provider.query(request.outTradeNo);
    expect(paid).toMatchObject({ state: 'paid', paidAmount: 888, paidAt: clock.now() });
    expect(paid.providerTradeId).toMatch(c.tradeId);

    expect(delivered).toHaveLength(1);
    const notification = delivered[0]!;
    expect(notification.url).toBe(c.notifyUrl);
    expect(
      provider.parseNotification({ headers: notification.headers, rawBody: notification.body ?? '' }),
    ).toMatchObject({
      kind: 'payment',
      outTradeNo: request.outTradeNo,
      providerTradeId: paid.providerTradeId,
      paid: true,
      amount: 888,
      paidAt: clock.now(),
    });
    expect(sim.deliveries.at(-1)?.status).toBeGreaterThanOrEqual(200);
    expect(sim.deliveries.at(-1)?.status).toBeLessThan(300);
    await expect(c.gateway.confirm(request.outTradeNo)).rejects.toThrow(/not waiting|already paid/);
  });

  it('a waiting trade closed by ordo can no longer be confirmed', async () => {
    sim.behaviour.userPaying = true;
    const request = codeRequest();
    expect((await provider.payWithCode(request)).state).toBe('paying');
    expect(await provider.close(request.outTradeNo)).toEqual({ closed: true });
    await expect(c.gateway.confirm(request.outTradeNo)).rejects.toThrow(/closed/i);
    expect((await provider.query(request.outTradeNo)).state).toBe('closed');
    await sim.settle();
    expect(delivered).toEqual([]);
  });

  it('a code ending in 0000 fails for insufficient funds (even under userPaying), opens no trade, and the number can be charged again', async () => {
    sim.behaviour.userPaying = true;
    const request = codeRequest({ authCode: c.brokeCode });
    const failed = await provider.payWithCode(request);
    expect(failed.state).toBe('failed');
    expect(c.errorCode(failed.raw)).toBe(c.brokeError);
    expect(failed.providerTradeId).toBeUndefined();
    expect((await provider.query(request.outTradeNo)).state).toBe('not_found');
    expect(c.gateway.hasTrade(request.outTradeNo)).toBe(false);

    sim.behaviour.userPaying = false;
    expect((await provider.payWithCode({ ...request, authCode: c.goodCode })).state).toBe('paid');
  });

  it("a malformed code (wrong prefix or length, not digits, empty, the other wallet's code) fails as an invalid code and opens no trade", async () => {
    for (const authCode of c.malformedCodes) {
      const request = codeRequest({ authCode });
      const result = await provider.payWithCode(request);
      expect({ authCode, state: result.state, error: c.errorCode(result.raw) }).toEqual({
        authCode,
        state: 'failed',
        error: c.invalidError,
      });
      expect(c.gateway.hasTrade(request.outTradeNo)).toBe(false);
    }
    for (const authCode of c.edgeCodes) {
      expect({ authCode, state: (await provider.payWithCode(codeRequest({ authCode }))).state }).toEqual({
        authCode,
        state: 'paid',
      });
    }
  });

  it("the gateway verifies ordo's signature on the code payment: tampered or signed with another key → refused, nothing charged", async () => {
    const tampered = codeRequest();
    let sent = '';
    const tampering: Transport = (r) => {
      const changed = c.tamper(r);
      sent = changed.body ?? '';
      return inject(changed);
    };
    await expect(c.provider(tampering).payWithCode(tampered)).rejects.toMatchObject(c.badSignature);
    expect(sent).not.toBe('');
    expect(c.gateway.hasTrade(tampered.outTradeNo)).toBe(false);

    const strangers = codeRequest();
    await expect(c.stranger().payWithCode(strangers)).rejects.toMatchObject(c.badSignature);
    expect(c.gateway.hasTrade(strangers.outTradeNo)).toBe(false);
  });

  it("ordo verifies the gateway's answer: a waiting answer altered to say paid is refused", async () => {
    sim.behaviour.userPaying = true;
    let altered = false;
    const forging: Transport = async (r) => {
      const res = await inject(r);
      const body = c.forgePaid(res.body);
      altered = body !== res.body;
      return { ...res, body };
    };
    await expect(c.provider(forging).payWithCode(codeRequest())).rejects.toThrow(/verification|signature/);
    expect(altered).toBe(true);
  });

  it('confirm refuses an unknown trade and a trade that is not a code payment', async () => {
    await expect(c.gateway.confirm('NOSUCHTRADE1')).rejects.toThrow(/no .* sandbox trade/);
    const qr = await c.qrTrade();
    expect(c.gateway.hasTrade(qr)).toBe(true);
    await expect(c.gateway.confirm(qr)).rejects.toThrow(/not a code payment/);
  });
});

describe('what each provider sends', () => {
  const request: CodePaymentRequest = {
    outTradeNo: 'ORDO-CODE-1',
    amount: 1234,
    description: '收银台',
    authCode: '134567890123456789',
    notifyUrl: WECHAT_NOTIFY,
    clientIp: '10.0.0.8',
  };

  it('WeChat: a signed POST to /v3/pay/transactions/codepay with the codepay body', async () => {
    const seen: HttpRequest[] = [];
    const spying = cases[0]!.provider((r) => (seen.push(r), inject(r)));
    expect((await spying.payWithCode(request)).state).toBe('paid');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: `${ORIGIN}/sandbox/wechatpay/v3/pay/transactions/codepay` });
    expect(seen[0]!.headers.Authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="/);
    expect(JSON.parse(seen[0]!.body!)).toEqual({
      appid: keys.wechat.appid,
      mchid: keys.wechat.mchid,
      description: '收银台',
      out_trade_no: 'ORDO-CODE-1',
      notify_url: WECHAT_NOTIFY,
      amount: { total: 1234, currency: 'CNY' },
      scene_info: { device_ip: '10.0.0.8' },
      payer: { auth_code: '134567890123456789' },
    });
  });

  it('Alipay: a signed alipay.trade.pay with scene bar_code, yuan amount and the notify_url', async () => {
    const seen: HttpRequest[] = [];
    const spying = cases[1]!.provider((r) => (seen.push(r), inject(r)));
    expect(
      (await spying.payWithCode({ ...request, authCode: '281234567890123456', notifyUrl: ALIPAY_NOTIFY })).state,
    ).toBe('paid');
    expect(seen).toHaveLength(1);
    const params = Object.fromEntries(new URLSearchParams(seen[0]!.body));
    expect(params).toMatchObject({
      method: 'alipay.trade.pay',
      app_id: keys.alipay.appId,
      notify_url: ALIPAY_NOTIFY,
      sign_type: 'RSA2',
    });
    expect(JSON.parse(params.biz_content!)).toEqual({
      out_trade_no: 'ORDO-CODE-1',
      scene: 'bar_code',
      auth_code: '281234567890123456',
      subject: '收银台',
      total_amount: '12.34',
    });
    expect(verifyRequestParams(params, keys.alipay.appPublicKeyPem)).toBe(true);
  });
});

describe('answers the simulator does not give but real gateways do', () => {
  const transaction = {
    out_trade_no: 'T1',
    trade_state: 'SUCCESS',
    transaction_id: '4200000000000000000000000001',
    success_time: '2024-05-21T12:00:05+08:00',
    amount: { total: 5, payer_total: 5, currency: 'CNY' },
  };

  it('WeChat: USERPAYING as an error code is paying; a buyer-side error is failed; ORDERPAID asks for a query; system errors stay open', () => {
    expect(toCodePayOutcome('T1', 202, { code: 'USERPAYING', message: '需要用户输入支付密码' })).toEqual({
      kind: 'result',
      result: { state: 'paying' },
    });
    expect(toCodePayOutcome('T1', 403, { code: 'PAYERROR', message: '支付失败' })).toEqual({
      kind: 'result',
      result: { state: 'failed' },
    });
    expect(toCodePayOutcome('T1', 400, { code: 'AUTHCODEEXPIRE', message: '二维码已过期' })).toEqual({
      kind: 'result',
      result: { state: 'failed' },
    });
    expect(toCodePayOutcome('T1', 400, { code: 'ORDERPAID', message: '订单已支付' })).toEqual({ kind: 'already_paid' });
    expect(toCodePayOutcome('T1', 500, { code: 'SYSTEM_ERROR', message: '系统错误' })).toEqual({ kind: 'error' });
    expect(toCodePayOutcome('T1', 400, { code: 'PARAM_ERROR', message: 'bad' })).toEqual({ kind: 'error' });
    expect(toCodePayOutcome('T1', 200, transaction)).toEqual({
      kind: 'result',
      result: {
        state: 'paid',
        providerTradeId: transaction.transaction_id,
        paidAmount: 5,
        paidAt: new Date('2024-05-21T04:00:05Z'),
      },
    });
    expect(() => toCodePayOutcome('T2', 200, transaction)).toThrow(/for T1, not T2/);
  });

  it('Alipay: 10000 without trade_status is paid; a buyer-side 40004 is failed; other failures are thrown', () => {
    const paid = {
      code: '10000',
      msg: 'Success',
      trade_no: '2024052122001400000000000001',
      out_trade_no: 'T1',
      total_amount: '0.05',
      gmt_payment: '2024-05-21 12:00:05',
    };
    expect(toCodePayResult('T1', paid)).toEqual({
      state: 'paid',
      providerTradeId: paid.trade_no,
      paidAmount: 5,
      paidAt: new Date('2024-05-21T04:00:05Z'),
      raw: paid,
    });
    expect(toCodePayResult('T1', { ...paid, code: '10003', msg: '等待用户付款' })).toMatchObject({
      state: 'paying',
      providerTradeId: paid.trade_no,
    });
    expect(
      toCodePayResult('T1', {
        code: '40004',
        msg: 'Business Failed',
        sub_code: 'ACQ.PAYMENT_FAIL',
        sub_msg: '支付失败',
      }).state,
    ).toBe('failed');
    expect(() =>
      toCodePayResult('T1', {
        code: '40004',
        msg: 'Business Failed',
        sub_code: 'ACQ.TRADE_HAS_CLOSE',
        sub_msg: '交易已经关闭',
      }),
    ).toThrow(/TRADE_HAS_CLOSE/);
    expect(() =>
      toCodePayResult('T1', { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'ACQ.SYSTEM_ERROR' }),
    ).toThrow(/SYSTEM_ERROR/);
    expect(() => toCodePayResult('T2', paid)).toThrow(/for T1, not T2/);
  });
});

describe('POST /sandbox/confirm', () => {
  const post = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/sandbox/confirm', payload: payload as object });

  it.each(cases)('confirms a waiting $name code payment, which is then paid and notified', async (c) => {
    sim.behaviour.userPaying = true;
    const provider = c.provider();
    const outTradeNo = nextTradeNo();
    expect(
      (
        await provider.payWithCode({
          outTradeNo,
          amount: 50,
          description: 'till',
          authCode: c.goodCode,
          notifyUrl: c.notifyUrl,
        })
      ).state,
    ).toBe('paying');
    const res = await post({ outTradeNo });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ outTradeNo, amount: 50 });
    await sim.settle();
    expect((await provider.query(outTradeNo)).state).toBe('paid');
    expect(delivered.map((d) => d.url)).toEqual([c.notifyUrl]);
  });

  it('answers in the canonical envelope: unknown trade 404, not waiting 422, bad body 400', async () => {
    const unknown = await post({ outTradeNo: 'NOSUCHTRADE1' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });

    const paidAtOnce = nextTradeNo();
    expect(
      (
        await cases[0]!.provider().payWithCode({
          outTradeNo: paidAtOnce,
          amount: 50,
          description: 'till',
          authCode: cases[0]!.goodCode,
          notifyUrl: WECHAT_NOTIFY,
        })
      ).state,
    ).toBe('paid');
    const notWaiting = await post({ outTradeNo: paidAtOnce });
    expect(notWaiting.statusCode).toBe(422);
    expect(notWaiting.json()).toMatchObject({
      error: { code: 'unprocessable', message: expect.stringContaining('not waiting') },
    });

    for (const bad of [{}, { outTradeNo: 5 }, { outTradeNo: '' }, { outTradeNo: 'X1', extra: true }]) {
      const res = await post(bad);
      expect({ bad, status: res.statusCode, code: res.json().error?.code }).toEqual({
        bad,
        status: 400,
        code: 'validation_failed',
      });
    }
  });
});
