import { sql, type SelectQueryBuilder } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { numberedPage } from './numbered-page.ts';
import { MONEY_RECEIVED, type PaymentStatus } from '../domain/payment-status.ts';

/**
 * A merchant's payment attempts, each with the order it pays (its number, kind, subject and deposit), for
 * consoles that list payments apart from orders. The order's columns are read beside the payment in the same
 * statement, as the till's trade order reads are (docs/ARCHITECTURE.md, "Where the code does not follow this yet").
 */
export interface MerchantPayOrder {
  id: number;
  merchantId: number;
  outTradeNo: string;
  orderNo: string;
  /** a balance top-up, or a sale of any other kind */
  orderKind: 'sale' | 'recharge';
  appId: string | null;
  subject: string;
  /** the order's line titles, in order */
  goods: string[];
  device: string;
  clientIp: string;
  method: string;
  channel: string;
  status: PaymentStatus;
  amount: number;
  refundedAmount: number;
  /** refunds of this payment that went through */
  refundCount: number;
  providerTradeId: string | null;
  depositMode: boolean;
  depositStatus: 'held' | 'settled' | 'released' | null;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
}

export interface PayOrderFilters {
  outTradeNo?: string;
  orderNo?: string;
  orderKind?: 'sale' | 'recharge';
  /** any of these statuses; an empty list matches nothing */
  statuses?: PaymentStatus[];
  /** the order's deposit: held, given back, or no deposit held or given back */
  deposit?: 'held' | 'released' | 'none';
  createdFrom?: Date;
  createdTo?: Date;
}

type PaymentsQuery = SelectQueryBuilder<Database, 'payments' | 'orders', object>;

function filtered(ctx: AppContext, merchantId: number, f: PayOrderFilters): PaymentsQuery {
  let query: PaymentsQuery = ctx.db
    .selectFrom('payments')
    .innerJoin('orders', 'orders.id', 'payments.order_id')
    .where('payments.merchant_id', '=', merchantId);
  if (f.outTradeNo !== undefined) query = query.where('payments.out_trade_no', '=', f.outTradeNo);
  if (f.orderNo !== undefined) query = query.where('orders.order_no', '=', f.orderNo);
  if (f.orderKind === 'recharge') query = query.where('orders.order_type', '=', 'recharge');
  if (f.orderKind === 'sale') query = query.where('orders.order_type', '!=', 'recharge');
  if (f.statuses) {
    if (f.statuses.length === 0) return query.where(sql<boolean>`false`);
    query = query.where('payments.status', 'in', f.statuses);
  }
  if (f.deposit === 'none')
    query = query.where(sql<boolean>`coalesce(orders.deposit_status, '') not in ('held', 'released')`);
  else if (f.deposit) query = query.where('orders.deposit_status', '=', f.deposit);
  if (f.createdFrom) query = query.where('payments.created_at', '>=', f.createdFrom);
  if (f.createdTo) query = query.where('payments.created_at', '<', f.createdTo);
  return query;
}

function rowsOf(query: PaymentsQuery) {
  return query.select([
    'payments.id',
    'payments.merchant_id',
    'payments.out_trade_no',
    'payments.method',
    'payments.channel',
    'payments.status',
    'payments.amount',
    'payments.refunded_amount',
    'payments.provider_trade_id',
    'payments.client_ip',
    'payments.created_at',
    'payments.updated_at',
    'payments.paid_at',
    'orders.order_no',
    'orders.order_type',
    'orders.app_id',
    'orders.subject',
    'orders.device',
    'orders.deposit_mode',
    'orders.deposit_status',
    sql<
      string[]
    >`(select coalesce(json_agg(l.title order by l.line_no), '[]') from order_lines l where l.order_id = orders.id)`.as(
      'goods',
    ),
    sql<string>`(select count(*) from payment_refunds r where r.payment_id = payments.id and r.status = 'succeeded')`.as(
      'refund_count',
    ),
  ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof rowsOf>['execute']>>[number];

const toPayOrder = (r: Row): MerchantPayOrder => ({
  id: r.id,
  merchantId: r.merchant_id,
  outTradeNo: r.out_trade_no,
  orderNo: r.order_no,
  orderKind: r.order_type === 'recharge' ? 'recharge' : 'sale',
  appId: r.app_id,
  subject: r.subject,
  goods: r.goods,
  device: r.device,
  clientIp: r.client_ip,
  method: r.method,
  channel: r.channel,
  status: r.status,
  amount: r.amount,
  refundedAmount: r.refunded_amount,
  refundCount: Number(r.refund_count),
  providerTradeId: r.provider_trade_id,
  depositMode: r.deposit_mode,
  depositStatus: r.deposit_status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  paidAt: r.paid_at,
});

/** One page of the merchant's payments, newest first, with the total; `pageSize` null lists every match. */
export async function listMerchantPayOrders(
  ctx: AppContext,
  merchantId: number,
  filters: PayOrderFilters,
  page: number,
  pageSize: number | null,
): Promise<{ items: MerchantPayOrder[]; total: number }> {
  const { rows, total } = await numberedPage(
    rowsOf(filtered(ctx, merchantId, filters))
      .orderBy('payments.created_at', 'desc')
      .orderBy('payments.id', 'desc'),
    filtered(ctx, merchantId, filters),
    page,
    pageSize,
  );
  return { items: rows.map(toPayOrder), total };
}

/** The merchant's payment with this out_trade_no, or null (another merchant's is null too). */
export async function getMerchantPayOrder(
  ctx: AppContext,
  merchantId: number,
  outTradeNo: string,
): Promise<MerchantPayOrder | null> {
  const row = await rowsOf(filtered(ctx, merchantId, { outTradeNo })).executeTakeFirst();
  return row ? toPayOrder(row) : null;
}

/** How many payments the filters select and their amount in fen: all of them, and those that took the money. */
export async function payOrderTotals(
  ctx: AppContext,
  merchantId: number,
  filters: PayOrderFilters,
): Promise<{ all: { count: number; amount: number }; received: { count: number; amount: number } }> {
  const received = [...MONEY_RECEIVED];
  const row = await filtered(ctx, merchantId, filters)
    .select([
      sql<string>`count(*)`.as('count'),
      sql<string>`coalesce(sum(payments.amount), 0)`.as('amount'),
      sql<string>`count(*) filter (where payments.status in (${sql.join(received)}))`.as('received_count'),
      sql<string>`coalesce(sum(payments.amount) filter (where payments.status in (${sql.join(received)})), 0)`.as(
        'received_amount',
      ),
    ])
    .executeTakeFirstOrThrow();
  return {
    all: { count: Number(row.count), amount: Number(row.amount) },
    received: { count: Number(row.received_count), amount: Number(row.received_amount) },
  };
}
