import { sql, type SelectQueryBuilder } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { numberedPage } from './numbered-page.ts';
import type { PaymentRefundStatus } from '../domain/payment-refund-status.ts';

/**
 * Money a merchant sent back through a payment (`payment_refunds`): a till's refund, an approved after-sales
 * refund, a late payment given back. Each with the payment it goes back through and the number of the order it
 * belongs to (read beside it, as the till's trade order reads are).
 */
export interface MerchantRefundOrder {
  id: number;
  merchantId: number;
  outRefundNo: string;
  orderNo: string;
  appId: string | null;
  outTradeNo: string;
  method: string;
  /** fen: the whole payment, and what this refund gives back of it */
  paymentAmount: number;
  amount: number;
  status: PaymentRefundStatus;
  reason: string;
  providerRefundId: string | null;
  device: string;
  clientIp: string;
  createdAt: Date;
  completedAt: Date | null;
}

export interface RefundOrderFilters {
  outRefundNo?: string;
  orderNo?: string;
  /** any of these statuses; an empty list matches nothing */
  statuses?: PaymentRefundStatus[];
  createdFrom?: Date;
  createdTo?: Date;
}

type RefundsQuery = SelectQueryBuilder<Database, 'payment_refunds' | 'payments' | 'orders', object>;

function filtered(ctx: AppContext, merchantId: number, f: RefundOrderFilters): RefundsQuery {
  let query: RefundsQuery = ctx.db
    .selectFrom('payment_refunds')
    .innerJoin('payments', 'payments.id', 'payment_refunds.payment_id')
    .innerJoin('orders', 'orders.id', 'payment_refunds.order_id')
    .where('payment_refunds.merchant_id', '=', merchantId);
  if (f.outRefundNo !== undefined) query = query.where('payment_refunds.out_refund_no', '=', f.outRefundNo);
  if (f.orderNo !== undefined) query = query.where('orders.order_no', '=', f.orderNo);
  if (f.statuses) {
    if (f.statuses.length === 0) return query.where(sql<boolean>`false`);
    query = query.where('payment_refunds.status', 'in', f.statuses);
  }
  if (f.createdFrom) query = query.where('payment_refunds.created_at', '>=', f.createdFrom);
  if (f.createdTo) query = query.where('payment_refunds.created_at', '<', f.createdTo);
  return query;
}

const rowsOf = (query: RefundsQuery) =>
  query.select([
    'payment_refunds.id',
    'payment_refunds.merchant_id',
    'payment_refunds.out_refund_no',
    'payment_refunds.amount',
    'payment_refunds.status',
    'payment_refunds.reason',
    'payment_refunds.provider_refund_id',
    'payment_refunds.created_at',
    'payment_refunds.completed_at',
    'payments.out_trade_no',
    'payments.method',
    'payments.amount as payment_amount',
    'payments.client_ip',
    'orders.order_no',
    'orders.app_id',
    'orders.device',
  ]);

type Row = Awaited<ReturnType<ReturnType<typeof rowsOf>['execute']>>[number];

const toRefundOrder = (r: Row): MerchantRefundOrder => ({
  id: r.id,
  merchantId: r.merchant_id,
  outRefundNo: r.out_refund_no,
  orderNo: r.order_no,
  appId: r.app_id,
  outTradeNo: r.out_trade_no,
  method: r.method,
  paymentAmount: r.payment_amount,
  amount: r.amount,
  status: r.status,
  reason: r.reason,
  providerRefundId: r.provider_refund_id,
  device: r.device,
  clientIp: r.client_ip,
  createdAt: r.created_at,
  completedAt: r.completed_at,
});

/** One page of the merchant's refunds, newest first, with the total; `pageSize` null lists every match. */
export async function listMerchantRefundOrders(
  ctx: AppContext,
  merchantId: number,
  filters: RefundOrderFilters,
  page: number,
  pageSize: number | null,
): Promise<{ items: MerchantRefundOrder[]; total: number }> {
  const { rows, total } = await numberedPage(
    rowsOf(filtered(ctx, merchantId, filters))
      .orderBy('payment_refunds.created_at', 'desc')
      .orderBy('payment_refunds.id', 'desc'),
    filtered(ctx, merchantId, filters),
    page,
    pageSize,
  );
  return { items: rows.map(toRefundOrder), total };
}

/** The merchant's refund with this number, or null (another merchant's is null too). */
export async function getMerchantRefundOrder(
  ctx: AppContext,
  merchantId: number,
  outRefundNo: string,
): Promise<MerchantRefundOrder | null> {
  const row = await rowsOf(filtered(ctx, merchantId, { outRefundNo })).executeTakeFirst();
  return row ? toRefundOrder(row) : null;
}
