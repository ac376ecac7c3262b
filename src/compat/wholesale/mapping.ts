import { absoluteUrl } from '../absolute-url.ts';
import { addressLine } from '../address-line.ts';
import { chosenPayment } from '../chosen-payment.ts';
import { localDateTime } from '../../domain/local-time.ts';
import { fenToYuanNumber } from '../../domain/money.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import type { ErrorCode } from '../../errors.ts';
import type { OrderLineView, OrderView } from '../../orders/order-view.ts';
import { regionCode } from '../region-code.ts';

/**
 * The wholesale dialect (seed 001, `dd_001` order detail): how a canonical order reads on the distribution
 * platform's open API. Pure functions only; the routes gather the inputs. As in the seed's sample: money in yuan
 * as JSON numbers, ids as strings, times as local `yyyy/MM/dd HH:mm:ss` or null when unset.
 */

/** The seed's trade statuses: 1 交易关闭, 2 等待付款, 3 等待审核, 4 等待发货, 6 交易成功, 7 全额退款 (it has no 5). */
export type TradeStatus = 1 | 2 | 3 | 4 | 6 | 7;
/** The seed's payment kinds: 1 支付宝凭据, 2 微信凭据, 3 银行卡凭据, 4 预存款, 5 资产余额, 6 现金账户余额, 9 微信在线. */
export type PayForType = 1 | 2 | 3 | 4 | 5 | 6 | 9;

/** The one mapping table of this dialect. */
export const WHOLESALE = {
  /** canonical order type → `orderType`; ordo's recharge and till (pos) orders are retail sales here */
  orderType: { wholesale: 1, dropship: 2, authorization: 3, upgrade: 4, retail: 5, pos: 5, recharge: 5 } as Record<
    string,
    number
  >,
  /**
   * payment method → `payForType`, only the seed's own codes: the integrator's system knows no others. A method
   * the seed has no code for (Alipay online, cash at the till) and an order with no payment attempt yet are null;
   * `payForId` still names an online attempt.
   */
  payForType: {
    voucher_alipay: 1,
    voucher_wechat: 2,
    voucher_bank: 3,
    prepaid: 4,
    balance: 5,
    member_card: 6, // a stored-value member card, the seed's 现金账户
    wechat: 9,
  } as Partial<Record<string, PayForType>>,
  /** methods paid through a gateway: `payForId` is the attempt's out_trade_no */
  online: new Set(['wechat', 'alipay', 'unionpay']),
  /** offline methods proven by pictures: `payImgs` lists them */
  voucher: new Set(['voucher_alipay', 'voucher_wechat', 'voucher_bank']),
  /**
   * canonical order status → `tradeStatus` (a full refund overrides: 7). The seed has no "shipped": once the goods
   * left, nothing is left for the merchant to do, so it is 6 交易成功, with `deliveryDate` set and `endDate` null
   * until the buyer receives them.
   */
  tradeStatus: {
    pending_payment: 2,
    payment_review: 3,
    paid: 4, // also while a cancel request is pending
    shipped: 6,
    received: 6,
    completed: 6,
    cancelled: 1,
    closed: 1,
  } satisfies Record<OrderStatus, TradeStatus>,
  fullyRefunded: 7,
  lineType: { normal: 0, gift: 1 } as Record<string, number>,
  /** payment statuses that mean the buyer did pay with this attempt (or is waiting for review of it) */
  paidOrPaying: new Set(['processing', 'paid', 'partially_refunded', 'refunded']),
  /** canonical error code → `message` of `{"success":false,"status":1,"message":…}` */
  errorMessage: {
    unauthorized: '未授权：请使用员工令牌 Authorization: Bearer <token>',
    forbidden: '无权访问',
    not_found: '找不到指定的订单',
  } as Partial<Record<ErrorCode, string>>,
  errorStatus: 1,
} as const;

/** One payment attempt of the order, as far as this dialect needs it. */
export interface PaymentFact {
  id: number;
  method: string;
  status: string;
  outTradeNo: string;
  createdAt: Date;
  /** when staff approved or rejected its voucher */
  reviewedAt: Date | null;
  /** ids of its voucher pictures, in upload order */
  voucherImageIds: readonly number[];
}

export interface WholesaleEnv {
  timeZone: string;
  /** ORDO_PUBLIC_URL, to make pictures absolute */
  publicUrl: string;
  /** where the dialect serves a voucher picture, relative to the public URL */
  voucherPath: (outTradeNo: string, imageId: number) => string;
}

export interface WholesaleFacts {
  payments: readonly PaymentFact[];
  /** the buyer's display name (nickname, else username or mobile) */
  buyerName: string;
  /** tracking numbers of the order's parcels, in shipping order */
  trackingNumbers: readonly string[];
}

export interface WholesaleOrderDetail {
  orderDetailId: string;
  type: number;
  orderId: string;
  imageUrl: string;
  goodId: string;
  title: string;
  internalTitle: string;
  artNo: string;
  skuId: string;
  spec: string;
  number: number;
  price: number;
  totalDiscount: number;
  pendingRefundAmount: number;
  hasRefundAmount: number;
  isRefunding: boolean;
}

export interface WholesaleOrder {
  orderId: string;
  buyerId: string;
  buyerUserName: string;
  orderType: number;
  payForType: PayForType | null;
  payForId: string | null;
  payImgs: string[];
  tradeStatus: TradeStatus;
  totalAmount: number;
  totalDiscount: number;
  postFee: number;
  payment: number;
  logisticsNumbers: string | null;
  receiver: string;
  tel: string;
  districtId: string;
  address: string;
  mark: string;
  creatTime: string;
  payForTime: string | null;
  checkedDate: string | null;
  deliveryDate: string | null;
  endDate: string | null;
  lastModifyTime: string;
  orderDetails: WholesaleOrderDetail[];
}

export const wholesaleOk = <T>(data: T) => ({ success: true as const, status: 0 as const, data });

export const wholesaleError = (code: ErrorCode | null, message: string) => ({
  success: false as const,
  status: WHOLESALE.errorStatus,
  message: (code && WHOLESALE.errorMessage[code]) || message,
});

export function tradeStatus(order: OrderView): TradeStatus {
  if (order.refundStatus === 'refunded') return WHOLESALE.fullyRefunded;
  const code = (WHOLESALE.tradeStatus as Record<string, TradeStatus | undefined>)[order.status];
  if (code === undefined) throw new Error(`the wholesale dialect has no tradeStatus for order status ${order.status}`);
  return code;
}

export function toWholesaleOrder(order: OrderView, facts: WholesaleFacts, env: WholesaleEnv): WholesaleOrder {
  const { timeZone, publicUrl } = env;
  const time = (at: Date | null) => (at ? localDateTime(at, timeZone, '/') : null);
  const orderType = WHOLESALE.orderType[order.orderType];
  if (orderType === undefined) throw new Error(`the wholesale dialect has no orderType for ${order.orderType}`);
  const payment = chosenPayment(facts.payments);
  const isVoucher = payment !== null && WHOLESALE.voucher.has(payment.method);
  const a = order.address;
  return {
    orderId: order.orderNo,
    buyerId: order.memberId === null ? '' : String(order.memberId),
    buyerUserName: facts.buyerName || (a?.receiverName ?? ''),
    orderType,
    payForType: (payment && WHOLESALE.payForType[payment.method]) ?? null,
    payForId: payment && WHOLESALE.online.has(payment.method) ? payment.outTradeNo : null,
    payImgs: isVoucher
      ? payment.voucherImageIds.map((id) => absoluteUrl(env.voucherPath(payment.outTradeNo, id), publicUrl))
      : [],
    tradeStatus: tradeStatus(order),
    totalAmount: fenToYuanNumber(order.goodsAmount),
    // staff changing an unpaid order's price counts as discount (a raise as a negative one), so that the seed's
    // payment = totalAmount − totalDiscount + postFee holds: ordo's payable = goods − discount + shipping + adjustment
    totalDiscount: fenToYuanNumber(order.discountAmount - order.priceAdjustment),
    postFee: fenToYuanNumber(order.shippingFee),
    payment: fenToYuanNumber(order.payableAmount),
    logisticsNumbers: order.shippedAt ? facts.trackingNumbers.join(',') : null,
    receiver: a?.receiverName ?? '',
    tel: a ? a.mobile || a.phone : '',
    districtId: a ? a.districtCode || regionCode(a) : '',
    address: addressLine(order),
    mark: order.buyerRemark,
    creatTime: localDateTime(order.createdAt, timeZone, '/'),
    // a voucher was "paid" when the buyer handed in the proof; staff checking it is checkedDate
    payForTime: time(isVoucher && WHOLESALE.paidOrPaying.has(payment.status) ? payment.createdAt : order.paidAt),
    // staff checking a voucher, approved or rejected (a rejected one leaves the order unpaid, not unchecked)
    checkedDate: time(order.paymentReviewedAt ?? latestReview(facts.payments)),
    deliveryDate: time(order.shippedAt),
    endDate: time(order.completedAt ?? order.receivedAt ?? order.cancelledAt ?? order.closedAt),
    lastModifyTime: localDateTime(order.updatedAt, timeZone, '/'),
    orderDetails: order.lines.map((line) => toOrderDetail(order, line, publicUrl)),
  };
}

function latestReview(payments: readonly PaymentFact[]): Date | null {
  return payments.reduce<Date | null>((a, p) => (p.reviewedAt && (!a || p.reviewedAt > a) ? p.reviewedAt : a), null);
}

function toOrderDetail(order: OrderView, line: OrderLineView, publicUrl: string): WholesaleOrderDetail {
  return {
    orderDetailId: String(line.id),
    type: WHOLESALE.lineType[line.kind] ?? 0,
    orderId: order.orderNo,
    imageUrl: absoluteUrl(line.imageUrl, publicUrl),
    goodId: line.productId === null ? '' : String(line.productId),
    title: line.title,
    internalTitle: line.internalTitle,
    artNo: line.articleNo,
    skuId: line.skuId,
    // the seed lists a line's options with 、 ("红色、XL")
    spec: line.options.length ? line.options.map((o) => o.title).join('、') : line.spec,
    number: line.quantity,
    price: fenToYuanNumber(line.unitPrice),
    totalDiscount: fenToYuanNumber(line.discountAmount),
    pendingRefundAmount: fenToYuanNumber(line.refundPendingAmount),
    hasRefundAmount: fenToYuanNumber(line.refundedAmount),
    isRefunding: line.refunding,
  };
}
