import {
  NotificationRejected,
  type CreatePaymentRequest,
  type ParsedNotification,
  type PaymentAction,
  type RefundRequest,
  type RefundState,
  type TradeState,
} from '../provider.ts';
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

export function toOrderBody(request: CreatePaymentRequest, merchant: WechatMerchant): Record<string, unknown> {
  const channel = request.channel;
  if (!isWechatChannel(channel)) throw new Error(`WeChat Pay has no ${channel} channel`);
  if (!OUT_TRADE_NO.test(request.outTradeNo)) throw new Error(`out_trade_no must be 6–32 of [0-9A-Za-z_-|*]: ${request.outTradeNo}`);
  if (!Number.isInteger(request.amount) || request.amount <= 0) throw new Error(`amount must be a positive number of fen: ${request.amount}`);
  const body: Record<string, unknown> = {
    appid: merchant.appid,
    mchid: merchant.mchid,
    description: Array.from(request.description).slice(0, DESCRIPTION_MAX).join('') || request.outTradeNo,
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
      return { kind: 'sdk_params', params: appInvokeParams({ appId: merchant.appid, mchid: merchant.mchid, prepayId: field('prepay_id'), ...signing }) };
    case 'jsapi':
    case 'mini':
      return { kind: 'sdk_params', params: jsapiInvokeParams({ appId: merchant.appid, prepayId: field('prepay_id'), ...signing }) };
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
export function toTradeQuery(transaction: Json): { state: TradeState; providerTradeId?: string; paidAmount?: number; paidAt?: Date } {
  const state = toTradeState(transaction.trade_state);
  const wasPaid = state === 'paid' || state === 'refunded';
  const total = obj(transaction.amount).total;
  return {
    state,
    ...(typeof transaction.transaction_id === 'string' && transaction.transaction_id ? { providerTradeId: transaction.transaction_id } : {}),
    ...(wasPaid && typeof total === 'number' ? { paidAmount: total } : {}),
    ...(wasPaid && parseRfc3339(transaction.success_time) ? { paidAt: parseRfc3339(transaction.success_time)! } : {}),
  };
}

function requireString(source: Json, name: string): string {
  const value = source[name];
  if (typeof value !== 'string' || value === '') throw new NotificationRejected('malformed', `notification resource has no ${name}`);
  return value;
}

function requireFen(source: Json, name: string): number {
  const value = obj(source.amount)[name];
  if (!Number.isInteger(value)) throw new NotificationRejected('malformed', `notification resource has no amount.${name}`);
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
      account: { merchantId: requireString(resource, 'mchid'), appId: typeof resource.appid === 'string' ? resource.appid : merchant.appid },
      raw: { ...envelope, resource },
    };
  }
  throw new NotificationRejected('malformed', `unexpected event_type ${eventType}`);
}
