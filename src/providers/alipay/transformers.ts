import { fenToYuanString, yuanToFen } from '../../domain/money.ts';
import {
  NotificationRejected,
  type CodePaymentRequest,
  type CreatePaymentRequest,
  type ParsedNotification,
  type RefundResult,
  type TradeQueryResult,
  type TradeState,
} from '../provider.ts';

/**
 * Pure mapping between ordo's canonical payment types and Alipay's wire fields (Hyperswitch "transformers").
 * Nothing here signs, sends or reads a clock.
 */

/** How a create request reaches Alipay: a server call, or parameters handed to the browser / app. */
export type CreateDelivery = 'server' | 'form' | 'redirect' | 'sdk';

export interface CreateCall {
  method: string;
  bizContent: Record<string, string>;
  delivery: CreateDelivery;
}

const CHANNELS: Partial<
  Record<CreatePaymentRequest['channel'], { method: string; productCode: string; delivery: CreateDelivery }>
> = {
  precreate: { method: 'alipay.trade.precreate', productCode: 'FACE_TO_FACE_PAYMENT', delivery: 'server' },
  page: { method: 'alipay.trade.page.pay', productCode: 'FAST_INSTANT_TRADE_PAY', delivery: 'form' },
  wap: { method: 'alipay.trade.wap.pay', productCode: 'QUICK_WAP_WAY', delivery: 'redirect' },
  app: { method: 'alipay.trade.app.pay', productCode: 'QUICK_MSECURITY_PAY', delivery: 'sdk' },
};

export function toCreateCall(request: CreatePaymentRequest): CreateCall {
  const channel = CHANNELS[request.channel];
  if (!channel) throw new RangeError(`Alipay has no ${request.channel} channel`);
  return {
    method: channel.method,
    delivery: channel.delivery,
    bizContent: {
      out_trade_no: request.outTradeNo,
      total_amount: fenToYuanString(request.amount),
      subject: request.description,
      product_code: channel.productCode,
      // Alipay closes the trade itself at this time, so a late scan cannot pay an order ordo already closed.
      time_expire: formatAlipayTime(request.expiresAt),
    },
  };
}

/** `alipay.trade.pay` for a scanned payment code (当面付 条码支付). The code goes as scanned: Alipay judges it. */
export function toCodePayBizContent(request: CodePaymentRequest): Record<string, string> {
  return {
    out_trade_no: request.outTradeNo,
    scene: 'bar_code',
    auth_code: request.authCode,
    subject: request.description,
    total_amount: fenToYuanString(request.amount),
  };
}

export interface CommonParamsInput {
  appId: string;
  method: string;
  timestamp: Date;
  bizContent: Record<string, string>;
  notifyUrl?: string;
  returnUrl?: string;
}

/** The public request parameters every gateway call carries (before `sign`). */
export function commonParams(input: CommonParamsInput): Record<string, string> {
  const params: Record<string, string> = {
    app_id: input.appId,
    method: input.method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: formatAlipayTime(input.timestamp),
    version: '1.0',
    biz_content: JSON.stringify(input.bizContent),
  };
  if (input.notifyUrl) params.notify_url = input.notifyUrl;
  if (input.returnUrl) params.return_url = input.returnUrl;
  return params;
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** "yyyy-MM-dd HH:mm:ss" in UTC+8, whatever the server's own time zone. */
export function formatAlipayTime(at: Date): string {
  const b = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}`;
}

const ALIPAY_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function parseAlipayTime(text: string): Date | undefined {
  const m = ALIPAY_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS);
}

/**
 * WAIT_BUYER_PAY is `paying`: Alipay only knows a trade once the buyer has it in hand (a precreate trade does not
 * exist until it is scanned, a page/wap trade until the cashier opens, a code payment waits for the customer's
 * password), so a trade it reports as waiting is one the buyer is in the middle of paying. Nothing Alipay reports
 * maps to `unpaid`: "nobody has touched it" is ACQ.TRADE_NOT_EXIST, `not_found`.
 */
export function tradeStateOf(tradeStatus: string): TradeState {
  switch (tradeStatus) {
    case 'WAIT_BUYER_PAY':
      return 'paying';
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return 'paid';
    case 'TRADE_CLOSED':
      return 'closed';
    default:
      throw new AlipayBusinessError('unknown', 'UNKNOWN_TRADE_STATUS', `unknown trade_status ${tradeStatus}`);
  }
}

/** A gateway answer that is neither success nor a failure the caller can map (system error, bad argument). */
export class AlipayBusinessError extends Error {
  constructor(
    readonly code: string,
    readonly subCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'AlipayBusinessError';
  }
}

export type AlipayAnswer = Record<string, unknown>;

const str = (answer: AlipayAnswer, key: string): string | undefined => {
  const value = answer[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

export const isSuccess = (answer: AlipayAnswer) => answer.code === '10000';
export const subCodeOf = (answer: AlipayAnswer) => str(answer, 'sub_code');

export function businessError(method: string, answer: AlipayAnswer): AlipayBusinessError {
  const code = str(answer, 'code') ?? '?';
  const sub = str(answer, 'sub_code') ?? '';
  const msg = str(answer, 'sub_msg') ?? str(answer, 'msg') ?? '';
  return new AlipayBusinessError(code, sub, `${method} failed: ${code} ${sub} ${msg}`.trim());
}

export function toTradeQueryResult(answer: AlipayAnswer): TradeQueryResult {
  // A precreated trade exists at Alipay only once the buyer scans it: "not there" is a normal unpaid state.
  if (subCodeOf(answer) === 'ACQ.TRADE_NOT_EXIST') return { state: 'not_found', raw: answer };
  if (!isSuccess(answer)) throw businessError('alipay.trade.query', answer);
  const state = tradeStateOf(str(answer, 'trade_status') ?? '');
  const result: TradeQueryResult = { state, raw: answer };
  const tradeNo = str(answer, 'trade_no');
  if (tradeNo) result.providerTradeId = tradeNo;
  if (state === 'paid') {
    const total = str(answer, 'total_amount');
    if (total) result.paidAmount = yuanToFen(total);
    const paidAt = parseAlipayTime(str(answer, 'send_pay_date') ?? '');
    if (paidAt) result.paidAt = paidAt;
  }
  return result;
}

/**
 * Sub-codes of a 40004 answer to `alipay.trade.pay` that mean this code did not pay and will not (the customer
 * must top up, switch funding or show a fresh code). Other failures (ACQ.TRADE_HAS_CLOSE, ACQ.CONTEXT_INCONSISTENT,
 * ACQ.INVALID_PARAMETER, system errors) say nothing final about this payment and are thrown.
 */
export const CODE_PAY_FAILURES: ReadonlySet<string> = new Set([
  'ACQ.PAYMENT_AUTH_CODE_INVALID',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH',
  'ACQ.PAYMENT_FAIL',
  'ACQ.PAYMENT_REQUEST_HAS_RISK',
  'ACQ.BUYER_ENABLE_STATUS_FORBID',
  'ACQ.BUYER_SELLER_EQUAL',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR',
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT',
]);

/** Alipay's "this out_trade_no has already been paid" (a retried till call): the trade must be queried. */
export const TRADE_HAS_SUCCESS = 'ACQ.TRADE_HAS_SUCCESS';

/**
 * The verified `alipay_trade_pay_response` → what happened. 10000 is paid (the real answer carries no
 * trade_status; if one is present it must agree), 10003 is waiting for the customer's password, a buyer-side
 * 40004 is failed. Anything else is thrown; TRADE_HAS_SUCCESS is the caller's to handle before this.
 */
export function toCodePayResult(outTradeNo: string, answer: AlipayAnswer): TradeQueryResult {
  const answered = str(answer, 'out_trade_no');
  // a signed answer about another trade must not settle this one
  if (answered !== undefined && answered !== outTradeNo) {
    throw new AlipayBusinessError(
      String(answer.code),
      'OUT_TRADE_NO_MISMATCH',
      `alipay.trade.pay answer is for ${answered}, not ${outTradeNo}`,
    );
  }
  const subCode = subCodeOf(answer);
  if (answer.code === '40004' && subCode !== undefined && CODE_PAY_FAILURES.has(subCode))
    return { state: 'failed', raw: answer };
  const tradeNo = str(answer, 'trade_no');
  if (answer.code === '10003')
    return { state: 'paying', ...(tradeNo ? { providerTradeId: tradeNo } : {}), raw: answer };
  if (!isSuccess(answer)) throw businessError('alipay.trade.pay', answer);
  const status = str(answer, 'trade_status');
  const state = status === undefined ? 'paid' : tradeStateOf(status);
  const result: TradeQueryResult = { state, raw: answer };
  if (tradeNo) result.providerTradeId = tradeNo;
  if (state === 'paid') {
    const total = str(answer, 'total_amount');
    if (total) result.paidAmount = yuanToFen(total);
    const paidAt = parseAlipayTime(str(answer, 'gmt_payment') ?? '');
    if (paidAt) result.paidAt = paidAt;
  }
  return result;
}

export function toRefundResult(answer: AlipayAnswer): RefundResult {
  if (!isSuccess(answer)) throw businessError('alipay.trade.refund', answer);
  // fund_change "N" means this call moved no money (e.g. a retry Alipay already settled): confirm by refund query.
  const result: RefundResult = { state: answer.fund_change === 'Y' ? 'succeeded' : 'processing', raw: answer };
  const tradeNo = str(answer, 'trade_no');
  if (tradeNo) result.providerRefundId = tradeNo;
  return result;
}

export function toRefundQueryResult(answer: AlipayAnswer): RefundResult {
  if (!isSuccess(answer)) throw businessError('alipay.trade.fastpay.refund.query', answer);
  // No refund_status means Alipay holds no successful refund under that number (yet). Saying "failed" could make
  // the core re-refund under a new number while the first is still in flight, so it stays processing.
  const result: RefundResult = {
    state: answer.refund_status === 'REFUND_SUCCESS' ? 'succeeded' : 'processing',
    raw: answer,
  };
  const tradeNo = str(answer, 'trade_no');
  if (tradeNo) result.providerRefundId = tradeNo;
  return result;
}

function required(params: Record<string, string>, key: string): string {
  const value = params[key];
  if (value === undefined || value === '') throw new NotificationRejected('malformed', `notification lacks ${key}`);
  return value;
}

function fen(params: Record<string, string>, key: string): number {
  try {
    return yuanToFen(required(params, key));
  } catch (error) {
    if (error instanceof NotificationRejected) throw error;
    throw new NotificationRejected('malformed', `notification ${key} is not a yuan amount`);
  }
}

/** Maps verified notification parameters. The core still checks app_id, seller_id, out_trade_no and amount. */
export function toParsedNotification(params: Record<string, string>): ParsedNotification {
  const notificationId = required(params, 'notify_id');
  const outTradeNo = required(params, 'out_trade_no');
  const tradeStatus = required(params, 'trade_status');
  const account = { merchantId: params.seller_id ?? '', appId: required(params, 'app_id') };
  // A refund is reported as a trade status sync (TRADE_SUCCESS when partial, TRADE_CLOSED when full) that
  // carries refund_fee / gmt_refund; out_biz_no is the refund's out_request_no.
  if (params.refund_fee || params.gmt_refund) {
    return {
      kind: 'refund',
      notificationId,
      outTradeNo,
      // Without out_biz_no the core has to match the refund by trade and amount.
      outRefundNo: params.out_biz_no ?? '',
      state: 'succeeded',
      // refund_fee is the trade's cumulative refunded total, not this refund's own amount.
      amount: fen(params, 'refund_fee'),
      account,
      raw: params,
    };
  }
  const paid = tradeStatus === 'TRADE_SUCCESS' || tradeStatus === 'TRADE_FINISHED';
  const result: ParsedNotification = {
    kind: 'payment',
    notificationId,
    outTradeNo,
    providerTradeId: paid ? required(params, 'trade_no') : (params.trade_no ?? ''),
    paid,
    amount: fen(params, 'total_amount'),
    account,
    raw: params,
  };
  const paidAt = paid ? parseAlipayTime(params.gmt_payment ?? '') : undefined;
  if (paidAt) result.paidAt = paidAt;
  return result;
}

/**
 * Decodes a form-encoded body exactly once (`+` is a space). A repeated key is refused: which copy the signature
 * covered would be ambiguous.
 */
export function parseForm(body: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(params, key)) throw new RangeError(`parameter ${key} appears twice`);
    params[key] = value;
  }
  return params;
}
