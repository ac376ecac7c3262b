import type { ErrorCode } from '../../errors.ts';
import type { TradeOrderView } from '../../orders/trade-order-view.ts';

/**
 * The xxpay dialect's one mapping table (seed 004, XxPay merchant API): canonical trade order → the seed's
 * `/api/trade_order/get` data, status and product codes, the envelope and its codes. Pure functions. Money
 * returned is integer fen (as the seed's sample), times are UTC as the seed writes them
 * (`2019-08-23T08:14:42.000+0000`).
 */

// ── envelope ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Envelope `code`s. 0, 1001, 10001, 10005, 12010, 12011, 12025, 12036 and 12060 are XxPay's own (0 and 1001 are
 * the layui console's `ok` / `logout`; 1002 would send it to its security page, so ordo never answers it); the
 * others are ordo's choice, documented here:
 * - 1     business failure the cashier reads in `msg` (wrong state, conflict, over-refund, gateway trouble), and
 *         「暂不支持」 for a console route ordo does not serve
 * - 1003  not allowed (a member token, a wrong refund password)
 * - 1004  the merchant has no enabled app to act through (create one with POST /v1/admin/apps)
 */
export const XXPAY_CODE = {
  ok: 0,
  failure: 1,
  loggedOut: 1001,
  forbidden: 1003,
  noApp: 1004,
  badParameter: 10001,
  tradeOrderNotFound: 12025,
  /** the picture captcha of the web login is wrong, used or expired */
  vercodeWrong: 10005,
  /** a new password that is not 8–16 letters and digits */
  passwordFormat: 12010,
  /** wrong username or password */
  authFailed: 12011,
  /** the current password given to change it is wrong */
  oldPasswordWrong: 12036,
  /** a `loginType` other than web, pc, uni-app, face-app */
  loginTypeWrong: 12060,
} as const;
export type XxpayCode = (typeof XXPAY_CODE)[keyof typeof XXPAY_CODE];

export interface XxpayEnvelope {
  code: XxpayCode;
  msg: string;
  data?: unknown;
}

export const ok = (data: unknown, msg = 'success'): XxpayEnvelope => ({ code: XXPAY_CODE.ok, msg, data });
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

/** `2019-08-23T08:14:42.000+0000`: the instant in UTC, as XxPay's Jackson writes a date (the seed's format); null for a time not reached. */
// (callers pass the shop's time zone; the seed's format does not need it)
export function xxpayTime(at: Date | null | undefined, _timeZone?: string): string | null {
  if (!at) return null;
  return `${at.toISOString().slice(0, 23)}+0000`;
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

/** What was sold, as `productName` and `body` name it: each line's title, with its quantity when more than one. */
const productNameOf = (lines: TradeOrderView['order']['lines']) =>
  lines.map((l) => (l.quantity > 1 ? `${l.title}×${l.quantity}` : l.title)).join('、');

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
    goodsId: o.lines.length === 1 && o.lines[0]!.productId !== null ? String(o.lines[0]!.productId) : '',
    subject: t.subject || productNameOf(o.lines),
    body: productNameOf(o.lines),
    productName: productNameOf(o.lines),
    remark: o.merchantRemark || o.buyerRemark,
    orderAmount: o.payableAmount + o.discountAmount,
    discountAmount: o.discountAmount,
    amount: o.payableAmount,
    mchIncome: o.merchantIncome,
    userId: t.member ? String(t.member.id) : null,
    // the payer's openid / buyer id: ordo keeps it only inside the gateways' raw reports, not as a field of its own
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
    storeId: t.store.id,
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
