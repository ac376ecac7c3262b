import {
  NotificationRejected,
  type CodePaymentRequest,
  type CreatePaymentRequest,
  type ParsedNotification,
  type RefundRequest,
  type RefundState,
  type TradeQueryResult,
  type TradeState,
} from '../provider.ts';
import type { PaymentAction } from '../../domain/payment-action.ts';
import { appInvokeParams, jsapiInvokeParams } from './signing.ts';

/**
 * Pure mapping between ordo's canonical payment shapes and WeChat Pay v3 JSON. No HTTP, no clock, no
 * randomness: the provider passes in what it needs (account, time, nonce).
 */

export type WechatChannel = 'native' | 'jsapi' | 'mini' | 'h5' | 'app';

export interface WechatMerchant {
  mchid: string;
  appid: string;
}

/** The mini-program pays through the jsapi endpoint (same order, trade_type JSAPI). */
export const ORDER_PATHS: Record<WechatChannel, string> = {
  native: '/v3/pay/transactions/native',
  jsapi: '/v3/pay/transactions/jsapi',
  mini: '/v3/pay/transactions/jsapi',
  app: '/v3/pay/transactions/app',
  h5: '/v3/pay/transactions/h5',
};

export function isWechatChannel(channel: string): channel is WechatChannel {
  return channel in ORDER_PATHS;
}

/** RFC 3339 in Beijing time (`2024-01-02T03:04:05+08:00`), the form WeChat writes and expects. */
export function toBeijingRfc3339(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

export function parseRfc3339(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
/** WeChat's description limit is 127 characters; a long product name must not make payment impossible. */
const DESCRIPTION_MAX = 127;

function checkTrade(request: { outTradeNo: string; amount: number }): void {
  if (!OUT_TRADE_NO.test(request.outTradeNo))
    throw new Error(`out_trade_no must be 6–32 of [0-9A-Za-z_-|*]: ${request.outTradeNo}`);
  if (!Number.isInteger(request.amount) || request.amount <= 0)
    throw new Error(`amount must be a positive number of fen: ${request.amount}`);
}

const descriptionOf = (request: { description: string; outTradeNo: string }) =>
  Array.from(request.description).slice(0, DESCRIPTION_MAX).join('') || request.outTradeNo;

export function toOrderBody(request: CreatePaymentRequest, merchant: WechatMerchant): Record<string, unknown> {
  const channel = request.channel;
  if (!isWechatChannel(channel)) throw new Error(`WeChat Pay has no ${channel} channel`);
  checkTrade(request);
  const body: Record<string, unknown> = {
    appid: merchant.appid,
    mchid: merchant.mchid,
    description: descriptionOf(request),
    out_trade_no: request.outTradeNo,
    time_expire: toBeijingRfc3339(request.expiresAt),
    notify_url: request.notifyUrl,
    amount: { total: request.amount, currency: 'CNY' },
  };
  if (channel === 'jsapi' || channel === 'mini') {
    if (!request.openId) throw new Error(`WeChat ${channel} payment needs the payer's openid`);
    body.payer = { openid: request.openId };
  }
  if (channel === 'h5') {
    if (!request.clientIp) throw new Error("WeChat h5 payment needs the payer's client IP");
    body.scene_info = { payer_client_ip: request.clientIp, h5_info: { type: 'Wap' } };
  }
  return body;
}

/**
 * Barcode payments. Real WeChat Pay charges a payment code through the v2 XML micropay API; the simulator offers
 * the v3-style equivalent at this path (JSON, signed like every other v3 call), and that is what ordo speaks.
 */
export const CODEPAY_PATH = '/v3/pay/transactions/codepay';

/**
 * The codepay body. The auth code is sent as scanned: the gateway, not ordo, decides which codes are real (the
 * issuer's prefixes change), and its refusal comes back as a failed payment. `notify_url` is not part of real
 * micropay; the simulator uses it to notify when a payment the customer had to confirm on the phone completes.
 */
export function toCodePayBody(request: CodePaymentRequest, merchant: WechatMerchant): Record<string, unknown> {
  checkTrade(request);
  return {
    appid: merchant.appid,
    mchid: merchant.mchid,
    description: descriptionOf(request),
    out_trade_no: request.outTradeNo,
    notify_url: request.notifyUrl,
    amount: { total: request.amount, currency: 'CNY' },
    ...(request.clientIp ? { scene_info: { device_ip: request.clientIp } } : {}),
    payer: { auth_code: request.authCode },
  };
}

/**
 * Error codes that mean this payment code did not pay and will not: the customer must top up or show another
 * code. Anything else (SYSTEM_ERROR, BANKERROR, PARAM_ERROR, …) leaves the outcome open and is thrown.
 */
export const CODE_PAY_FAILURES: ReadonlySet<string> = new Set([
  'PAYERROR',
  'AUTHCODEEXPIRE',
  'NOTENOUGH',
  'NOTSUPORTCARD',
  'AUTH_CODE_ERROR',
  'AUTH_CODE_INVALID',
  'BUYER_MISMATCH',
]);

export type CodePayOutcome =
  | { kind: 'result'; result: Omit<TradeQueryResult, 'raw'> }
  /** ORDERPAID: the out_trade_no already charged a code (a retried till call); the trade must be queried */
  | { kind: 'already_paid' }
  /** an error that says nothing final about the payment */
  | { kind: 'error' };

/** The (verified) answer to a codepay call → what happened to the payment. */
export function toCodePayOutcome(outTradeNo: string, status: number, answer: Json): CodePayOutcome {
  const isTransaction = answer.trade_state !== undefined;
  if (status >= 200 && status < 300 && isTransaction) {
    // a signed answer about another trade must not settle this one
    if (answer.out_trade_no !== outTradeNo)
      throw new Error(`WeChat codepay answer is for ${String(answer.out_trade_no)}, not ${outTradeNo}`);
    return { kind: 'result', result: toTradeQuery(answer) };
  }
  const code = !isTransaction && typeof answer.code === 'string' ? answer.code : '';
  // WeChat may answer a code that waits for the customer's password as {code: USERPAYING} (HTTP 202) rather than
  // as a transaction
  if (code === 'USERPAYING') return { kind: 'result', result: { state: 'paying' } };
  if (CODE_PAY_FAILURES.has(code)) return { kind: 'result', result: { state: 'failed' } };
  if (code === 'ORDERPAID') return { kind: 'already_paid' };
  return { kind: 'error' };
}

export interface InvokeSigning {
  privateKeyPem: string;
  /** seconds since the epoch */
  timestamp: string | number;
  nonce: string;
}

/** The gateway's answer to an order → what the cashier does next. */
export function toPaymentAction(
  channel: WechatChannel,
  answer: Record<string, unknown>,
  merchant: WechatMerchant,
  signing: InvokeSigning,
  returnUrl?: string,
): PaymentAction {
  const field = (name: string): string => {
    const value = answer[name];
    if (typeof value !== 'string' || value === '') throw new Error(`WeChat ${channel} answer has no ${name}`);
    return value;
  };
  switch (channel) {
    case 'native':
      return { kind: 'qr', content: field('code_url') };
    case 'h5': {
      // WeChat sends the buyer back to redirect_url once the payment page closes
      const url = field('h5_url');
      return { kind: 'redirect', url: returnUrl ? `${url}&redirect_url=${encodeURIComponent(returnUrl)}` : url };
    }
    case 'app':
      return {
        kind: 'sdk_params',
        params: appInvokeParams({
          appId: merchant.appid,
          mchid: merchant.mchid,
          prepayId: field('prepay_id'),
          ...signing,
        }),
      };
    case 'jsapi':
    case 'mini':
      return {
        kind: 'sdk_params',
        params: jsapiInvokeParams({ appId: merchant.appid, prepayId: field('prepay_id'), ...signing }),
      };
  }
}

const TRADE_STATES: Record<string, TradeState> = {
  NOTPAY: 'unpaid',
  USERPAYING: 'paying',
  SUCCESS: 'paid',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
  REFUND: 'refunded',
};

export function toTradeState(tradeState: unknown): TradeState {
  const state = typeof tradeState === 'string' ? TRADE_STATES[tradeState] : undefined;
  if (!state) throw new Error(`unknown WeChat trade_state ${String(tradeState)}`);
  return state;
}

const REFUND_STATES: Record<string, RefundState> = {
  PROCESSING: 'processing',
  SUCCESS: 'succeeded',
  CLOSED: 'closed',
  ABNORMAL: 'failed',
};

export function toRefundState(status: unknown): RefundState {
  const state = typeof status === 'string' ? REFUND_STATES[status] : undefined;
  if (!state) throw new Error(`unknown WeChat refund status ${String(status)}`);
  return state;
}

export function toRefundBody(request: RefundRequest): Record<string, unknown> {
  return {
    out_trade_no: request.outTradeNo,
    out_refund_no: request.outRefundNo,
    reason: request.reason,
    notify_url: request.notifyUrl,
    amount: { refund: request.refundAmount, total: request.totalAmount, currency: 'CNY' },
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});

/** A transaction (query answer or payment notification plaintext) → what the core needs. */
export function toTradeQuery(transaction: Json): {
  state: TradeState;
  providerTradeId?: string;
  paidAmount?: number;
  paidAt?: Date;
} {
  const state = toTradeState(transaction.trade_state);
  const wasPaid = state === 'paid' || state === 'refunded';
  const total = obj(transaction.amount).total;
  return {
    state,
    ...(typeof transaction.transaction_id === 'string' && transaction.transaction_id
      ? { providerTradeId: transaction.transaction_id }
      : {}),
    ...(wasPaid && typeof total === 'number' ? { paidAmount: total } : {}),
    ...(wasPaid && parseRfc3339(transaction.success_time) ? { paidAt: parseRfc3339(transaction.success_time)! } : {}),
  };
}

function requireString(source: Json, name: string): string {
  const value = source[name];
  if (typeof value !== 'string' || value === '')
    throw new NotificationRejected('malformed', `notification resource has no ${name}`);
  return value;
}

function requireFen(source: Json, name: string): number {
  const value = obj(source.amount)[name];
  if (!Number.isInteger(value))
    throw new NotificationRejected('malformed', `notification resource has no amount.${name}`);
  return value as number;
}

/**
 * A verified notification's envelope and decrypted resource → ParsedNotification. The account is reported as
 * the gateway wrote it; the core compares it (and the amount) with its own payment. `merchant` is the account
 * whose APIv3 key decrypted the resource: it only fills the appid WeChat leaves out of refund notifications.
 */
export function toParsedNotification(envelope: Json, resource: Json, merchant: WechatMerchant): ParsedNotification {
  const notificationId = requireString(envelope, 'id');
  const eventType = requireString(envelope, 'event_type');
  if (eventType === 'TRANSACTION.SUCCESS') {
    const tradeState = requireString(resource, 'trade_state');
    return {
      kind: 'payment',
      notificationId,
      outTradeNo: requireString(resource, 'out_trade_no'),
      providerTradeId: requireString(resource, 'transaction_id'),
      paid: tradeState === 'SUCCESS',
      amount: requireFen(resource, 'total'),
      ...(parseRfc3339(resource.success_time) ? { paidAt: parseRfc3339(resource.success_time)! } : {}),
      account: { merchantId: requireString(resource, 'mchid'), appId: requireString(resource, 'appid') },
      raw: { ...envelope, resource },
    };
  }
  if (eventType.startsWith('REFUND.')) {
    const status = resource.refund_status ?? eventType.slice('REFUND.'.length);
    let state: RefundState;
    try {
      state = toRefundState(status);
    } catch {
      throw new NotificationRejected('malformed', `unknown refund_status ${String(status)}`);
    }
    return {
      kind: 'refund',
      notificationId,
      outTradeNo: requireString(resource, 'out_trade_no'),
      outRefundNo: requireString(resource, 'out_refund_no'),
      state,
      amount: requireFen(resource, 'refund'),
      // WeChat's refund resource carries no appid (only mchid), so the decrypting account's appid stands in
      account: {
        merchantId: requireString(resource, 'mchid'),
        appId: typeof resource.appid === 'string' ? resource.appid : merchant.appid,
      },
      raw: { ...envelope, resource },
    };
  }
  throw new NotificationRejected('malformed', `unexpected event_type ${eventType}`);
}
