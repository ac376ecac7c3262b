import { sql, type SelectQueryBuilder } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';

/** Which orders a till's statistics count: one merchant's, paid in [from, to), optionally of one store or operator. */
export interface TradeScope {
  merchantId: number;
  from: Date;
  to: Date;
  storeId?: number;
  operatorId?: number;
}

/**
 * A merchant's figures for the console's dashboard, in fen, exact. Sales are the orders of any kind but balance
 * top-ups, counted by when they were paid; their refunds are what has gone back on those same sales, whenever it
 * went back (so each figure is a sum over one set of orders). Top-ups are counted apart.
 */
export interface TradeStatistics {
  /** Σ order amounts before discounts */
  sumTradeAmount: number;
  /** Σ what the buyers paid */
  sumRealAmount: number;
  sumDiscountAmount: number;
  /** Σ paid by sales to a member, and to nobody known */
  sumMemberAmount: number;
  sumNotMemberAmount: number;
  countTrade: number;
  countMemberTrade: number;
  countNotMemberTrade: number;
  /** Σ refunded on those sales, and how many of them had a refund */
  sumRefundAmount: number;
  countRefund: number;
  /** balance top-ups paid, and the bonus balance their recharge rules gave on top */
  sumRechargeAmount: number;
  sumRechargeGiveAmount: number;
  countRecharge: number;
  /** points the sales gave (what they still give after refunds) */
  sumGivePoints: number;
  /** members who joined the merchant in [from, to) */
  countAddMember: number;
}

type OrdersQuery = SelectQueryBuilder<Database, 'orders', object>;

function paidIn(ctx: AppContext, scope: TradeScope): OrdersQuery {
  let query = ctx.db
    .selectFrom('orders')
    .where('merchant_id', '=', scope.merchantId)
    .where('paid_at', '>=', scope.from)
    .where('paid_at', '<', scope.to);
  if (scope.storeId !== undefined) query = query.where('store_id', '=', scope.storeId);
  if (scope.operatorId !== undefined) query = query.where('operator_id', '=', scope.operatorId);
  return query;
}

const n = (v: string | number | null | undefined) => Number(v ?? 0);

export async function tradeStatistics(ctx: AppContext, scope: TradeScope): Promise<TradeStatistics> {
  const [sales, recharges, members] = await Promise.all([
    paidIn(ctx, scope)
      .where('order_type', '!=', 'recharge')
      .select([
        sql<string>`count(*)`.as('count'),
        sql<string>`count(*) filter (where member_id is not null)`.as('member_count'),
        sql<string>`coalesce(sum(payable_amount + discount_amount), 0)`.as('trade'),
        sql<string>`coalesce(sum(payable_amount), 0)`.as('real'),
        sql<string>`coalesce(sum(discount_amount), 0)`.as('discount'),
        sql<string>`coalesce(sum(payable_amount) filter (where member_id is not null), 0)`.as('member'),
        sql<string>`coalesce(sum(refunded_amount), 0)`.as('refunded'),
        sql<string>`count(*) filter (where refunded_amount > 0)`.as('refunded_count'),
        sql<string>`coalesce(sum(points_awarded), 0)`.as('points'),
      ])
      .executeTakeFirstOrThrow(),
    paidIn(ctx, scope)
      .where('order_type', '=', 'recharge')
      .select([
        sql<string>`count(*)`.as('count'),
        sql<string>`coalesce(sum(payable_amount), 0)`.as('amount'),
        sql<string>`coalesce(sum(recharge_bonus), 0)`.as('bonus'),
      ])
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('members')
      .select(sql<string>`count(*)`.as('count'))
      .where('merchant_id', '=', scope.merchantId)
      .where('created_at', '>=', scope.from)
      .where('created_at', '<', scope.to)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    sumTradeAmount: n(sales.trade),
    sumRealAmount: n(sales.real),
    sumDiscountAmount: n(sales.discount),
    sumMemberAmount: n(sales.member),
    sumNotMemberAmount: n(sales.real) - n(sales.member),
    countTrade: n(sales.count),
    countMemberTrade: n(sales.member_count),
    countNotMemberTrade: n(sales.count) - n(sales.member_count),
    sumRefundAmount: n(sales.refunded),
    countRefund: n(sales.refunded_count),
    sumRechargeAmount: n(recharges.amount),
    sumRechargeGiveAmount: n(recharges.bonus),
    countRecharge: n(recharges.count),
    sumGivePoints: n(sales.points),
    countAddMember: n(members.count),
  };
}

/** One bar of the dashboard's chart: sales and their refunds paid in [from, to). */
export interface TradeBucket {
  from: Date;
  to: Date;
  tradeAmount: number;
  refundAmount: number;
}

/** Sales (order amounts) and their refunds per consecutive bucket, in one query over the whole span. */
export async function tradeAmountsPerBucket(
  ctx: AppContext,
  scope: Omit<TradeScope, 'from' | 'to'>,
  buckets: { from: Date; to: Date }[],
): Promise<TradeBucket[]> {
  if (buckets.length === 0) return [];
  const edges = buckets.map((b) => b.from.getTime());
  const rows = await paidIn(ctx, { ...scope, from: buckets[0]!.from, to: buckets.at(-1)!.to })
    .where('order_type', '!=', 'recharge')
    .select(['paid_at', 'payable_amount', 'discount_amount', 'refunded_amount'])
    .execute();
  const totals = buckets.map((b) => ({ ...b, tradeAmount: 0, refundAmount: 0 }));
  for (const row of rows) {
    const at = row.paid_at!.getTime();
    let i = edges.length - 1;
    while (i > 0 && edges[i]! > at) i -= 1;
    if (at >= buckets[i]!.to.getTime()) continue; // between buckets (none are, when they are consecutive)
    totals[i]!.tradeAmount += row.payable_amount + row.discount_amount;
    totals[i]!.refundAmount += row.refunded_amount;
  }
  return totals;
}

/** Paid sales per payment method (the payment that holds the money), for the dashboard's pie. */
export async function salesPerMethod(
  ctx: AppContext,
  scope: TradeScope,
): Promise<{ method: string; count: number; amount: number }[]> {
  let query = ctx.db
    .selectFrom('payments')
    .innerJoin('orders', 'orders.id', 'payments.order_id')
    .select([
      'payments.method',
      sql<string>`count(*)`.as('count'),
      sql<string>`coalesce(sum(payments.amount), 0)`.as('amount'),
    ])
    .where('orders.merchant_id', '=', scope.merchantId)
    .where('orders.order_type', '!=', 'recharge')
    .where('payments.paid_at', 'is not', null)
    .where('payments.paid_at', '>=', scope.from)
    .where('payments.paid_at', '<', scope.to);
  if (scope.storeId !== undefined) query = query.where('orders.store_id', '=', scope.storeId);
  if (scope.operatorId !== undefined) query = query.where('orders.operator_id', '=', scope.operatorId);
  const rows = await query.groupBy('payments.method').orderBy('payments.method').execute();
  return rows.map((r) => ({ method: r.method, count: n(r.count), amount: n(r.amount) }));
}
