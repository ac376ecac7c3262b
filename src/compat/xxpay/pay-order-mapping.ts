import { localDateTime } from '../../domain/local-time.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { PaymentRefundStatus } from '../../domain/payment-refund-status.ts';
import { MONEY_RECEIVED, type PaymentStatus } from '../../domain/payment-status.ts';
import type { MerchantPayOrder, PayOrderFilters } from '../../payments/merchant-pay-orders.ts';
import type { MerchantRefundOrder } from '../../payments/merchant-refund-orders.ts';
import { PRODUCT_ID, xxpayTime, type MappingEnv } from './mapping.ts';

/**
 * The console's pay orders (`pay_order/*`: one per payment attempt) and refund orders (`refund_order/*`: one per
 * refund sent back through a payment) in XxPay's shapes and codes. Amounts are fen, times as the seed writes them.
 */

/** XxPay's pay order `status`: the pay page's own list of codes. */
export const PAY_ORDER_STATUS = {
  created: 0,
  paying: 1,
  success: 2,
  failed: -1,
  refunded: 4,
  expired: -2,
  depositHeld: 6,
  depositReturned: 7,
} as const;
type PayOrderStatus = (typeof PAY_ORDER_STATUS)[keyof typeof PAY_ORDER_STATUS];

/**
 * A payment's code: a held deposit 6, a deposit given back 7; otherwise 1 while the customer pays, 2 once paid (a
 * partial refund keeps it 2, with `isRefund` 1 and the amount in `successRefundAmount`), 4 refunded in full, -1
 * failed, -2 closed unpaid (expired or given up). ordo sends every attempt to its gateway when it creates it, so 0
 * (created, not yet sent) never occurs.
 */
export function xxpayPayOrderStatus(p: Pick<MerchantPayOrder, 'status' | 'depositStatus'>): PayOrderStatus {
  if (MONEY_RECEIVED.has(p.status) && p.depositStatus === 'held') return PAY_ORDER_STATUS.depositHeld;
  if (MONEY_RECEIVED.has(p.status) && p.depositStatus === 'released') return PAY_ORDER_STATUS.depositReturned;
  switch (p.status) {
    case 'processing':
      return PAY_ORDER_STATUS.paying;
    case 'paid':
    case 'partially_refunded':
      return PAY_ORDER_STATUS.success;
    case 'refunded':
      return PAY_ORDER_STATUS.refunded;
    case 'failed':
      return PAY_ORDER_STATUS.failed;
    case 'closed':
      return PAY_ORDER_STATUS.expired;
  }
}

const RECEIVED: PaymentStatus[] = [...MONEY_RECEIVED];

/** The inverse of `xxpayPayOrderStatus`, as list filters: the `status` the pay page sends → which payments. */
export const PAY_FILTER_OF_STATUS: Record<string, Pick<PayOrderFilters, 'statuses' | 'deposit'>> = {
  [PAY_ORDER_STATUS.created]: { statuses: [] },
  [PAY_ORDER_STATUS.paying]: { statuses: ['processing'] },
  [PAY_ORDER_STATUS.success]: { statuses: ['paid', 'partially_refunded'], deposit: 'none' },
  [PAY_ORDER_STATUS.refunded]: { statuses: ['refunded'], deposit: 'none' },
  [PAY_ORDER_STATUS.failed]: { statuses: ['failed'] },
  [PAY_ORDER_STATUS.expired]: { statuses: ['closed'] },
  [PAY_ORDER_STATUS.depositHeld]: { statuses: RECEIVED, deposit: 'held' },
  [PAY_ORDER_STATUS.depositReturned]: { statuses: RECEIVED, deposit: 'released' },
};

/** `productType` of a pay order: 1 收款 (a sale), 2 充值 (a balance top-up). */
export const PAY_PRODUCT_TYPE = { sale: 1, recharge: 2 } as const;
export const PAY_KIND_OF_PRODUCT_TYPE: Record<string, 'sale' | 'recharge'> = { '1': 'sale', '2': 'recharge' };

/**
 * `pay_order/get` and each `pay_order/list` row: every field the list and the detail page read. ordo keeps no
 * notify or return URL, expiry or extension parameters per payment: those are empty. `channelUser` (the payer's
 * openid or buyer id) is not kept by ordo either: null.
 */
export function toXxpayPayOrder(p: MerchantPayOrder, env: MappingEnv) {
  const goods = p.goods.join('、');
  return {
    payOrderId: p.outTradeNo,
    mchId: p.merchantId,
    appId: p.appId ?? '',
    mchOrderNo: p.orderNo,
    productId: PRODUCT_ID[`${p.method}/${p.channel}`] ?? null,
    productType: PAY_PRODUCT_TYPE[p.orderKind],
    depositMode: p.depositMode ? 1 : 0,
    amount: p.amount,
    currency: 'cny',
    status: xxpayPayOrderStatus(p),
    clientIp: p.clientIp,
    device: p.device,
    subject: p.subject || goods,
    body: goods,
    channelUser: null,
    channelOrderNo: p.providerTradeId ?? '',
    channelAttach: '',
    isRefund: p.refundedAmount > 0 ? 1 : 0,
    refundTimes: p.refundCount,
    successRefundAmount: p.refundedAmount,
    extra: '',
    param1: '',
    param2: '',
    notifyUrl: '',
    returnUrl: '',
    expireTime: null,
    paySuccTime: xxpayTime(p.paidAt, env.timeZone),
    createTime: xxpayTime(p.createdAt, env.timeZone),
    updateTime: xxpayTime(p.updatedAt, env.timeZone),
  };
}

/** `pay_order/count`: counts and fen of all, paid and not paid; the success rate in percent, two decimals. */
export function toXxpayPayCounts(t: {
  all: { count: number; amount: number };
  received: { count: number; amount: number };
}) {
  return {
    allTotalCount: t.all.count,
    allTotalAmount: t.all.amount,
    successTotalCount: t.received.count,
    successTotalAmount: t.received.amount,
    failTotalCount: t.all.count - t.received.count,
    failTotalAmount: t.all.amount - t.received.amount,
    successRate: t.all.count === 0 ? 0 : Math.round((t.received.count * 10_000) / t.all.count) / 100,
  };
}

/** XxPay's refund order `status`: 0 created, 1 refunding, 2 refunded, 3 failed (closed by the gateway too). */
const REFUND_STATUS: Record<PaymentRefundStatus, number> = { processing: 1, succeeded: 2, closed: 3, failed: 3 };
/** `result`: 0 not confirmed yet, 2 confirmed refunded, 3 confirmed failed. */
const REFUND_RESULT: Record<PaymentRefundStatus, number> = { processing: 0, succeeded: 2, closed: 3, failed: 3 };

/** The refund page's `status` filter → which refunds (0, created and not yet sent, does not occur in ordo). */
export const REFUND_STATUSES_OF_STATUS: Record<string, PaymentRefundStatus[]> = {
  '0': [],
  '1': ['processing'],
  '2': ['succeeded'],
  '3': ['closed', 'failed'],
};

/**
 * `refund_order/get` and each `refund_order/list` row: every field the list and the detail page read, and the trade
 * order's number as `mchOrderNo` (the list filters by it). The refund number is also the merchant's refund number.
 */
export function toXxpayRefundOrder(r: MerchantRefundOrder, env: MappingEnv) {
  return {
    refundOrderId: r.outRefundNo,
    payOrderId: r.outTradeNo,
    mchId: r.merchantId,
    appId: r.appId ?? '',
    mchRefundNo: r.outRefundNo,
    mchOrderNo: r.orderNo,
    payAmount: r.paymentAmount,
    refundAmount: r.amount,
    currency: 'cny',
    status: REFUND_STATUS[r.status],
    result: REFUND_RESULT[r.status],
    clientIp: r.clientIp,
    device: r.device,
    remarkInfo: r.reason,
    channelUser: null,
    channelOrderNo: r.providerRefundId ?? '',
    extra: '',
    notifyUrl: '',
    param1: '',
    param2: '',
    expireTime: null,
    refundSuccTime: r.status === 'succeeded' ? xxpayTime(r.completedAt, env.timeZone) : null,
    createTime: xxpayTime(r.createdAt, env.timeZone),
    updateTime: xxpayTime(r.completedAt ?? r.createdAt, env.timeZone),
  };
}

/** The export's columns, as XxPay's spreadsheet has them. */
export const PAY_ORDER_EXPORT_HEADER = ['支付单号', '商户单号', '支付金额', '产品类型', '状态', '创建时间'];

const STATUS_TEXT: Record<PayOrderStatus, string> = {
  [PAY_ORDER_STATUS.created]: '订单初始',
  [PAY_ORDER_STATUS.paying]: '支付中',
  [PAY_ORDER_STATUS.success]: '支付成功',
  [PAY_ORDER_STATUS.refunded]: '已退款',
  [PAY_ORDER_STATUS.failed]: '支付失败',
  [PAY_ORDER_STATUS.expired]: '订单超时',
  [PAY_ORDER_STATUS.depositHeld]: '押金冻结',
  [PAY_ORDER_STATUS.depositReturned]: '押金已退',
};

/** One pay order as an export row: amount in yuan, the product type and status in words, the shop's local time. */
export function toPayOrderExportRow(p: MerchantPayOrder, env: MappingEnv): string[] {
  return [
    p.outTradeNo,
    p.orderNo,
    fenToYuanString(p.amount),
    p.orderKind === 'sale' ? '收款' : '充值',
    STATUS_TEXT[xxpayPayOrderStatus(p)],
    localDateTime(p.createdAt, env.timeZone),
  ];
}
