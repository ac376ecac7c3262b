import { sql, type Expression, type SqlBool } from 'kysely';
import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { numberedOrderPage, scopedOrders, type SharedOrderFilters } from './list-orders.ts';
import type { OrderView } from './order-view.ts';

/**
 * Where a trade order stands as a till sees it: its order status, refunds, deposit and latest payment attempt
 * together (a pending order whose latest attempt failed is `failed`; a deposit held is neither paid nor unpaid).
 */
export const TRADE_STATES = [
  'unpaid',
  'paying',
  'failed',
  'paid',
  'partially_refunded',
  'refunded',
  'deposit_held',
  'deposit_returned',
] as const;
export type TradeState = (typeof TRADE_STATES)[number];

export interface TradeOrderFilters extends SharedOrderFilters {
  orderNo?: string;
  /** any of these states */
  states?: TradeState[];
  operatorId?: number;
  kind?: 'sale' | 'recharge';
}

// The payments module's latest attempt of the order: what "paying" and "failed" are read from.
const latestAttempt = sql<
  string | null
>`(select p.status from payments p where p.order_id = orders.id order by p.id desc limit 1)`;
const noDeposit = sql<SqlBool>`coalesce(orders.deposit_status, '') not in ('held', 'released')`;
const settled = sql<SqlBool>`orders.status not in ('pending_payment', 'payment_review', 'cancelled', 'closed')`;

const CONDITION: Record<TradeState, Expression<SqlBool>> = {
  deposit_held: sql<SqlBool>`orders.deposit_status = 'held'`,
  deposit_returned: sql<SqlBool>`orders.deposit_status = 'released'`,
  unpaid: sql<SqlBool>`${noDeposit} and orders.status = 'pending_payment' and coalesce(${latestAttempt}, '') not in ('processing', 'failed')`,
  paying: sql<SqlBool>`${noDeposit} and (orders.status = 'payment_review' or (orders.status = 'pending_payment' and ${latestAttempt} = 'processing'))`,
  failed: sql<SqlBool>`${noDeposit} and (orders.status in ('cancelled', 'closed') or (orders.status = 'pending_payment' and ${latestAttempt} = 'failed'))`,
  paid: sql<SqlBool>`${noDeposit} and ${settled} and orders.refund_status not in ('refunded', 'partially_refunded')`,
  partially_refunded: sql<SqlBool>`${noDeposit} and ${settled} and orders.refund_status = 'partially_refunded'`,
  refunded: sql<SqlBool>`${noDeposit} and ${settled} and orders.refund_status = 'refunded'`,
};

function filtered(ctx: AppContext, principal: Principal, f: TradeOrderFilters) {
  let query = scopedOrders(ctx, principal, f);
  if (f.orderNo !== undefined) query = query.where('orders.order_no', '=', f.orderNo);
  if (f.operatorId !== undefined) query = query.where('orders.operator_id', '=', f.operatorId);
  if (f.kind === 'recharge') query = query.where('orders.order_type', '=', 'recharge');
  if (f.kind === 'sale') query = query.where('orders.order_type', '!=', 'recharge');
  const states = f.states;
  if (states) query = query.where((eb) => eb.or(states.map((s) => sql<SqlBool>`(${CONDITION[s]})`)));
  return query;
}

/**
 * The caller's trade orders (every order of the merchant: till sales, top-ups and shop orders), newest first, by
 * numbered page; `pageSize` null lists every match.
 */
export function listTradeOrderPage(
  ctx: AppContext,
  principal: Principal,
  filters: TradeOrderFilters,
  page: number,
  pageSize: number | null,
): Promise<{ items: OrderView[]; total: number }> {
  return numberedOrderPage(() => filtered(ctx, principal, filters), page, pageSize);
}
