import {
  NotificationRejected,
  type CloseResult,
  type HttpResponse,
  type PaymentProvider,
  type ProviderEnvironment,
  type RefundResult,
  type TradeQueryResult,
} from '../provider.ts';
import { authorizationHeader, decryptResource, verifySignedMessage, type EncryptedResource } from './signing.ts';
import {
  CODEPAY_PATH,
  ORDER_PATHS,
  isWechatChannel,
  toCodePayBody,
  toCodePayOutcome,
  toOrderBody,
  toParsedNotification,
  toPaymentAction,
  toRefundBody,
  toRefundState,
  toTradeQuery,
} from './transformers.ts';

/** One WeChat Pay merchant account. Switching between the sandbox and the real gateway is only `baseUrl` and keys. */
export interface WechatPayAccount {
  mchid: string;
  appid: string;
  /** serial of the merchant API certificate, sent as serial_no */
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  /** 32 bytes, decrypts notification resources */
  apiV3Key: string;
  /** serial → PEM: platform certificates (hex serials) and/or platform public keys (`PUB_KEY_ID_…`) */
  platformKeys: Record<string, string>;
  /** e.g. https://api.mch.weixin.qq.com or http://127.0.0.1:8080/sandbox/wechatpay */
  baseUrl: string;
}

/** A well-formed, verified error answer from the gateway (`{code, message}`). */
export class WechatPayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`WeChat Pay ${status} ${code}: ${message}`);
    this.name = 'WechatPayError';
  }
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

export function createWechatPayProvider(account: WechatPayAccount, env: ProviderEnvironment): PaymentProvider {
  if (Buffer.byteLength(account.apiV3Key, 'utf8') !== 32) throw new Error('WeChat Pay APIv3 key must be 32 bytes');
  const base = new URL(account.baseUrl);
  // the signature covers the path as the gateway sees it, so a base URL with a path (the sandbox) is part of it
  const basePath = base.pathname.replace(/\/+$/, '');
  const merchant = { mchid: account.mchid, appid: account.appid };
  const seconds = () => Math.floor(env.clock.now().getTime() / 1000);

  async function call(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<Answer> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const pathWithQuery = basePath + path;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'ordo-wechatpay/1',
      Authorization: authorizationHeader({
        mchid: account.mchid,
        serialNo: account.merchantSerialNo,
        privateKeyPem: account.merchantPrivateKeyPem,
        method,
        pathWithQuery,
        body,
        timestamp: seconds(),
        nonce: env.nonce(),
      }),
    };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    const response = await env.transport({
      method,
      url: base.origin + pathWithQuery,
      headers,
      ...(payload === undefined ? {} : { body }),
    });
    try {
      verifySignedMessage({
        headers: response.headers,
        rawBody: response.body,
        platformKeys: account.platformKeys,
        now: env.clock.now(),
      });
    } catch (e) {
      // an unverifiable answer may be forged or altered in transit: nothing in it can be trusted
      const reason = e instanceof NotificationRejected ? e.reason : 'error';
      throw new Error(
        `WeChat Pay answer to ${method} ${path} failed verification (${reason}, HTTP ${response.status})`,
        { cause: e },
      );
    }
    let json: Record<string, unknown> = {};
    if (response.body !== '') {
      try {
        json = JSON.parse(response.body) as Record<string, unknown>;
      } catch {
        throw new Error(`WeChat Pay answer to ${method} ${path} is not JSON (HTTP ${response.status})`);
      }
    }
    return { status: response.status, json };
  }

  const isOk = (a: Answer) => a.status >= 200 && a.status < 300;
  const errorOf = (a: Answer) =>
    new WechatPayError(a.status, String(a.json.code ?? 'UNKNOWN'), String(a.json.message ?? ''));
  const q = encodeURIComponent;

  function refundResult(json: Record<string, unknown>): RefundResult {
    return {
      state: toRefundState(json.status),
      ...(typeof json.refund_id === 'string' ? { providerRefundId: json.refund_id } : {}),
      raw: json,
    };
  }

  async function query(outTradeNo: string): Promise<TradeQueryResult> {
    const answer = await call('GET', `/v3/pay/transactions/out-trade-no/${q(outTradeNo)}?mchid=${q(account.mchid)}`);
    if (answer.status === 404 && answer.json.code === 'ORDER_NOT_EXIST')
      return { state: 'not_found', raw: answer.json };
    if (!isOk(answer)) throw errorOf(answer);
    return { ...toTradeQuery(answer.json), raw: answer.json };
  }

  return {
    name: 'wechatpay',

    async create(request) {
      if (!isWechatChannel(request.channel)) throw new Error(`WeChat Pay has no ${request.channel} channel`);
      const channel = request.channel;
      const answer = await call('POST', ORDER_PATHS[channel], toOrderBody(request, merchant));
      if (!isOk(answer)) throw errorOf(answer);
      const signing = { privateKeyPem: account.merchantPrivateKeyPem, timestamp: seconds(), nonce: env.nonce() };
      return { action: toPaymentAction(channel, answer.json, merchant, signing, request.returnUrl), raw: answer.json };
    },

    async payWithCode(request) {
      const answer = await call('POST', CODEPAY_PATH, toCodePayBody(request, merchant));
      const outcome = toCodePayOutcome(request.outTradeNo, answer.status, answer.json);
      switch (outcome.kind) {
        case 'result':
          return { ...outcome.result, raw: answer.json };
        case 'already_paid':
          // the till asked again after this trade had charged the code (e.g. its first call timed out): the trade
          // as it stands is the answer, with its transaction id and amount
          return query(request.outTradeNo);
        case 'error':
          throw errorOf(answer);
      }
    },

    query,

    async close(outTradeNo): Promise<CloseResult> {
      const answer = await call('POST', `/v3/pay/transactions/out-trade-no/${q(outTradeNo)}/close`, {
        mchid: account.mchid,
      });
      if (isOk(answer)) return { closed: true };
      // a close that loses the race with the buyer: the core settles the payment instead
      if (answer.json.code === 'ORDERPAID') return { closed: false, reason: 'already_paid' };
      if (answer.json.code === 'ORDER_NOT_EXIST') return { closed: false, reason: 'not_found' };
      return { closed: false, reason: 'error', message: errorOf(answer).message };
    },

    async refund(request) {
      const answer = await call('POST', '/v3/refund/domestic/refunds', toRefundBody(request));
      if (!isOk(answer)) throw errorOf(answer);
      return refundResult(answer.json);
    },

    async queryRefund(outRefundNo) {
      const answer = await call('GET', `/v3/refund/domestic/refunds/${q(outRefundNo)}`);
      if (!isOk(answer)) throw errorOf(answer);
      return refundResult(answer.json);
    },

    parseNotification({ headers, rawBody }) {
      // signature first, over the raw bytes: nothing is parsed or decrypted from an unauthenticated body
      verifySignedMessage({ headers, rawBody, platformKeys: account.platformKeys, now: env.clock.now() });
      let envelope: Record<string, unknown>;
      try {
        envelope = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        throw new NotificationRejected('malformed', 'notification body is not JSON');
      }
      const resource = envelope.resource as EncryptedResource | undefined;
      if (!resource || typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') {
        throw new NotificationRejected('malformed', 'notification has no encrypted resource');
      }
      const plaintext = decryptResource(resource, account.apiV3Key);
      let decrypted: Record<string, unknown>;
      try {
        decrypted = JSON.parse(plaintext) as Record<string, unknown>;
      } catch {
        throw new NotificationRejected('malformed', 'decrypted resource is not JSON');
      }
      return toParsedNotification(envelope, decrypted, merchant);
    },

    ack(): HttpResponse {
      return { status: 204, headers: {}, body: '' };
    },

    nack(message): HttpResponse {
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'FAIL', message }),
      };
    },
  };
}
