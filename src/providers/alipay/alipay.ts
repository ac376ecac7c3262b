import {
  NotificationRejected,
  type CloseResult,
  type CodePaymentRequest,
  type CreatePaymentRequest,
  type CreatePaymentResult,
  type HttpResponse,
  type IncomingNotification,
  type ParsedNotification,
  type PaymentProvider,
  type ProviderEnvironment,
  type RefundRequest,
  type RefundResult,
  type TradeQueryResult,
} from '../provider.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { AlipayResponseError, signParams, verifyNotificationParams, verifyResponse } from './signing.ts';
import {
  businessError,
  commonParams,
  isSuccess,
  parseForm,
  subCodeOf,
  TRADE_HAS_SUCCESS,
  toCodePayBizContent,
  toCodePayResult,
  toCreateCall,
  toParsedNotification,
  toRefundQueryResult,
  toRefundResult,
  toTradeQueryResult,
  type AlipayAnswer,
} from './transformers.ts';

/**
 * Alipay open platform (v2 gateway, RSA2). This file is the HTTP side: it signs requests, sends them through the
 * injected transport, verifies every answer's signature over the raw `_response` text, and leaves the field
 * mapping to transformers.ts.
 */
export interface AlipayAccount {
  appId: string;
  /** the merchant's Alipay account (2088…), what notifications carry as seller_id */
  sellerId: string;
  /** PEM or bare base64 PKCS#8 */
  appPrivateKeyPem: string;
  /** PEM or bare base64 SPKI */
  alipayPublicKeyPem: string;
  /** https://openapi.alipay.com/gateway.do, or the simulator's …/sandbox/alipay/gateway.do */
  gatewayUrl: string;
}

export function createAlipayProvider(account: AlipayAccount, env: ProviderEnvironment): PaymentProvider {
  function signed(
    method: string,
    bizContent: Record<string, string>,
    urls: { notifyUrl?: string; returnUrl?: string } = {},
  ) {
    const params = commonParams({ appId: account.appId, method, timestamp: env.clock.now(), bizContent, ...urls });
    return { ...params, sign: signParams(params, account.appPrivateKeyPem) };
  }

  async function call(
    method: string,
    bizContent: Record<string, string>,
    urls: { notifyUrl?: string } = {},
  ): Promise<AlipayAnswer> {
    const response = await env.transport({
      method: 'POST',
      url: account.gatewayUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      body: new URLSearchParams(signed(method, bizContent, urls)).toString(),
    });
    if (response.status < 200 || response.status >= 300) {
      throw new AlipayResponseError(`${method}: gateway answered HTTP ${response.status}`);
    }
    // A gateway-level rejection (bad signature, unknown app) comes back as a signed error_response, which
    // verifies here and then fails as a business error in the mapping.
    return verifyResponse(response.body, method, account.alipayPublicKeyPem);
  }

  async function query(outTradeNo: string): Promise<TradeQueryResult> {
    return toTradeQueryResult(await call('alipay.trade.query', { out_trade_no: outTradeNo }));
  }

  const withQuery = (params: Record<string, string>) =>
    `${account.gatewayUrl}${account.gatewayUrl.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;

  return {
    name: 'alipay',

    async create(request: CreatePaymentRequest): Promise<CreatePaymentResult> {
      const create = toCreateCall(request);
      const urls = { notifyUrl: request.notifyUrl, ...(request.returnUrl ? { returnUrl: request.returnUrl } : {}) };
      switch (create.delivery) {
        case 'server': {
          const answer = await call(create.method, create.bizContent, { notifyUrl: request.notifyUrl });
          if (!isSuccess(answer) || typeof answer.qr_code !== 'string') throw businessError(create.method, answer);
          return { action: { kind: 'qr', content: answer.qr_code }, raw: answer };
        }
        case 'form': {
          const params = signed(create.method, create.bizContent, urls);
          return { action: { kind: 'form', html: autoSubmitForm(account.gatewayUrl, params) }, raw: params };
        }
        case 'redirect': {
          const params = signed(create.method, create.bizContent, urls);
          return { action: { kind: 'redirect', url: withQuery(params) }, raw: params };
        }
        case 'sdk': {
          // The app SDK takes the signed parameters as one URL-encoded string and posts it to Alipay itself.
          const params = signed(create.method, create.bizContent, { notifyUrl: request.notifyUrl });
          return {
            action: { kind: 'sdk_params', params: { orderString: new URLSearchParams(params).toString() } },
            raw: params,
          };
        }
      }
    },

    async payWithCode(request: CodePaymentRequest): Promise<TradeQueryResult> {
      // notify_url: Alipay notifies when a payment that waited for the customer's password (10003) completes
      const answer = await call('alipay.trade.pay', toCodePayBizContent(request), { notifyUrl: request.notifyUrl });
      // the till asked again after this trade had charged the code (e.g. its first call timed out): the trade as
      // it stands is the answer, with its trade_no and amount
      if (subCodeOf(answer) === TRADE_HAS_SUCCESS) return query(request.outTradeNo);
      return toCodePayResult(request.outTradeNo, answer);
    },

    query,

    async close(outTradeNo: string): Promise<CloseResult> {
      const answer = await call('alipay.trade.close', { out_trade_no: outTradeNo });
      if (isSuccess(answer)) return { closed: true };
      const subCode = subCodeOf(answer);
      // Alipay refuses to close a paid trade with TRADE_STATUS_ERROR; the core then settles it instead.
      if (subCode === 'ACQ.TRADE_STATUS_ERROR') return { closed: false, reason: 'already_paid' };
      if (subCode === 'ACQ.TRADE_NOT_EXIST') return { closed: false, reason: 'not_found' };
      return { closed: false, reason: 'error', message: businessError('alipay.trade.close', answer).message };
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      // out_request_no makes a retry of the same refund idempotent at Alipay; it must be reused on retry.
      // No notify_url: Alipay reports refunds to the payment's own notify_url.
      const answer = await call('alipay.trade.refund', {
        out_trade_no: request.outTradeNo,
        refund_amount: fenToYuanString(request.refundAmount),
        out_request_no: request.outRefundNo,
        refund_reason: request.reason,
      });
      return toRefundResult(answer);
    },

    async queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundResult> {
      const answer = await call('alipay.trade.fastpay.refund.query', {
        out_trade_no: outTradeNo,
        out_request_no: outRefundNo,
      });
      return toRefundQueryResult(answer);
    },

    parseNotification(notification: IncomingNotification): ParsedNotification {
      let params: Record<string, string>;
      try {
        params = parseForm(notification.rawBody);
      } catch (error) {
        throw new NotificationRejected('malformed', (error as Error).message);
      }
      if (!params.sign) throw new NotificationRejected('bad_signature', 'notification is not signed');
      if (params.sign_type !== undefined && params.sign_type !== 'RSA2') {
        throw new NotificationRejected('bad_signature', `unsupported sign_type ${params.sign_type}`);
      }
      if (!verifyNotificationParams(params, account.alipayPublicKeyPem)) {
        throw new NotificationRejected('bad_signature', 'notification signature does not verify');
      }
      return toParsedNotification(params);
    },

    // Alipay takes exactly the body `success`; anything else is retried for about 25 hours.
    ack: (): HttpResponse => ({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'success',
    }),
    nack: (): HttpResponse => ({ status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'fail' }),
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page-pay form the browser submits to Alipay by itself (what Alipay's own SDK `pageExecute` renders). */
export function autoSubmitForm(gatewayUrl: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return (
    `<form id="alipaysubmit" name="alipaysubmit" action="${escapeHtml(gatewayUrl)}" method="POST" accept-charset="utf-8">` +
    `${inputs}<input type="submit" value="Pay with Alipay" style="display:none"></form>` +
    `<script>document.forms['alipaysubmit'].submit();</script>`
  );
}
