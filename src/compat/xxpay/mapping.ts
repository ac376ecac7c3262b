import { localTime } from '../../domain/local-time.ts';
import type { ErrorCode } from '../../errors.ts';
import type { TradeOrderView } from '../../orders/trade-order-view.ts';

/**
 * The xxpay dialect's one mapping table (seed 004, XxPay merchant API): canonical trade order → the seed's
 * `/api/trade_order/get` data, status and product codes, the envelope and its codes. Pure functions. Money
 * returned is integer fen (as the seed's sample), times are ISO-8601 with the shop's offset
 * (`2019-08-23T16:14:42.000+08:00`).
 */

// ── envelope ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Envelope `code`s. 0, 1001, 10001 and 12025 are XxPay's own (the layui console's `ok` / `logout`); the others
 * are ordo's choice, documented here:
 * - 1     business failure the cashier reads in `msg` (wrong state, conflict, over-refund, gateway trouble)
 * - 1002  wrong username or password at /api/auth
 * - 1003  not allowed (a member token, a wrong refund password)
 * - 1004  the merchant has no enabled app to act through (create one with POST /v1/admin/apps)
 */
export const XXPAY_CODE = {
  ok: 0,
  failure: 1,
  loggedOut: 1001,
  loginFailed: 1002,
  forbidden: 1003,
  noApp: 1004,
  badParameter: 10001,
  tradeOrderNotFound: 12025,
} as const;
export type XxpayCode = (typeof XXPAY_CODE)[keyof typeof XXPAY_CODE];

export interface XxpayEnvelope {
  code: XxpayCode;
  msg: string;
  data?: unknown;
}

export const ok = (data: unknown): XxpayEnvelope => ({ code: XXPAY_CODE.ok, msg: 'success', data });
export const failure = (code: XxpayCode, msg: string): XxpayEnvelope => ({ code, msg });

/** Which envelope code each canonical error code becomes. */
export const CODE_BY_ERROR: Record<ErrorCode, XxpayCode> = {
  validation_failed: XXPAY_CODE.badParameter,
  invalid_auth_code: XXPAY_CODE.badParameter,
  unauthorized: XXPAY_CODE.loggedOut,
  bad_sms_code: XXPAY_CODE.loggedOut,
  unknown_mobile: XXPAY_CODE.loggedOut,
  forbidden: XXPAY_CODE.forbidden,
  refund_password: XXPAY_CODE.forbidden,
  not_found: XXPAY_CODE.tradeOrderNotFound,
  conflict: XXPAY_CODE.failure,
  out_of_stock: XXPAY_CODE.failure,
  invalid_state: XXPAY_CODE.failure,
  settled: XXPAY_CODE.failure,
  idempotency_key_reused: XXPAY_CODE.failure,
  unprocessable: XXPAY_CODE.failure,
  address_required: XXPAY_CODE.failure,
  insufficient_balance: XXPAY_CODE.failure,
  insufficient_points: XXPAY_CODE.failure,
  exceeds_refundable: XXPAY_CODE.failure,
  exceeds_deposit: XXPAY_CODE.failure,
  method_not_available: XXPAY_CODE.failure,
  provider_error: XXPAY_CODE.failure,
  rate_limited: XXPAY_CODE.failure,
};

// ── status (ordo's order states as XxPay names them) ─────────────────────────────────────────────────────────────────

export const XXPAY_STATUS = {
  created: 0,
  processing: 1,
  success: 2,
  failed: -1,
  partiallyRefunded: 4,
  fullyRefunded: 5,
  depositHeld: 6,
  depositReturned: 7,
} as const;
export type XxpayStatus = (typeof XXPAY_STATUS)[keyof typeof XXPAY_STATUS];

/**
 * Canonical → xxpay status. Unpaid is 0, or 1 while a payment attempt is in flight, or -1 when the latest attempt
 * failed (the till may try again); cancelled/closed is -1. A held deposit is 6 and one returned in full is 7; a
 * deposit partly consumed is a success (2) whose returned part shows in `refundTotalAmount` (and status 4).
 */
export function xxpayStatus(
  t: Pick<TradeOrderView, 'depositStatus' | 'payment'> & { order: { status: string; refundStatus: string } },
): XxpayStatus {
  const { order } = t;
  if (t.depositStatus === 'held') return XXPAY_STATUS.depositHeld;
  if (t.depositStatus === 'released') return XXPAY_STATUS.depositReturned;
  switch (order.status) {
    case 'pending_payment':
      if (t.payment?.status === 'processing') return XXPAY_STATUS.processing;
      if (t.payment?.status === 'failed') return XXPAY_STATUS.failed;
      return XXPAY_STATUS.created;
    case 'payment_review':
      return XXPAY_STATUS.processing;
    case 'cancelled':
    case 'closed':
      return XXPAY_STATUS.failed;
    default:
      if (order.refundStatus === 'refunded') return XXPAY_STATUS.fullyRefunded;
      if (order.refundStatus === 'partially_refunded') return XXPAY_STATUS.partiallyRefunded;
      return XXPAY_STATUS.success;
  }
}

/** Payment method → `productType`: 1 cash, 2 member account, 3 WeChat, 4 Alipay, 5 UnionPay. */
export const PRODUCT_TYPE: Record<string, number> = { cash: 1, balance: 2, wechat: 3, alipay: 4, unionpay: 5 };

/** Method and channel → XxPay `productId` (8020 = WeChat barcode, as the seed shows; the others follow XxPay's numbering). */
export const PRODUCT_ID: Record<string, string> = {
  'wechat/micropay': '8020',
  'alipay/micropay': '8021',
  'wechat/native': '8002',
  'alipay/qr': '8007',
};

export const TRADE_TYPE = { sale: 1, recharge: 2 } as const;

// ── formats ───────────────────────────────────────────────────────────────────────────────────────────────────

/** `2019-08-23T16:14:42.000+08:00`: the wall-clock time in `timeZone` with its offset; null for a time not reached. */
export function xxpayTime(at: Date | null | undefined, timeZone: string): string | null {
  if (!at) return null;
  const t = localTime(at, timeZone);
  const ms = String(at.getUTCMilliseconds()).padStart(3, '0');
  const wall = Date.UTC(+t.year, +t.month - 1, +t.day, +t.hour, +t.minute, +t.second, at.getUTCMilliseconds());
  const offsetMinutes = Math.round((wall - at.getTime()) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${t.year}-${t.month}-${t.day}T${t.hour}:${t.minute}:${t.second}.${ms}${offset}`;
}

export interface MappingEnv {
  timeZone: string;
}

/** One `goodsDesc` entry; goods without a barcode have goodsId -1, as the seed shows. */
export interface XxpayGoods {
  cellPrice: number;
  currentPrice: number;
  discountAmount: number;
  goodsId: number;
  goodsName: string;
  goodsNum: number;
  goodsProps: string;
}

/** The `/api/trade_order/get` data: every field of the seed's sample, plus `depositMode` from its field table. */
export function toXxpayTradeOrder(t: TradeOrderView, env: MappingEnv) {
  const o = t.order;
  const p = t.payment;
  return {
    tradeOrderId: o.orderNo,
    tradeType: TRADE_TYPE[t.tradeType],
    depositMode: o.depositMode ? 1 : 0,
    mchId: o.merchantId,
    appId: t.appId ?? '',
    clientIp: t.clientIp,
    device: t.device,
    goodsId: '',
    subject: t.subject,
    body: t.subject,
    orderAmount: o.payableAmount + o.discountAmount,
    discountAmount: o.discountAmount,
    amount: o.payableAmount,
    mchIncome: o.merchantIncome,
    userId: t.member ? String(t.member.id) : null,
    channelUserId: null,
    status: xxpayStatus(t),
    payOrderId: p?.outTradeNo ?? null,
    productId: p ? (PRODUCT_ID[`${p.method}/${p.channel}`] ?? null) : null,
    productType: p ? (PRODUCT_TYPE[p.method] ?? null) : null,
    goodsDesc: o.lines.map((l): XxpayGoods => ({
      cellPrice: l.listPrice,
      currentPrice: l.unitPrice,
      discountAmount: l.discountAmount,
      goodsId: l.productId ?? -1,
      goodsName: l.title,
      goodsNum: l.quantity,
      goodsProps: l.spec,
    })),
    couponId: t.couponCode || null,
    storeNo: String(t.store.id),
    storeName: t.store.name,
    operatorId: t.operator ? String(t.operator.id) : null,
    operatorName: t.operator?.name ?? null,
    memberId: t.member ? String(t.member.id) : null,
    memberTel: t.member?.mobile ?? null,
    givePoints: o.pointsAwarded,
    refundTotalAmount: o.refundedAmount,
    tradeSuccTime: xxpayTime(o.paidAt, env.timeZone),
    createTime: xxpayTime(o.createdAt, env.timeZone),
    updateTime: xxpayTime(o.updatedAt, env.timeZone),
  };
}

/** `/memberPay/queryStatus` data. */
export function toXxpayPayStatus(t: TradeOrderView) {
  return {
    tradeOrderId: t.order.orderNo,
    orderStatus: xxpayStatus(t),
    productType: t.payment ? (PRODUCT_TYPE[t.payment.method] ?? null) : null,
    amount: t.order.payableAmount,
  };
}
