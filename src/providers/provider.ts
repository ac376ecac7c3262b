import type { Clock } from '../clock.ts';
import type { Channel, PaymentAction } from '../domain/payment-action.ts';

/**
 * What a payment gateway integration offers the payments core. A provider only speaks its protocol: it turns a
 * canonical request into the gateway's signed request and the gateway's (verified) answer or notification into
 * a canonical result. It never reads or writes orders, payments or the database.
 */

/** An HTTP exchange, injected so tests and the sandbox can route calls without a network. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ProviderEnvironment {
  transport: Transport;
  clock: Clock;
  /** Random nonces for request signing; injected so published vectors can be reproduced in tests. */
  nonce: () => string;
}

export interface CreatePaymentRequest {
  outTradeNo: string;
  /** fen */
  amount: number;
  description: string;
  channel: Channel;
  expiresAt: Date;
  notifyUrl: string;
  returnUrl?: string;
  clientIp?: string;
  /** WeChat jsapi / mini-program payer */
  openId?: string;
}

export interface CreatePaymentResult {
  action: PaymentAction;
  raw: unknown;
}

/** A trade as the gateway sees it. `not_found` is normal for an Alipay precreate nobody has scanned yet. */
export type TradeState = 'not_found' | 'unpaid' | 'paying' | 'paid' | 'closed' | 'failed' | 'refunded';

export interface TradeQueryResult {
  state: TradeState;
  providerTradeId?: string;
  /** fen actually paid, when paid */
  paidAmount?: number;
  paidAt?: Date;
  raw: unknown;
}

export type CloseResult =
  { closed: true } | { closed: false; reason: 'already_paid' | 'not_found' | 'error'; message?: string };

export interface RefundRequest {
  outTradeNo: string;
  outRefundNo: string;
  /** fen */
  refundAmount: number;
  /** fen: the whole payment */
  totalAmount: number;
  reason: string;
  notifyUrl: string;
}

export type RefundState = 'processing' | 'succeeded' | 'closed' | 'failed';

export interface RefundResult {
  state: RefundState;
  providerRefundId?: string;
  raw: unknown;
}

export interface IncomingNotification {
  headers: Record<string, string | undefined>;
  /** The body exactly as received: signatures cover the raw bytes. */
  rawBody: string;
}

/** A verified, decoded notification. The core still checks account, trade number and amount against its payment. */
export type ParsedNotification =
  | {
      kind: 'payment';
      /** stable across the gateway's retries (WeChat `id`, Alipay `notify_id`) */
      notificationId: string;
      outTradeNo: string;
      providerTradeId: string;
      paid: boolean;
      /** fen */
      amount: number;
      paidAt?: Date;
      /** the merchant account the gateway says this is for (WeChat mchid, Alipay app_id) */
      account: { merchantId: string; appId: string };
      raw: unknown;
    }
  | {
      kind: 'refund';
      notificationId: string;
      outTradeNo: string;
      outRefundNo: string;
      state: RefundState;
      /** fen */
      amount: number;
      account: { merchantId: string; appId: string };
      raw: unknown;
    };

/** Thrown by parseNotification for anything that must not be applied: bad signature, stale, unknown key, probe. */
export class NotificationRejected extends Error {
  constructor(
    readonly reason: 'bad_signature' | 'stale' | 'unknown_key' | 'probe' | 'malformed' | 'decrypt_failed',
    message: string,
  ) {
    super(message);
    this.name = 'NotificationRejected';
  }
}

/** A till scans the customer's payment code (WeChat 付款码 / Alipay 条码). */
export interface CodePaymentRequest {
  outTradeNo: string;
  /** fen */
  amount: number;
  description: string;
  /** the digits of the customer's payment code */
  authCode: string;
  clientIp?: string;
  /** where the gateway notifies when a payment the customer is still confirming completes */
  notifyUrl: string;
}

export interface PaymentProvider {
  readonly name: 'wechatpay' | 'alipay';
  create(request: CreatePaymentRequest): Promise<CreatePaymentResult>;
  /**
   * Charges a scanned payment code. `paid` and `failed` are final; `paying` means the customer must confirm on
   * the phone (USERPAYING / WAIT_BUYER_PAY): query until it is final.
   */
  payWithCode(request: CodePaymentRequest): Promise<TradeQueryResult>;
  query(outTradeNo: string): Promise<TradeQueryResult>;
  close(outTradeNo: string): Promise<CloseResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
  queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundResult>;
  /** Verifies and decodes; throws NotificationRejected. */
  parseNotification(notification: IncomingNotification): ParsedNotification;
  /** The reply that tells the gateway the notification was taken. */
  ack(): HttpResponse;
  /** The reply that asks the gateway to send it again later. */
  nack(message: string): HttpResponse;
}
